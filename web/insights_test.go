package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"qdex/insights"
)

// insightsServer is a server of the shared test index that records events in a
// fresh database, flushed every 10 ms.
func insightsServer(t *testing.T) (string, *insights.Recorder) {
	t.Helper()
	store, err := insights.OpenStore(filepath.Join(t.TempDir(), "insights.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	rec := insights.NewRecorder(ctx, store, nil, insights.Options{Flush: 10 * time.Millisecond})
	t.Cleanup(func() { cancel(); rec.Close() })
	s, err := New(Config{Holder: testHolder, Insights: rec, AdminToken: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv.URL, rec
}

func fetchReport(t *testing.T, url, query string) *insights.Report {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url+"/api/admin/insights?"+query, nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		t.Fatalf("insights: %d %s", resp.StatusCode, body)
	}
	var rep insights.Report
	if err := json.NewDecoder(resp.Body).Decode(&rep); err != nil {
		t.Fatal(err)
	}
	return &rep
}

// waitWritten waits until the recorder has stored n events.
func waitWritten(t *testing.T, rec *insights.Recorder, n int64) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for rec.Written() < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if rec.Written() < n {
		t.Fatalf("%d events written, want %d (dropped %d)", rec.Written(), n, rec.Dropped())
	}
}

func post(t *testing.T, url, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(url+"/api/events", "text/plain;charset=UTF-8", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestSearchesAndClicksRecorded: searches of every kind are recorded (the first page
// only), with their source and the correction a reader took; clicks posted to
// /api/events land in the report with their position.
func TestSearchesAndClicksRecorded(t *testing.T) {
	url, rec := insightsServer(t)
	for _, target := range []string{
		"/api/search?q=Goroutine++Leak",              // api
		"/api/search?q=goroutine+leak&src=widget",    // the widget
		"/api/search?q=goroutine+leak&src=instant",   // instant search
		"/search?q=goroutine+leak",                   // the page
		"/search?q=goroutine+leak&page=2",            // paging: not another search
		"/api/search?q=qqzzyy",                       // nothing found
		"/api/search?q=goroutine&corrected=gorotine", // a correction taken
		"/api/search?framework=go",                   // no query: not recorded
	} {
		resp, err := http.Get(url + target)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if code, body := post(t, url, `{"type":"click","query":"goroutine leak","doc":"go/concurrency/goroutines#goroutine-leak","position":2,"source":"page"}`); code != http.StatusNoContent {
		t.Fatalf("a click: %d %s", code, body)
	}
	waitWritten(t, rec, 7)
	rep := fetchReport(t, url, "since=1d")
	if rep.Searches != 6 || rep.Clicks != 1 || rep.Top[0].Query != "goroutine leak" || rep.Top[0].Searches != 4 || rep.ClickPositions[1] != 1 {
		t.Errorf("report: %d searches, %d clicks, top %+v, positions %v", rep.Searches, rep.Clicks, rep.Top, rep.ClickPositions)
	}
	if len(rep.ZeroResults) != 1 || rep.ZeroResults[0].Query != "qqzzyy" {
		t.Errorf("zero results %+v", rep.ZeroResults)
	}
}

// TestBadEvents: a malformed or oversized event is a 400 naming the field, and
// nothing is recorded.
func TestBadEvents(t *testing.T) {
	url, rec := insightsServer(t)
	for body, field := range map[string]string{
		`{"type":"view","query":"q","doc":"d","position":1}`:                 "type",
		`{"type":"click","query":"","doc":"d","position":1}`:                 "query",
		`{"type":"click","query":"q","doc":"","position":1}`:                 "doc",
		`{"type":"click","query":"q","doc":"d","position":0}`:                "position",
		`{"type":"click","query":"q","doc":"d","position":"first"}`:          "position",
		`{"type":"click","query":"q","doc":"d","position":1,"source":"bot"}`: "source",
		`{"type":"click","query":"q","doc":"d","position":1,"ip":"1.2.3.4"}`: "body",
		`not json`: "body",
		`{"type":"click","query":"` + strings.Repeat("x", 3000) + `","doc":"d","position":1}`: "body",
		`{"type":"click","query":"` + strings.Repeat("x", 600) + `","doc":"d","position":1}`:  "query",
	} {
		code, resp := post(t, url, body)
		if code != http.StatusBadRequest || !strings.Contains(resp, `"error":"`+field+`:`) {
			t.Errorf("%.60s: %d %s, want 400 naming %s", body, code, resp, field)
		}
	}
	time.Sleep(50 * time.Millisecond)
	if rec.Written() != 0 {
		t.Errorf("%d bad events recorded", rec.Written())
	}
}

// TestInsightsAdmin: the report wants the admin token (bearer, or the password of
// basic authentication for a browser); the page draws its charts as SVG and links a
// zero-result query to a search for it; with insights off the report is 404.
func TestInsightsAdmin(t *testing.T) {
	url, rec := insightsServer(t)
	resp, _ := http.Get(url + "/api/search?q=qqzzyy")
	resp.Body.Close()
	waitWritten(t, rec, 1)
	for _, auth := range []string{"", "Bearer wrong"} {
		req, _ := http.NewRequest(http.MethodGet, url+"/admin/insights", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic") {
			t.Errorf("auth %q: %d %q", auth, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	}
	req, _ := http.NewRequest(http.MethodGet, url+"/admin/insights?since=7d&sort=clicks", nil)
	req.SetBasicAuth("admin", "s3cret")
	page, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	for _, want := range []string{"<svg class=\"chart\"", `<a href="/search?q=qqzzyy">qqzzyy</a>`, "<strong>clicks</strong>"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("insights page lacks %s", want)
		}
	}
	if page.StatusCode != http.StatusOK || page.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("insights page: %d, cache %q", page.StatusCode, page.Header.Get("Cache-Control"))
	}
	if rep := fetchReport(t, url, "since=2026-01-01"); rep.Searches != 1 {
		t.Errorf("since a date: %d searches", rep.Searches)
	}
	req, _ = http.NewRequest(http.MethodGet, url+"/api/admin/insights?since=soon", nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	bad, _ := http.DefaultClient.Do(req)
	bad.Body.Close()
	if bad.StatusCode != http.StatusBadRequest {
		t.Errorf("since=soon: %d", bad.StatusCode)
	}
	off := serve(t, Config{AdminToken: "s3cret"})
	req, _ = http.NewRequest(http.MethodGet, off+"/api/admin/insights", nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	offResp, _ := http.DefaultClient.Do(req)
	offResp.Body.Close()
	if offResp.StatusCode != http.StatusNotFound {
		t.Errorf("insights off: %d", offResp.StatusCode)
	}
}

// TestClickRecordedInBrowser: a reader searches on qdex's page and opens a result;
// the beacon's click is in the report, at its position; the insights page, after a
// scripted session of searches, is photographed.
func TestClickRecordedInBrowser(t *testing.T) {
	ctx := newBrowser(t)
	url, rec := insightsServer(t)
	shots := screenshotDir(t)
	watchErrors(t, ctx)
	do(t, ctx, "search page", chromedp.Navigate(url+"/search?q=goroutine"), chromedp.WaitVisible(chromedp.CSS("#results .hit-link")))
	do(t, ctx, "open the second result", chromedp.Click(chromedp.CSS("#results .hit:nth-child(2) .hit-link")))
	poll(t, ctx, "the answer page", `location.pathname === '/go/concurrency/goroutines' && document.readyState === 'complete'`)
	checkErrors(t, ctx)
	waitWritten(t, rec, 2)
	rep := fetchReport(t, url, "since=1d")
	if rep.Clicks != 1 || rep.ClickPositions[1] != 1 || rep.Top[0].Query != "goroutine" || rep.Top[0].Clicks != 1 {
		t.Fatalf("after a click on the second result: %d clicks, positions %v, top %+v", rep.Clicks, rep.ClickPositions, rep.Top)
	}

	// A scripted session: searches found and not, a correction taken, clicks.
	for _, q := range []string{"goroutine+leak", "goroutine+leak", "thread+pool", "gil", "gil", "gil", "qqzzyy", "qqzzyy", "cobol+threads", "asyncio.gather"} {
		resp, err := http.Get(url + "/api/search?q=" + q + "&src=widget")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	for i, doc := range []string{"python/concurrency/gil#what-is-the-gil", "go/concurrency/goroutines#goroutine-leak", "python/concurrency/gil#threadpool-executor"} {
		post(t, url, fmt.Sprintf(`{"type":"click","query":"%s","doc":"%s","position":%d,"source":"widget"}`, []string{"gil", "goroutine leak", "thread pool"}[i], doc, []int{1, 3, 7}[i]))
	}
	waitWritten(t, rec, 15)
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Authorization": "Bearer s3cret"}}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "insights page", chromedp.Navigate(url+"/admin/insights"), chromedp.WaitVisible(chromedp.CSS("svg.chart")))
	checkErrors(t, ctx)
	shoot(t, ctx, shots, "insights", true)
}

// TestSearchWithoutInsightsStore: with no database (it could not be opened), searches
// and clicks are answered as ever and the events are counted as dropped; a flood of
// events is rate-limited like any request.
func TestSearchWithoutInsightsStore(t *testing.T) {
	rec := insights.NewRecorder(context.Background(), nil, nil, insights.Options{Flush: 5 * time.Millisecond})
	t.Cleanup(rec.Close)
	url := serve(t, Config{Insights: rec, RateLimit: 5})
	resp, err := http.Get(url + "/api/search?q=goroutine")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("search without an insights store: %d", resp.StatusCode)
	}
	limited := 0
	for range 30 {
		code, _ := post(t, url, `{"type":"click","query":"goroutine","doc":"go/concurrency/goroutines#goroutine-leak","position":1}`)
		if code == http.StatusTooManyRequests {
			limited++
		} else if code != http.StatusNoContent {
			t.Fatalf("a click: %d", code)
		}
	}
	if limited == 0 {
		t.Error("30 events at once from one address were not rate-limited")
	}
	deadline := time.Now().Add(2 * time.Second)
	for rec.Dropped() < int64(31-limited) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := rec.Dropped(); got != int64(31-limited) {
		t.Errorf("dropped %d events, want %d (the search and the clicks let through)", got, 31-limited)
	}
}
