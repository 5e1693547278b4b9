package web

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"qdex/api"
	"qdex/search"
)

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decoding %q: %v", body, err)
	}
	return v
}

// TestAPISearchContract checks every field of the JSON contract of issue 5.
func TestAPISearchContract(t *testing.T) {
	s := newServer(t)
	rec := get(t, s, "/api/search?q=thread+pool")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	raw := decode[map[string]any](t, rec.Body.String())
	for _, k := range []string{"query", "total", "took_ms", "page", "size", "hits", "facets", "suggestion", "relaxed"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("response has no %q (keys %v)", k, slices.Sorted(maps.Keys(raw)))
		}
	}
	hits, _ := raw["hits"].([]any)
	if len(hits) == 0 {
		t.Fatalf("no hits: %s", rec.Body)
	}
	hit := hits[0].(map[string]any)
	for _, k := range []string{"id", "type", "question", "title", "framework", "framework_name", "topic", "topic_name",
		"subtopic", "subtopic_name", "difficulty", "languages", "url", "score", "highlights"} {
		if _, ok := hit[k]; !ok {
			t.Errorf("hit has no %q (keys %v)", k, slices.Sorted(maps.Keys(hit)))
		}
	}
	hl, _ := hit["highlights"].(map[string]any)
	for _, k := range []string{"question", "answer", "code"} {
		if _, ok := hl[k].([]any); !ok {
			t.Errorf("highlights.%s is not a list: %v", k, hl[k])
		}
	}
	facets, _ := raw["facets"].(map[string]any)
	for _, k := range []string{"framework", "topic", "difficulty", "language", "type"} {
		if _, ok := facets[k].([]any); !ok {
			t.Errorf("facets.%s is not a list (keys %v)", k, slices.Sorted(maps.Keys(facets)))
		}
	}

	res := decode[api.Response](t, rec.Body.String())
	if res.Query != "thread pool" || res.Page != 1 || res.Size != search.DefaultSize || res.Total < 1 {
		t.Errorf("query %q page %d size %d total %d", res.Query, res.Page, res.Size, res.Total)
	}
	h := res.Hits[0]
	if h.ID != "python/concurrency/gil#threadpool-executor" || h.URL != "/python/concurrency/gil#threadpool-executor" {
		t.Errorf("first hit %q at %q, want the thread pool question", h.ID, h.URL)
	}
	if h.Type != "question" || h.FrameworkName != "Python" || h.TopicName != "Concurrency & Parallelism" ||
		h.SubtopicName != "Threading & the GIL" || h.Difficulty != "medium" || !slices.Contains(h.Languages, "python") {
		t.Errorf("first hit: %+v", h)
	}
	if q := h.Highlights["question"]; len(q) != 1 || !strings.Contains(q[0], "<mark>") {
		t.Errorf("question highlight %q has no <mark>", q)
	}
}

func TestAPISearchFilters(t *testing.T) {
	s := newServer(t)
	tests := []struct {
		target string
		check  func(api.Response) bool
		want   string
	}{
		{"/api/search?framework=go", func(r api.Response) bool { return r.Total == 2 && allHits(r, "framework", "go") }, "the 2 Go questions"},
		{"/api/search?framework=go&framework=python", func(r api.Response) bool { return r.Total == 6 }, "6 Go and Python documents"},
		{"/api/search?framework=go,python", func(r api.Response) bool { return r.Total == 6 }, "comma-separated values like repeated ones"},
		{"/api/search?framework=GO", func(r api.Response) bool { return r.Total == 2 }, "values case-insensitive"},
		{"/api/search?difficulty=hard", func(r api.Response) bool { return r.Total == 2 && allHits(r, "difficulty", "hard") }, "the hard questions"},
		{"/api/search?lang=go", func(r api.Response) bool { return r.Total == 2 }, "questions with Go code"},
		{"/api/search?language=go", func(r api.Response) bool { return r.Total == 2 }, "language as a synonym of lang"},
		{"/api/search?type=article", func(r api.Response) bool { return r.Total == 1 && r.Hits[0].Title == "The GIL, explained" }, "the article, its title in title"},
		{"/api/search?q=goroutine&framework=python", func(r api.Response) bool { return r.Total == 0 }, "no Python goroutine"},
		{"/api/search?framework=cobol", func(r api.Response) bool { return r.Total == 0 && len(r.Hits) == 0 }, "an unknown value: no hits, no error"},
		{"/api/search?q=&framework=", func(r api.Response) bool { return r.Total == 0 }, "nothing to search: no hits"},
		{"/api/search?framework=go&size=1&page=2", func(r api.Response) bool { return r.Page == 2 && r.Size == 1 && len(r.Hits) == 1 }, "the second page of one"},
		{"/api/search?framework=python&sort=newest", func(r api.Response) bool { return r.Hits[0].Type == "article" }, "the newest (the article) first"},
		{"/api/search?q=gil&framework=python", func(r api.Response) bool {
			// Disjunctive: the framework facet still counts Go, as the count ticking it would give.
			for _, v := range r.Facets["framework"] {
				if v.Value == "python" && !v.Selected {
					return false
				}
			}
			return len(r.Facets["framework"]) >= 1
		}, "python selected in its facet"},
		{"/api/search?framework=go", func(r api.Response) bool {
			var sel, other bool
			for _, v := range r.Facets["framework"] {
				sel = sel || v.Value == "go" && v.Selected && v.Count == 2
				other = other || v.Value == "python" && !v.Selected && v.Count > 0
			}
			return sel && other
		}, "a disjunctive framework facet: go ticked, python still counted"},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := get(t, s, tt.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if r := decode[api.Response](t, rec.Body.String()); !tt.check(r) {
				t.Errorf("want %s; got %s", tt.want, rec.Body)
			}
		})
	}
}

