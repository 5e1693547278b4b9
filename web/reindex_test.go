package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"qdex/internal/testutil"
	"qdex/reindex"
	"qdex/search"
)

// liveServer serves a copy of the test corpus through a real HTTP server that
// rebuilds when the corpus changes.
type liveServer struct {
	data string
	url  string
	rb   *reindex.Rebuilder
}

func newLiveServer(t *testing.T, token string, watch bool) *liveServer {
	t.Helper()
	ls := &liveServer{data: t.TempDir()}
	testutil.CopyDir(t, "testdata/corpus", ls.data)
	holder := search.NewHolder(nil)
	t.Cleanup(holder.Close)
	ls.rb = reindex.New(reindex.Config{Data: ls.data, Index: filepath.Join(t.TempDir(), "index"), Holder: holder,
		Debounce: 50 * time.Millisecond, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if b := ls.rb.Rebuild(context.Background(), "start"); !b.OK {
		t.Fatalf("first build: %+v", b)
	}
	s, err := New(Config{Holder: holder, Rebuilder: ls.rb, AdminToken: token})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	ls.url = srv.URL
	if watch {
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		go ls.rb.Watch(ctx)
		deadline := time.Now().Add(2 * time.Second)
		for !ls.rb.Status().Watching && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
	}
	return ls
}

// firstSubtopic returns the path of a subtopic file of the corpus and a question of it.
func firstSubtopic(t *testing.T, data string) (string, string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(data, "qa", "*", "*", "*.md"))
	if len(files) == 0 {
		t.Fatal("no subtopic files")
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if q, ok := strings.CutPrefix(strings.TrimSpace(l), "q: "); ok {
			return files[0], strings.Trim(q, `"`)
		}
	}
	t.Fatal("no question line")
	return "", ""
}

func replaceIn(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s has no %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func total(t *testing.T, base, q string) int {
	t.Helper()
	resp, err := http.Get(base + "/api/search?q=" + q)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct{ Total int }
	json.NewDecoder(resp.Body).Decode(&r)
	return r.Total
}

func TestEditSearchableDuringTraffic(t *testing.T) {
	ls := newLiveServer(t, "", true)
	file, question := firstSubtopic(t, ls.data)
	word := strings.Fields(question)[len(strings.Fields(question))-1]
	word = strings.Trim(word, "?.`\"")

	var failed, done atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 5 * time.Second}
			for {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := client.Get(ls.url + "/api/search?q=" + word)
				if err != nil {
					failed.Add(1)
					continue
				}
				var r struct{ Total int }
				err = json.NewDecoder(resp.Body).Decode(&r)
				resp.Body.Close()
				done.Add(1)
				if err != nil || resp.StatusCode != http.StatusOK || r.Total == 0 {
					failed.Add(1)
				}
			}
		}()
	}
	start := time.Now()
	replaceIn(t, file, question, question+" zebracorn")
	for total(t, ls.url, "zebracorn") != 1 {
		if time.Since(start) > 2*time.Second {
			t.Fatal("the edit was not searchable within 2 seconds")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("edit searchable after %s", time.Since(start).Round(time.Millisecond))
	// Two more swaps under traffic.
	replaceIn(t, file, "zebracorn", "quaggacorn")
	for total(t, ls.url, "quaggacorn") != 1 && time.Since(start) < 4*time.Second {
		time.Sleep(20 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if failed.Load() != 0 || done.Load() == 0 {
		t.Errorf("%d of %d searches failed or were empty during the swaps", failed.Load(), done.Load())
	}
}

func TestBrokenCorpusKeepsServingAndSaysWhere(t *testing.T) {
	ls := newLiveServer(t, "", true)
	file, question := firstSubtopic(t, ls.data)
	replaceIn(t, file, "difficulty:", "difficulty: brutal\nold_difficulty:")
	deadline := time.Now().Add(2 * time.Second)
	for len(ls.rb.Errors()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(ls.url + "/api/status")
	if err != nil {
		t.Fatal(err)
	}
	var st reindex.Status
	json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if st.LastBuild == nil || !st.LastBuild.OK || len(st.LastBuild.Kept) != 1 || len(st.LastBuild.Errors) != 1 || !strings.HasPrefix(st.LastBuild.Errors[0], file+":") ||
		!strings.Contains(st.LastBuild.Errors[0], `difficulty: "brutal" is not one of easy, medium, hard`) || st.Serving == nil {
		t.Fatalf("status: %+v", st)
	}
	// The old content still serves, and pages carry the notice.
	if total(t, ls.url, strings.Fields(question)[0]) == 0 {
		t.Error("the last good index stopped serving")
	}
	page, err := http.Get(ls.url + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if !strings.Contains(string(body), `class="wrap corpus-errors" role="alert"`) || !strings.Contains(string(body), "brutal") {
		t.Error("the home page has no corpus-error notice")
	}
}

func TestAdminReindex(t *testing.T) {
	post := func(url, token string) int {
		req, _ := http.NewRequest(http.MethodPost, url+"/api/admin/reindex", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	off := newLiveServer(t, "", false)
	if code := post(off.url, "anything"); code != http.StatusNotFound {
		t.Errorf("without QDEX_ADMIN_TOKEN: %d, want 404", code)
	}
	on := newLiveServer(t, "s3cret-token", false)
	if code := post(on.url, ""); code != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", code)
	}
	if code := post(on.url, "s3cret-tokem"); code != http.StatusUnauthorized {
		t.Errorf("wrong token: %d, want 401", code)
	}
	file, question := firstSubtopic(t, on.data)
	replaceIn(t, file, question, question+" okapiword")
	if code := post(on.url, "s3cret-token"); code != http.StatusOK {
		t.Errorf("right token: %d, want 200", code)
	}
	if total(t, on.url, "okapiword") != 1 {
		t.Error("the admin rebuild did not serve the edit")
	}
}

func TestMetrics(t *testing.T) {
	s := newServer(t)
	get(t, s, "/api/search?q=zzzqqqxxx")
	get(t, s, "/no/such/page/here")
	rec := get(t, s, "/metrics")
	body := rec.Body.String()
	for _, want := range []string{
		`qdex_searches_total{results="zero"}`,
		`qdex_http_requests_total{code="200",method="GET",route="/api/search"}`,
		`qdex_http_request_duration_seconds_bucket{route="/api/search"`,
		"go_goroutines",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func TestBusyServerAnswers503(t *testing.T) {
	s, err := New(Config{Holder: testHolder, MaxSearches: 1, SearchTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	s.slots <- struct{}{} // a search that never ends holds the only slot
	rec := get(t, s, "/api/search?q=thread")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "busy") {
		t.Errorf("with every slot taken: %d %s", rec.Code, rec.Body.String())
	}
	<-s.slots
	if rec := get(t, s, "/api/search?q=thread"); rec.Code != http.StatusOK {
		t.Errorf("with a free slot: %d", rec.Code)
	}
}

// A trailing space ends the last word: the API must not expand it as a prefix.
func TestTrailingSpaceEndsTheWord(t *testing.T) {
	s := newServer(t)
	totalOf := func(target string) int {
		rec := get(t, s, target)
		var r struct{ Total int }
		if err := json.NewDecoder(rec.Body).Decode(&r); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %v", target, rec.Code, err)
		}
		return r.Total
	}
	if n := totalOf("/api/search?q=thr"); n == 0 {
		t.Errorf("q=thr (unfinished) found nothing")
	}
	if n := totalOf("/api/search?q=thr+"); n != 0 {
		t.Errorf("q=thr+ (a finished word) found %d documents", n)
	}
}

// TestRealContentServes: content the site writes that qdex used to refuse is served:
// an article with no qaPath (not linked to a page), a question id with an underscore.
func TestRealContentServes(t *testing.T) {
	ls := newLiveServer(t, "", false)
	file, _ := firstSubtopic(t, ls.data)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	id := strings.TrimSpace(strings.SplitN(strings.SplitN(string(b), "- id:", 2)[1], "\n", 2)[0])
	replaceIn(t, file, "- id: "+id, "- id: "+strings.ReplaceAll(id, "-", "_")+"_x")
	article := "---\ntitle: Notes on quokkaword\ndescription: Not about one page.\n---\nA quokkaword body.\n"
	if err := os.WriteFile(filepath.Join(ls.data, "blog", "unlinked.md"), []byte(article), 0o644); err != nil {
		t.Fatal(err)
	}
	if b := ls.rb.Rebuild(context.Background(), "admin"); !b.OK || len(b.Errors) != 0 {
		t.Fatalf("rebuild: %+v", b)
	}
	resp, err := http.Get(ls.url + "/api/search?q=quokkaword")
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Hits []struct{ ID, URL string }
	}
	json.NewDecoder(resp.Body).Decode(&r)
	resp.Body.Close()
	if len(r.Hits) != 1 || r.Hits[0].URL != "/blog/unlinked" {
		t.Fatalf("search for the unlinked article: %+v", r.Hits)
	}
	page, err := http.Get(ls.url + "/blog/unlinked")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != http.StatusOK || !strings.Contains(string(body), "Notes on quokkaword") || strings.Contains(string(body), "Practice the questions") {
		t.Errorf("article page: %d\n%.500s", page.StatusCode, body)
	}
	rel, _ := filepath.Rel(filepath.Join(ls.data, "qa"), strings.TrimSuffix(file, ".md"))
	page, err = http.Get(ls.url + "/" + filepath.ToSlash(rel))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(page.Body)
	page.Body.Close()
	if want := `id="` + strings.ReplaceAll(id, "-", "_") + `_x"`; page.StatusCode != http.StatusOK || !strings.Contains(string(body), want) {
		t.Errorf("subtopic page: %d, no %s", page.StatusCode, want)
	}
}
