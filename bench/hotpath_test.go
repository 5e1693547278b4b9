package bench_test

// Go benchmarks of qdex's hot paths, on a generated corpus of 1,000 questions built
// once, on first use, by the benchmarks that need it (so `go test ./...`, which runs no
// benchmark, never builds it):
//
//	go test -run '^$' -bench . -benchmem ./bench/

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/registry"

	"qdex/bench"
	"qdex/corpus"
	"qdex/gen"
	"qdex/indexer"
	"qdex/search"
	"qdex/web"
)

type fixture struct {
	dir     string
	c       *corpus.Corpus
	ix      *search.Index
	queries []bench.Query
	prose   []string // answers' prose
	code    []string // answers' code
	answers []string // answers' Markdown
	pages   []string // subtopic page paths
}

var (
	fixtureDir string
	getFixture = sync.OnceValues(func() (*fixture, error) {
		dir, err := os.MkdirTemp("", "qdex-hotpath-")
		if err != nil {
			return nil, err
		}
		fixtureDir = dir
		data := filepath.Join(dir, "data")
		if _, err := gen.Generate(context.Background(), data, gen.Options{Questions: 1000, Seed: 1}); err != nil {
			return nil, err
		}
		c, err := corpus.Load(data)
		if err != nil {
			return nil, err
		}
		ixDir := filepath.Join(dir, "index")
		if _, err := indexer.Build(context.Background(), c, ixDir, indexer.Options{}); err != nil {
			return nil, err
		}
		ix, err := search.Open(ixDir)
		if err != nil {
			return nil, err
		}
		f := &fixture{dir: dir, c: c, ix: ix, queries: bench.Workload(c, 600, 1)}
		for _, s := range c.Subtopics {
			f.pages = append(f.pages, s.Path())
			for _, q := range s.Questions {
				ex := indexer.ExtractText(q.A)
				f.answers = append(f.answers, q.A)
				f.prose = append(f.prose, ex.Prose)
				f.code = append(f.code, ex.CodeText())
			}
		}
		return f, nil
	})
)

// TestMain only removes the fixture, if a benchmark made one.
func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

func load(b *testing.B) *fixture {
	b.Helper()
	f, err := getFixture()
	if err != nil {
		b.Fatal(err)
	}
	return f
}

func totalBytes(ss []string) int64 {
	n := 0
	for _, s := range ss {
		n += len(s)
	}
	return int64(n)
}

// BenchmarkAnalyze runs each of qdex's analyzers over answer text, as indexing does:
// prose through the text and exact analyzers, code through the code analyzer.
func BenchmarkAnalyze(b *testing.B) {
	f := load(b)
	cache := registry.NewCache()
	for _, tc := range []struct {
		name  string
		input []string
	}{
		{indexer.TextAnalyzer, f.prose},
		{indexer.ExactAnalyzer, f.prose},
		{indexer.CodeAnalyzer, f.code},
	} {
		a, err := cache.AnalyzerNamed(tc.name)
		if err != nil {
			b.Fatal(err)
		}
		inputs := make([][]byte, len(tc.input))
		for i, s := range tc.input {
			inputs[i] = []byte(s)
		}
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(totalBytes(tc.input) / int64(len(tc.input)))
			i := 0
			for b.Loop() {
				a.Analyze(inputs[i%len(inputs)])
				i++
			}
		})
	}
}

// BenchmarkExtractText splits answers' Markdown into prose and code, the first step of
// indexing a question.
func BenchmarkExtractText(b *testing.B) {
	f := load(b)
	b.SetBytes(totalBytes(f.answers) / int64(len(f.answers)))
	i := 0
	for b.Loop() {
		indexer.ExtractText(f.answers[i%len(f.answers)])
		i++
	}
}

// BenchmarkParse parses the mixed workload's queries.
func BenchmarkParse(b *testing.B) {
	f := load(b)
	i := 0
	for b.Loop() {
		search.Parse(f.queries[i%len(f.queries)].Text)
		i++
	}
}

// BenchmarkSearch runs Index.Search as the web pages do (page of 10, facets,
// highlights), on the mixed workload and on each kind of query.
func BenchmarkSearch(b *testing.B) {
	f := load(b)
	ctx := context.Background()
	run := func(b *testing.B, qs []bench.Query) {
		i := 0
		for b.Loop() {
			q := qs[i%len(qs)]
			if _, err := f.ix.Search(ctx, search.Request{Query: q.Text, Filters: q.Filters}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	}
	b.Run("mixed", func(b *testing.B) { run(b, f.queries) })
	for _, k := range bench.Kinds {
		var qs []bench.Query
		for _, q := range f.queries {
			if q.Kind == k.Name {
				qs = append(qs, q)
			}
		}
		b.Run(k.Name, func(b *testing.B) { run(b, qs) })
	}
}

// BenchmarkHighlight isolates the cost of hits and their highlights: the same searches
// without facets, with a page of 10 hits and of 1; the difference is nine hits'
// stored fields and highlight fragments. "matcher" is the highlighting of a whole
// rendered answer (search.Matcher), as the answer pages mark the query's words.
func BenchmarkHighlight(b *testing.B) {
	f := load(b)
	ctx := context.Background()
	for _, size := range []int{10, 1} {
		b.Run(fmt.Sprintf("search-no-facets-size-%d", size), func(b *testing.B) {
			i := 0
			for b.Loop() {
				q := f.queries[i%len(f.queries)]
				if _, err := f.ix.Search(ctx, search.Request{Query: q.Text, Filters: q.Filters, Size: size, NoFacets: true}); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
	b.Run("matcher", func(b *testing.B) {
		i := 0
		for b.Loop() {
			m := f.ix.NewMatcher(f.queries[i%len(f.queries)].Text)
			m.Ranges(f.prose[i%len(f.prose)])
			i++
		}
	})
}

// BenchmarkAnswerPage renders a subtopic's answer page through the web server, with
// and without a query to mark.
func BenchmarkAnswerPage(b *testing.B) {
	f := load(b)
	srv, err := web.New(web.Config{Holder: search.NewHolder(f.ix)})
	if err != nil {
		b.Fatal(err)
	}
	for _, withQuery := range []bool{false, true} {
		name := "plain"
		if withQuery {
			name = "marked"
		}
		b.Run(name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				target := "/" + f.pages[i%len(f.pages)]
				if withQuery {
					target += "?q=" + url.QueryEscape(f.queries[i%len(f.queries)].Text)
				}
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", target, rec.Code)
				}
				i++
			}
		})
	}
}
