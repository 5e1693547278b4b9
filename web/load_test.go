package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"qdex/corpus"
	"qdex/gen"
	"qdex/indexer"
	"qdex/reindex"
	"qdex/search"
)

// TestLoad drives 64 clients of mixed queries against a 10k-question index over
// loopback while the index is rebuilt twice, and wants no 5xx and no dropped
// connection. It takes a while, so it runs only when asked:
//
//	QDEX_LOADTEST=1 go test -run TestLoad -v ./web/   (or: make loadtest)
//
// QDEX_LOADTEST_SECONDS (default 30) and QDEX_LOADTEST_QUESTIONS (default 10000) tune it.
func TestLoad(t *testing.T) {
	if os.Getenv("QDEX_LOADTEST") == "" {
		t.Skip("load test: set QDEX_LOADTEST=1 (make loadtest) to run it")
	}
	seconds := envInt("QDEX_LOADTEST_SECONDS", 30)
	questions := envInt("QDEX_LOADTEST_QUESTIONS", 10000)
	const clients = 64

	data := filepath.Join(t.TempDir(), "data")
	if _, err := gen.Generate(context.Background(), data, gen.Options{Questions: questions, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	c, err := corpus.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	index := filepath.Join(t.TempDir(), "index")
	start := time.Now()
	if _, err := indexer.Build(context.Background(), c, index, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("built %d questions in %s", c.QuestionCount(""), time.Since(start).Round(time.Millisecond))
	holder := search.NewHolder(nil)
	defer holder.Close()
	rb := reindex.New(reindex.Config{Data: data, Index: index, Holder: holder, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := rb.Reopen(); err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Holder: holder, Rebuilder: rb})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	defer srv.Close()

	queries := loadQueries(c)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		ok, fails atomic.Int64
		fivexx    atomic.Int64
		dropped   atomic.Int64
		firstErr  atomic.Value
	)
	began := time.Now()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, 1))
			var mine []time.Duration
			for {
				select {
				case <-stop:
					mu.Lock()
					latencies = append(latencies, mine...)
					mu.Unlock()
					return
				default:
				}
				q := queries[rng.IntN(len(queries))]
				t0 := time.Now()
				resp, err := client.Get(srv.URL + "/api/search?" + q)
				if err != nil {
					dropped.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(t0))
				switch {
				case resp.StatusCode >= 500:
					fivexx.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Sprintf("%d for %s", resp.StatusCode, q))
				case resp.StatusCode != http.StatusOK:
					fails.Add(1)
				default:
					ok.Add(1)
				}
			}
		}(uint64(i))
	}
	// Rebuild twice (full builds, swapped in as SIGHUP does) while the clients run;
	// the clients go on for the whole duration, and at least until both are done.
	time.Sleep(2 * time.Second)
	for i := 1; i <= 2; i++ {
		t0 := time.Now()
		if _, err := indexer.Update(context.Background(), c, index, true, indexer.Options{}); err != nil {
			t.Errorf("rebuild %d: %v", i, err)
		}
		if err := rb.Reopen(); err != nil {
			t.Errorf("reopen %d: %v", i, err)
		}
		t.Logf("rebuild %d took %s under load", i, time.Since(t0).Round(time.Millisecond))
	}
	// Then a writer breaks a page and pastes a hostile synonyms.yml (one group of
	// 3,000 words): the rebuild under load keeps both at their last good version.
	pages, _ := filepath.Glob(filepath.Join(data, "qa", "*", "*", "*.md"))
	broken := map[string]string{
		pages[0]:                            "---\nquestions: [\n---\n",
		filepath.Join(data, "synonyms.yml"): "- [" + strings.Repeat("word, ", 2999) + "last]\n",
	}
	for p, content := range broken {
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Now()
	b := rb.Rebuild(context.Background(), "admin")
	t.Logf("rebuild with a broken page and a hostile synonyms.yml took %s under load: %s", time.Since(t0).Round(time.Millisecond), b.Summary)
	if !b.OK || len(b.Kept) != 2 || len(b.Errors) != 2 {
		t.Errorf("rebuild with broken files: ok %v, kept %v, errors %q", b.OK, b.Kept, b.Errors)
	}
	time.Sleep(max(time.Second, time.Until(began.Add(time.Duration(seconds)*time.Second))))
	close(stop)
	wg.Wait()
	elapsed := time.Since(began).Seconds()

	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(float64(len(latencies))*p))]
	}
	t.Logf("%d clients, %.0fs, %d questions: %d requests (%.0f/s), p50 %s, p99 %s, max %s; 5xx %d, dropped %d, other non-200 %d",
		clients, elapsed, c.QuestionCount(""), len(latencies), float64(len(latencies))/elapsed,
		pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Millisecond),
		fivexx.Load(), dropped.Load(), fails.Load())
	if fivexx.Load() != 0 || dropped.Load() != 0 {
		t.Errorf("%d 5xx and %d dropped connections; first: %v", fivexx.Load(), dropped.Load(), firstErr.Load())
	}
	if fails.Load() != 0 {
		t.Errorf("%d responses were neither 200 nor 5xx", fails.Load())
	}
}

// loadQueries builds a mixed workload from the corpus's own words: keywords,
// phrases, typos, unfinished words, identifiers, filters and facets, pages.
func loadQueries(c *corpus.Corpus) []string {
	rng := rand.New(rand.NewPCG(42, 42))
	var words []string
	for _, s := range c.Subtopics {
		for _, q := range s.Questions {
			for _, w := range strings.Fields(q.Q) {
				w = strings.Trim(w, "?.,:;()`\"'")
				if len(w) >= 4 {
					words = append(words, strings.ToLower(w))
				}
			}
		}
	}
	pick := func() string { return words[rng.IntN(len(words))] }
	var qs []string
	for i := 0; i < 500; i++ {
		var q string
		v := url.Values{}
		switch i % 7 {
		case 0:
			q = pick() + " " + pick()
		case 1:
			q = `"` + pick() + " " + pick() + `"`
		case 2:
			w := pick()
			j := rng.IntN(len(w) - 1)
			q = w[:j] + w[j+1:j+2] + w[j:j+1] + w[j+2:] // one swap
		case 3:
			w := pick()
			q = pick() + " " + w[:max(2, len(w)/2)]
		case 4:
			q = "code:" + pick()
		case 5:
			q = pick()
			v.Set("difficulty", []string{"easy", "medium", "hard"}[rng.IntN(3)])
			v.Set("framework", c.Frameworks[rng.IntN(len(c.Frameworks))].Slug)
		case 6:
			q = pick() + " " + pick() + " " + pick()
			v.Set("page", "2")
		}
		v.Set("q", q)
		qs = append(qs, v.Encode())
	}
	return qs
}

func envInt(name string, def int) int {
	var n int
	if _, err := fmt.Sscan(os.Getenv(name), &n); err != nil || n <= 0 {
		return def
	}
	return n
}