func allHits(r api.Response, field, value string) bool {
	for _, h := range r.Hits {
		got := map[string]string{"framework": h.Framework, "difficulty": h.Difficulty}[field]
		if got != value {
			return false
		}
	}
	return true
}

// TestAPIBadParameters: every bad parameter is a 400 whose message names it.
func TestAPIBadParameters(t *testing.T) {
	s := newServer(t)
	long := strings.Repeat("a", search.MaxQueryBytes+1)
	tests := []struct{ target, param string }{
		{"/api/search?q=x&size=1000", "size"},
		{"/api/search?q=x&size=0", "size"},
		{"/api/search?q=x&size=-5", "size"},
		{"/api/search?q=x&size=1.5", "size"},
		{"/api/search?q=x&page=0", "page"},
		{"/api/search?q=x&page=-1", "page"},
		{"/api/search?q=x&page=abc", "page"},
		{"/api/search?q=x&page=99999999999999999999", "page"},
		{"/api/search?q=x&page=101&size=100", "page"},
		{"/api/search?q=x&sort=bad", "sort"},
		{"/api/search?q=x&semantic=2", "semantic"},
		{"/api/search?q=%FF%FE", "q"},
		{"/api/search?q=" + long, "q"},
		{"/api/search?framework=%FF", "framework"},
		{"/api/search?topic=" + strings.Repeat("t", 200), "topic"},
		{"/api/search?q=x&%zz=1", "query string"},
	}
	for _, tt := range tests {
		t.Run(tt.target[:min(len(tt.target), 60)], func(t *testing.T) {
			rec := get(t, s, tt.target)
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
			}
			e := decode[map[string]string](t, rec.Body.String())
			if !strings.HasPrefix(e["error"], tt.param+":") {
				t.Errorf("error %q does not start with %q", e["error"], tt.param+":")
			}
		})
	}
}

func TestAPIQuestions(t *testing.T) {
	s := newServer(t)
	rec := get(t, s, "/api/questions/python/concurrency/gil")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	raw := decode[map[string]any](t, rec.Body.String())
	for _, k := range []string{"framework", "framework_name", "topic", "topic_name", "subtopic", "subtopic_name", "difficulty",
		"updated", "seo_description", "intro", "intro_html", "url", "questions", "articles"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("no %q (keys %v)", k, slices.Sorted(maps.Keys(raw)))
		}
	}
	sub := decode[apiSubtopic](t, rec.Body.String())
	if sub.SubtopicName != "Threading & the GIL" || sub.Updated != "2026-05-02" || sub.URL != "/python/concurrency/gil" {
		t.Errorf("subtopic: %+v", sub)
	}
	if len(sub.Questions) != 3 {
		t.Fatalf("%d questions, want 3", len(sub.Questions))
	}
	q := sub.Questions[1]
	if q.ID != "threadpool-executor" || q.DocID != "python/concurrency/gil#threadpool-executor" || q.Difficulty != "medium" ||
		!strings.Contains(q.Answer, "ThreadPoolExecutor(max_workers=8)") || !strings.Contains(string(q.AnswerHTML), `class="chroma"`) {
		t.Errorf("question: %+v", q)
	}
	if sub.Questions[0].Difficulty != "hard" {
		t.Errorf("a question without difficulty has %q, want the subtopic's", sub.Questions[0].Difficulty)
	}
	if len(sub.Articles) != 1 || sub.Articles[0].URL != "/blog/python-gil-explained" {
		t.Errorf("articles: %+v", sub.Articles)
	}

	for _, target := range []string{"/api/questions/python/concurrency/nope", "/api/questions/python/concurrency", "/api/questions/python/concurrency/gil/extra", "/api/nope"} {
		rec := get(t, s, target)
		if rec.Code != http.StatusNotFound || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Errorf("%s: status %d %q, want a JSON 404", target, rec.Code, rec.Header().Get("Content-Type"))
		}
		if e := decode[map[string]string](t, rec.Body.String()); e["error"] == "" {
			t.Errorf("%s: no error message: %s", target, rec.Body)
		}
	}
}

