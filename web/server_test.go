package web

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"qdex/corpus"
	"qdex/indexer"
	"qdex/search"
)

// TestServe starts the server on a real listener, answers a request, and shuts down
// when the context is cancelled.
func TestServe(t *testing.T) {
	s := newServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()

	res, err := http.Get("http://" + ln.Addr().String() + "/api/search?q=gil")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"total"`) {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the context was cancelled")
	}
	if _, err := http.Get("http://" + ln.Addr().String() + "/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}
}

// TestMethods: HEAD works like GET; other methods are refused.
func TestMethods(t *testing.T) {
	s := newServer(t)
	for _, tt := range []struct {
		method, target string
		status         int
	}{
		{http.MethodHead, "/", 200},
		{http.MethodHead, "/api/search?q=gil", 200},
		{http.MethodPost, "/", 405},
		{http.MethodPost, "/api/search", 404},
		{http.MethodDelete, "/python/concurrency/gil", 405},
	} {
		req, _ := http.NewRequest(tt.method, tt.target, nil)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if rec.Code != tt.status {
			t.Errorf("%s %s: %d, want %d", tt.method, tt.target, rec.Code, tt.status)
		}
	}
}

// TestDev: in dev mode templates come from disk and an edit shows at once; a broken
// template is an error at start-up, not at the first request.
func TestDev(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, ".", dir, "templates", "static")
	s, err := New(Config{Holder: testHolder, Dev: true, DevDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "templates", "error.html")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), "{{.Heading}}", "{{.Heading}} (edited)", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if body := get(t, s, "/nope").Body.String(); !strings.Contains(body, "Page not found (edited)") {
		t.Error("the edited template is not used")
	}

	if err := os.WriteFile(p, []byte(`{{define "content"}}{{.Nope`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{Holder: search.NewHolder(nil), Dev: true, DevDir: dir}); err == nil || !strings.Contains(err.Error(), "error.html") {
		t.Errorf("New with a broken template: %v, want an error naming it", err)
	}
}

func copyTree(t *testing.T, from, to string, dirs ...string) {
	t.Helper()
	for _, d := range dirs {
		entries, err := os.ReadDir(filepath.Join(from, d))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(to, d), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(from, d, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(to, d, e.Name()), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestSwapWhileServing: replacing the index while requests run fails none of them.
func TestSwapWhileServing(t *testing.T) {
	c, err := corpus.Load("testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := indexer.Build(context.Background(), c, dir, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	open := func() *search.Index {
		ix, err := search.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		return ix
	}
	h := search.NewHolder(open())
	defer h.Close()
	s, err := New(Config{Holder: h})
	if err != nil {
		t.Fatal(err)
	}
	targets := []string{"/api/search?q=gil", "/python/concurrency/gil?q=thread", "/search?q=goroutine&framework=go", "/api/questions/go/concurrency/goroutines"}
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				target := targets[(w+i)%len(targets)]
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
				if rec.Code != http.StatusOK {
					errs <- fmt.Sprintf("%s: %d %.100s", target, rec.Code, rec.Body)
					return
				}
			}
		}()
	}
	for range 5 {
		h.Swap(open())
		time.Sleep(5 * time.Millisecond)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
