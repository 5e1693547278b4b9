package bench

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"qdex/corpus"
	"qdex/gen"
	"qdex/search"
)

func testCorpus(t *testing.T, n int) (*corpus.Corpus, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	if _, err := gen.Generate(context.Background(), dir, gen.Options{Questions: n, Seed: 2}); err != nil {
		t.Fatal(err)
	}
	c, err := corpus.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c, dir
}

func TestWorkload(t *testing.T) {
	c, _ := testCorpus(t, 300)
	a, b := Workload(c, 200, 5), Workload(c, 200, 5)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same corpus and seed gave two workloads")
	}
	if len(a) != 200 {
		t.Fatalf("%d queries, want 200", len(a))
	}
	kinds := map[string]int{}
	for _, q := range a {
		kinds[q.Kind]++
		if strings.TrimSpace(q.Text) == "" || q.Match == "" {
			t.Errorf("%s query %q: empty text or MATCH %q", q.Kind, q.Text, q.Match)
		}
		if len(q.Where) != len(q.Args) {
			t.Errorf("%s query %q: %d conditions, %d arguments", q.Kind, q.Text, len(q.Where), len(q.Args))
		}
		switch q.Kind {
		case "phrase":
			if !strings.HasPrefix(q.Text, `"`) {
				t.Errorf("phrase query %q is not quoted", q.Text)
			}
		case "prefix":
			if strings.HasSuffix(q.Text, " ") || !strings.HasSuffix(q.Match, "*") {
				t.Errorf("prefix query %q, MATCH %q", q.Text, q.Match)
			}
		case "filtered":
			if len(q.Where) != 1 {
				t.Errorf("filtered query %q has no SQL filter", q.Text)
			}
			if q.Filters == nil && !strings.Contains(q.Text, ":") {
				t.Errorf("filtered query %q has no filter", q.Text)
			}
			r := search.Request{Query: q.Text, Filters: q.Filters}
			if err := r.Validate(); err != nil {
				t.Errorf("filtered query %q: %v", q.Text, err)
			}
		}
	}
	for _, k := range Kinds {
		want := 200 * k.Share / 100
		if got := kinds[k.Name]; got < want/2 {
			t.Errorf("%d %s queries, want about %d", got, k.Name, want)
		}
	}
}

func TestTypo(t *testing.T) {
	for _, w := range []string{"goroutine", "channel", "deadlock"} {
		seen := map[string]bool{}
		for seed := range uint64(50) {
			r := rand.New(rand.NewPCG(seed, 1))
			got := typo(r, w)
			if got == w {
				t.Errorf("typo(%q) = %q: no change", w, got)
			}
			if got[0] != w[0] {
				t.Errorf("typo(%q) = %q: first letter changed", w, got)
			}
			seen[got] = true
		}
		if len(seen) < 10 {
			t.Errorf("typo(%q): only %d variants", w, len(seen))
		}
	}
}

func TestSummarize(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	s := summarize(ds)
	if s.P50 != 50*time.Millisecond || s.P95 != 95*time.Millisecond || s.P99 != 99*time.Millisecond || s.Max != 100*time.Millisecond {
		t.Errorf("p50 %s p95 %s p99 %s max %s", s.P50, s.P95, s.P99, s.Max)
	}
	if s := summarize(nil); s.N != 0 || s.P50 != 0 {
		t.Errorf("no durations: %+v", s)
	}
}

func TestReport(t *testing.T) {
	now := time.Now()
	sz := &Size{Questions: TargetSize,
		Qdex: Engine{Build: 4 * time.Second, Open: 300 * time.Millisecond,
			Search: Stats{N: 10, P50: time.Millisecond, P99: 20 * time.Millisecond}},
		FTS:  Engine{Err: errNoFTS5Msg},
		HTTP: []HTTPRun{{Clients: 8, PerSec: 1500}},
	}
	r := &Report{Started: now, Finished: now.Add(time.Minute), Command: "make bench", Sizes: []*Size{sz},
		Notes: "kept by hand\n"}
	var b strings.Builder
	if err := r.WriteMarkdown(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"| build ≥ 2,000 questions/s (10k) | 2,500 questions/s | **yes** |",
		"| in-process search p99 ≤ 10 ms (10k) | 20.0 ms | **no** |",
		"| HTTP ≥ 1,000 searches/s at 8 clients (10k) | 1,500/s | **yes** |",
		"| `qdex serve` peak RSS ≤ 300 MB (100k) | not measured | — |",
		"<!-- notes -->\nkept by hand\n<!-- /notes -->",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if m := notesRE.FindStringSubmatch(out); m == nil || m[1] != "kept by hand\n" {
		t.Errorf("notes not found again: %v", m)
	}
}