func TestHealthAndOpenAPI(t *testing.T) {
	s := newServer(t)
	if rec := get(t, s, "/healthz"); rec.Code != http.StatusOK {
		t.Errorf("/healthz: %d", rec.Code)
	}
	rec := get(t, s, "/readyz")
	if r := decode[map[string]any](t, rec.Body.String()); rec.Code != http.StatusOK || r["status"] != "ready" || r["documents"].(float64) != 8 {
		t.Errorf("/readyz: %d %s", rec.Code, rec.Body)
	}
	rec = get(t, s, "/api/openapi.yaml")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), "openapi: 3") ||
		!strings.Contains(rec.Body.String(), "/api/questions/{framework}/{topic}/{subtopic}") {
		t.Errorf("/api/openapi.yaml: %d %.100s", rec.Code, rec.Body)
	}
}

// TestNoIndex: without an index the server still answers: healthy, not ready, 503s.
func TestNoIndex(t *testing.T) {
	s, err := New(Config{Holder: search.NewHolder(nil)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		target string
		status int
		body   string
	}{
		{"/healthz", http.StatusOK, `"ok"`},
		{"/readyz", http.StatusServiceUnavailable, `"not ready"`},
		{"/api/search?q=gil", http.StatusServiceUnavailable, `{"error":"the search index is not available"}`},
		{"/api/questions/python/concurrency/gil", http.StatusServiceUnavailable, `"error"`},
		{"/", http.StatusServiceUnavailable, "not available"},
		{"/search?q=gil", http.StatusServiceUnavailable, "not available"},
		{"/python/concurrency/gil", http.StatusServiceUnavailable, "not available"},
		{"/static/style.css", http.StatusOK, "prefers-color-scheme"},
	}
	for _, tt := range tests {
		rec := get(t, s, tt.target)
		if rec.Code != tt.status || !strings.Contains(rec.Body.String(), tt.body) {
			t.Errorf("%s: %d %.200s; want %d with %q", tt.target, rec.Code, rec.Body, tt.status, tt.body)
		}
	}
}

// TestNoIndexEveryRoute: while no index is open, every route that reads it answers 503
// with the notice (a page, or JSON under /api/) and Retry-After, to GET and HEAD alike,
// before it looks at its parameters. The routes come from the router, so a new one is
// checked too.
func TestNoIndexEveryRoute(t *testing.T) {
	s, err := New(Config{Holder: search.NewHolder(nil)})
	if err != nil {
		t.Fatal(err)
	}
	noIndex := map[string]bool{
		"/healthz": true, "/readyz": true, "/api/openapi.yaml": true, "/api/status": true, "/api/*": true,
		"/metrics": true, "/static/*": true, "/favicon.ico": true, "/robots.txt": true,
		"/widget.js": true, "/highlight.js": true, // scripts, served without an index
		"/api/admin/insights": true, "/admin/insights": true, "/api/admin/suggestions/blocked": true, // the events database, not the index
	}
	params := strings.NewReplacer(":framework", "python", ":topic", "concurrency", ":subtopic", "gil", ":slug", "python-gil-explained")
	seen := map[string]bool{}
	for _, r := range s.e.Routes() {
		if r.Method != http.MethodGet || noIndex[r.Path] {
			continue
		}
		// A bad parameter too: the missing index is what the client must learn.
		target := params.Replace(r.Path) + "?size=-1&q=%ff"
		seen[r.Path] = true
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(method, target, nil))
			body := rec.Body.String()
			var want bool
			switch {
			case method == http.MethodHead:
				want = body == ""
			case strings.HasPrefix(r.Path, "/api/"):
				want = body == `{"error":"the search index is not available"}`+"\n"
			default:
				want = strings.Contains(body, "<h1>Search is not available right now</h1>") && strings.Contains(body, "the search index is not available")
			}
			if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") != "10" || !want {
				t.Errorf("%s %s: %d, Retry-After %q, body %.300q; want 503 with the notice", method, target, rec.Code, rec.Header().Get("Retry-After"), body)
			}
		}
	}
	for _, p := range []string{"/", "/search", "/blog/:slug", "/:framework", "/:framework/:topic", "/:framework/:topic/:subtopic", "/api/search", "/api/questions/:framework/:topic/:subtopic"} {
		if !seen[p] {
			t.Errorf("route %s not checked", p)
		}
	}
}
