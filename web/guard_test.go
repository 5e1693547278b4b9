package web

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// serve starts cfg's server on a loopback port.
func serve(t *testing.T, cfg Config) string {
	t.Helper()
	cfg.Holder = testHolder
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv.URL
}

func send(t *testing.T, method, url string, header map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// TestCORS: only configured origins may read the public endpoints from a browser,
// their preflight is answered and cached, and the admin endpoints never allow any.
func TestCORS(t *testing.T) {
	const site = "https://questions.example"
	url := serve(t, Config{CORSOrigins: []string{site}, AdminToken: "t0ken"})
	for _, path := range []string{"/api/search?q=goroutine", "/api/questions/python/concurrency/gil"} {
		resp := send(t, http.MethodGet, url+path, map[string]string{"Origin": site})
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != site {
			t.Errorf("%s from %s: %d, allow-origin %q", path, site, resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
		}
		resp = send(t, http.MethodGet, url+path, map[string]string{"Origin": "https://elsewhere.example"})
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s from another origin: allow-origin %q", path, got)
		}
	}
	pre := send(t, http.MethodOptions, url+"/api/search?q=x", map[string]string{"Origin": site, "Access-Control-Request-Method": "GET"})
	if pre.StatusCode != http.StatusNoContent || pre.Header.Get("Access-Control-Allow-Origin") != site ||
		pre.Header.Get("Access-Control-Max-Age") != "86400" || !strings.Contains(pre.Header.Get("Access-Control-Allow-Methods"), "GET") {
		t.Errorf("preflight: %d %v", pre.StatusCode, pre.Header)
	}
	for _, r := range []struct{ method, path string }{{http.MethodGet, "/api/status"}, {http.MethodPost, "/api/admin/reindex"}, {http.MethodOptions, "/api/admin/reindex"}} {
		resp := send(t, r.method, url+r.path, map[string]string{"Origin": site, "Authorization": "Bearer t0ken"})
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s %s: allow-origin %q", r.method, r.path, got)
		}
	}
	// None configured: no origin is allowed, and there is no preflight route.
	none := serve(t, Config{})
	if got := send(t, http.MethodGet, none+"/api/search?q=goroutine", map[string]string{"Origin": site}).Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("without --cors-origin: allow-origin %q", got)
	}
	if code := send(t, http.MethodOptions, none+"/api/search?q=x", map[string]string{"Origin": site}).StatusCode; code == http.StatusOK || code == http.StatusNoContent {
		t.Errorf("without --cors-origin, a preflight is answered %d", code)
	}
}

// TestRateLimit: a client past the limit gets 429 with Retry-After, counted in
// /metrics, while another client is served; behind a trusted proxy the client is the
// forwarded address, and an untrusted X-Forwarded-For changes nothing.
func TestRateLimit(t *testing.T) {
	proxies, err := ParseTrustedProxies([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, Config{RateLimit: 5, TrustedProxies: proxies})
	burst := func(client string, n int) (ok, limited int, retry string) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp := send(t, http.MethodGet, url+"/api/search?q=goroutine", map[string]string{"X-Forwarded-For": client})
				mu.Lock()
				defer mu.Unlock()
				switch resp.StatusCode {
				case http.StatusOK:
					ok++
				case http.StatusTooManyRequests:
					limited++
					retry = resp.Header.Get("Retry-After")
				}
			}()
		}
		wg.Wait()
		return
	}
	before := counter(t, url, "qdex_rate_limited_total")
	ok, limited, retry := burst("203.0.113.7", 40)
	if limited == 0 || ok < 10 || ok > 20 || retry != "1" {
		t.Errorf("a burst of 40 at 5/s (burst 10): %d served, %d limited, Retry-After %q", ok, limited, retry)
	}
	if ok, _, _ := burst("198.51.100.9", 5); ok != 5 {
		t.Errorf("another client: %d of 5 served", ok)
	}
	if got := counter(t, url, "qdex_rate_limited_total") - before; got != float64(limited) {
		t.Errorf("metrics counted %g limited requests, want %d", got, limited)
	}
	// Pages are limited too; health and metrics never are.
	if code := send(t, http.MethodGet, url+"/search?q=x", map[string]string{"X-Forwarded-For": "203.0.113.7"}).StatusCode; code != http.StatusTooManyRequests {
		t.Errorf("the search page for a limited client: %d", code)
	}
	for _, p := range []string{"/healthz", "/metrics"} {
		if code := send(t, http.MethodGet, url+p, map[string]string{"X-Forwarded-For": "203.0.113.7"}).StatusCode; code != http.StatusOK {
			t.Errorf("%s for a limited client: %d", p, code)
		}
	}

	// Without a trusted proxy, X-Forwarded-For is the client's own word: ignored.
	direct := serve(t, Config{RateLimit: 5})
	limitedDirect := 0
	for i := range 30 {
		resp := send(t, http.MethodGet, direct+"/api/search?q=goroutine", map[string]string{"X-Forwarded-For": fmt.Sprintf("192.0.2.%d", i)})
		if resp.StatusCode == http.StatusTooManyRequests {
			limitedDirect++
		}
	}
	if limitedDirect == 0 {
		t.Error("an untrusted X-Forwarded-For escaped the limit")
	}
}

// counter reads one counter from /metrics.
func counter(t *testing.T, url, name string) float64 {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			var f float64
			fmt.Sscan(v, &f)
			return f
		}
	}
	t.Fatalf("%s not in /metrics", name)
	return 0
}
