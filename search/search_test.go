package search

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"qdex/corpus"
	"qdex/indexer"
	"qdex/internal/testutil"
)

// openGood builds the small test corpus into a temporary index and opens it.
func openGood(t testing.TB) *Index { return openCorpus(t, "../corpus/testdata/good") }

// openCorpus builds the corpus at dir into a temporary index and opens it.
func openCorpus(t testing.TB, corpusDir string) *Index {
	t.Helper()
	c, err := corpus.Load(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := indexer.Build(context.Background(), c, dir, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	return openIndex(t, dir)
}

// openIndex opens the index at dir until the test ends.
func openIndex(t testing.TB, dir string) *Index {
	t.Helper()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

func TestSearchFinds(t *testing.T) {
	ix := openGood(t)
	tests := []struct {
		query string
		first string // the expected top hit
		only  bool   // and nothing else
	}{
		{"ThreadPoolExecutor", "python/concurrency/gil#threadpool-executor", true},
		{"threadpool ", "python/concurrency/gil#threadpool-executor", true},
		{"thread pool ", "python/concurrency/gil#threadpool-executor", false},
		{"asyncio.gather", "python/concurrency/asyncio#asyncio-gather", true},
		{"gather ", "python/concurrency/asyncio#asyncio-gather", true},
		{"sync.WaitGroup", "go/concurrency/goroutines#waitgroup", true},
		{"goroutine lea", "go/concurrency/goroutines#goroutine-leak", false},                        // unfinished word
		{"gorutine leak ", "go/concurrency/goroutines#goroutine-leak", false},                       // one typo
		{"go routine leak ", "go/concurrency/goroutines#goroutine-leak", false},                     // multi-word synonym
		{`"event loop" block`, "python/concurrency/asyncio#blocking-the-loop", false},               // phrase + prefix
		{"code:gather", "python/concurrency/asyncio#asyncio-gather", true},                          // code only
		{"event loop -gather", "python/concurrency/asyncio#blocking-the-loop", true},                // exclusion
		{"lock type:article", "blog/python-gil-explained", true},                                    // type filter
		{"goroutine leaks framework:go", "go/concurrency/goroutines#goroutine-leak", false},         // stem + filter
		{"why must coroutines never block ", "python/concurrency/asyncio#blocking-the-loop", false}, // natural language
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res, err := ix.Search(context.Background(), Request{Query: tt.query})
			if err != nil {
				t.Fatal(err)
			}
			got := ids(res)
			if len(got) == 0 || got[0] != tt.first {
				t.Fatalf("top hit: got %v, want %s first", got, tt.first)
			}
			if tt.only && len(got) != 1 {
				t.Errorf("got %v, want only %s", got, tt.first)
			}
		})
	}
}

func TestSearchNeverFailsOnSyntax(t *testing.T) {
	ix := openGood(t)
	for _, q := range []string{`a~2`, `b^3`, `/re.*/`, `(x OR y)`, `+`, `-`, `"`, `field:`, `*`, `?`, `\`, `code:`, `""`, `-""`, "\x00", `lang:`} {
		if _, err := ix.Search(context.Background(), Request{Query: q}); err != nil {
			t.Errorf("%q: %v", q, err)
		}
	}
}

func TestRankingExactAboveStem(t *testing.T) {
	ix := openGood(t)
	// "threads" appears exactly in the GIL question's answer; other documents only
	// have "thread".
	res, err := ix.Search(context.Background(), Request{Query: "ThreadPoolExecutor pick "})
	if err != nil || len(res.Hits) == 0 {
		t.Fatal(err)
	}
	if res.Hits[0].ID != "python/concurrency/gil#threadpool-executor" {
		t.Errorf("got %v", ids(res))
	}
}

func TestDisjunctiveFacets(t *testing.T) {
	ix := openGood(t)
	res, err := ix.Search(context.Background(), Request{Query: "concurrency", Filters: map[string][]string{"difficulty": {"hard"}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		if h.Difficulty != "hard" {
			t.Errorf("hit %s has difficulty %s despite the filter", h.ID, h.Difficulty)
		}
	}
	counts := map[string]int{}
	var selected []string
	for _, v := range res.Facets["difficulty"] {
		counts[v.Value] = v.Count
		if v.Selected {
			selected = append(selected, v.Value)
		}
	}
	// Counts of the other difficulties for the same query stay visible.
	if counts["hard"] != 2 || counts["medium"] != 4 || counts["easy"] != 1 || !slices.Equal(selected, []string{"hard"}) {
		t.Errorf("difficulty facet: %+v", res.Facets["difficulty"])
	}
	// Other facets count only the filtered hits.
	fw := map[string]int{}
	for _, v := range res.Facets["framework"] {
		fw[v.Value] = v.Count
	}
	if fw["python"] != 1 || fw["go"] != 1 {
		t.Errorf("framework facet under difficulty:hard: %+v", res.Facets["framework"])
	}
	// Python calls its topic "Concurrency & Parallelism", Go "Concurrency": the
	// shared value is labelled from its slug.
	if tf := res.Facets["topic"]; len(tf) != 1 || tf[0].Label != "Concurrency" {
		t.Errorf("topic facet: %+v", tf)
	}
	if res.Facets["framework"][0].Label == "" || res.Facets["lang"] == nil {
		t.Errorf("facet labels or language facet missing: %+v", res.Facets)
	}
}

func TestHighlightsAreDataAndEscaped(t *testing.T) {
	ix := openGood(t)
	res, err := ix.Search(context.Background(), Request{Query: "asyncio.gather"})
	if err != nil || len(res.Hits) == 0 {
		t.Fatal(err)
	}
	h := res.Hits[0]
	if len(h.Highlights.Code) == 0 {
		t.Fatalf("no code highlight: %+v", h.Highlights)
	}
	var marked []string
	for _, s := range h.Highlights.Code[0] {
		if s.Match {
			marked = append(marked, s.Text)
		}
	}
	if !slices.Contains(marked, "asyncio.gather") {
		t.Errorf("code fragment %+v does not mark asyncio.gather", h.Highlights.Code[0])
	}
	f := Fragment{{Text: "<b>&"}, {Text: "x<y", Match: true}}
	if got := f.HTML(); got != "&lt;b&gt;&amp;<mark>x&lt;y</mark>" {
		t.Errorf("HTML %q", got)
	}
}

func TestSuggestion(t *testing.T) {
	ix := openGood(t)
	res, err := ix.Search(context.Background(), Request{Query: "goroutine leek "})
	if err != nil {
		t.Fatal(err)
	}
	if res.Suggestion != "goroutine leak" {
		t.Errorf("suggestion %q (total %d)", res.Suggestion, res.Total)
	}
	res, _ = ix.Search(context.Background(), Request{Query: "framework:go goroutine leek "})
	if res.Suggestion != "framework:go goroutine leak" {
		t.Errorf("suggestion with a filter: %q", res.Suggestion)
	}
	res, _ = ix.Search(context.Background(), Request{Query: "goroutine"})
	if res.Suggestion != "" {
		t.Errorf("suggestion for a good query: %q", res.Suggestion)
	}
}

func TestPaginationAndSort(t *testing.T) {
	ix := openGood(t)
	all, _ := ix.Search(context.Background(), Request{Query: "framework:python", Size: 100})
	if all.Total != 5 {
		t.Fatalf("framework:python total %d", all.Total)
	}
	var paged []string
	for page := 1; page <= 3; page++ {
		res, err := ix.Search(context.Background(), Request{Query: "framework:python", Size: 2, Page: page})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, ids(res)...)
	}
	if !slices.Equal(paged, ids(all)) {
		t.Errorf("pages %v != all %v", paged, ids(all))
	}
	res, _ := ix.Search(context.Background(), Request{Query: "framework:python", Sort: SortNewest, Size: 100})
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i-1].Updated < res.Hits[i].Updated {
			t.Errorf("newest sort out of order: %s before %s", res.Hits[i-1].Updated, res.Hits[i].Updated)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		r    Request
		want string
	}{
		{Request{Query: strings.Repeat("a", MaxQueryBytes+1)}, "q:"},
		{Request{Size: MaxSize + 1}, "size:"},
		{Request{Query: "bad \xff"}, "q: not valid UTF-8"},
		{Request{Filters: map[string][]string{"lang": {"\xfe"}}}, "lang:"},
		{Request{Page: -1}, "page:"},
		{Request{Page: 1000, Size: 100}, "page:"},
		{Request{Sort: "random"}, "sort:"},
		{Request{Filters: map[string][]string{"color": {"red"}}}, "color:"},
	} {
		err := tc.r.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want an error naming %s", tc.r, err, tc.want)
		}
	}
}

func TestContentWords(t *testing.T) {
	ix := openGood(t)
	texts := func(ws []queryWord) string {
		var out []string
		for _, w := range ws {
			out = append(out, w.text)
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct{ in, content, stops string }{
		// Filler words of a long question become optional…
		{"how does the event loop work with many coroutines", "event loop many coroutines", "how does the work with"},
		// …but not in a short query, where they may be the subject.
		{"use asyncio", "use asyncio", ""},
		{"the", "the", ""},
		// A connective between two subjects is optional like a stop word.
		{"unknown vs any", "unknown", "vs any"},
		{"vs", "vs", ""},
		// A command-line flag is content, even when its letters are a stop word.
		{"lsof -i", "lsof -i", ""},
		{"docker run -it", "docker run -it", ""},
	} {
		c, s := ix.contentWords(strings.Fields(tc.in))
		if texts(c) != tc.content || texts(s) != tc.stops {
			t.Errorf("%q: content %q stops %q, want %q and %q", tc.in, texts(c), texts(s), tc.content, tc.stops)
		}
	}
}

// openQuestions indexes one subtopic page (go/runtime/memory) holding the questions
// given as YAML list items, with the synonym groups given as YAML lines, and opens it.
func openQuestions(t *testing.T, questions string, synonyms ...string) *Index {
	t.Helper()
	dir := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("frameworks/go.yml", "name: Go\ndescription: Go.\norder: 1\n")
	write("topics/go-runtime.yml", "name: Runtime\ndescription: The runtime.\nframeworkSlug: go\nslug: runtime\norder: 1\n")
	write("qa/go/runtime/memory.md", `---
framework: Go
frameworkSlug: go
topic: Runtime
topicSlug: runtime
subtopic: Memory
difficulty: medium
order: 1
updated: 2026-01-01
seoDescription: Memory.
questions:
`+questions+`---
`)
	if len(synonyms) > 0 {
		write("synonyms.yml", strings.Join(synonyms, "\n")+"\n")
	}
	return openCorpus(t, dir)
}

// TestRelaxedRanksByWordsFound: when no document has every word, one with more of the
// words ranks above one with fewer, even if the fewer words weigh more (they are in
// its question, repeated).
func TestRelaxedRanksByWordsFound(t *testing.T) {
	ix := openQuestions(t, `  - id: heap-memory
    q: How is heap memory measured, and why does heap memory matter?
    a: |
      Heap memory is memory the collector manages; watch heap memory with pprof.
  - id: leak
    q: Why do some background workers never stop?
    a: |
      A worker blocked on a channel nobody closes never exits, and its memory stays.
  - id: unrelated
    q: What is a slice header?
    a: |
      A pointer, a length and a capacity.
`)
	res, err := ix.Search(context.Background(), Request{Query: "heap memory background workers exits "})
	if err != nil {
		t.Fatal(err)
	}
	got := ids(res)
	if !res.Relaxed || len(got) < 2 || got[0] != "go/runtime/memory#leak" {
		t.Errorf("relaxed %v, hits %v; want go/runtime/memory#leak (four of the five words) first", res.Relaxed, got)
	}
}

// TestRelaxedWeighsRareWords: when no document has every word, the words' scores
// count, not only their number: the answer with the question's two rare words
// ranks above one with three words every other answer has. Ranked by the number of
// words found alone, the common one came first.
func TestRelaxedWeighsRareWords(t *testing.T) {
	var b strings.Builder
	b.WriteString(`  - id: generic
    q: What does a function return when it has no return statement?
    a: |
      A function without a return statement returns undefined, whatever value it computed.
  - id: memo
    q: Why does a memoized result go stale?
    a: |
      The memo keeps the first result for its arguments until it is dropped.
`)
	for i := range 8 {
		fmt.Fprintf(&b, `  - id: filler-%d
    q: What value does function number %d return?
    a: |
      A function can return a value; the value is what the function returns.
`, i, i)
	}
	ix := openQuestions(t, b.String())
	res, err := ix.Search(context.Background(), Request{Query: "function return value memoized stale"})
	if err != nil {
		t.Fatal(err)
	}
	got := ids(res)
	if !res.Relaxed || len(got) < 2 || got[0] != "go/runtime/memory#memo" {
		t.Errorf("relaxed %v, hits %v; want go/runtime/memory#memo (the two rare words) first", res.Relaxed, got)
	}
}

// TestPairsOfExpandedWords: words next to each other in the query score more where
// they are next to each other in the text, also when one of them is unfinished or
// misspelt and stands for the words it expands to.
func TestPairsOfExpandedWords(t *testing.T) {
	ix := openQuestions(t, `  - id: apart
    q: Which manager has the context here?
    a: |
      The caller that passes it down.
  - id: adjacent
    q: What does a context manager do here?
    a: |
      It runs its exit method at the end.
`)
	for _, q := range []string{"context manag", "context managr ", "contxt manager "} {
		res, err := ix.Search(context.Background(), Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(res); len(got) != 2 || got[0] != "go/runtime/memory#adjacent" {
			t.Errorf("%q: got %v, want both, the adjacent pair first", q, got)
		}
	}
}

// TestAnyTermKeepsItsBoost: a document with one of a clause's terms scores as that
// term at the clause's boost, however many terms the clause has: the clause is a sum
// (bleve ignores a disjunction's boost and scales its score by the share of clauses
// matched).
func TestAnyTermKeepsItsBoost(t *testing.T) {
	ix := openQuestions(t, `  - id: alpha
    q: What is alpha?
    a: |
      A letter.
  - id: gamma
    q: What is gamma?
    a: |
      A letter.
`)
	fillers := []string{"alpha", "zz1", "zz2", "zz3", "zz4", "zz5", "zz6", "zz7"}
	var any unitBuilder
	any.addTerms(fillers, indexer.FieldQuestionExact, 2)
	q := query.NewDisjunctionQuery([]query.Query{
		any.u.compile(),
		termQuery(leaf{indexer.FieldQuestionExact, "gamma", 1}),
	})
	res, err := ix.bleve.Search(bleve.NewSearchRequest(q))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 || res.Hits[0].ID != "go/runtime/memory#alpha" {
		t.Fatalf("hits %v, want alpha (boost 2) above gamma (boost 1)", res.Hits)
	}
	if r := res.Hits[0].Score / res.Hits[1].Score; r < 1.9 || r > 2.1 {
		t.Errorf("score ratio %.2f, want 2", r)
	}
}

// TestSynonymsOneWord: a word of one-word synonym groups finds the documents with the
// other words of every group it is in (the plan expands it: bleve cannot see inside a
// sum).
func TestSynonymsOneWord(t *testing.T) {
	ix := openQuestions(t, `  - id: dedupe
    q: How do you deduplicate rows?
    a: |
      Number them and keep the first.
  - id: distinct
    q: What does select distinct do?
    a: |
      It keeps one of each.
  - id: other
    q: How do you count rows?
    a: |
      With count(*).
`, "- [dedupe, deduplicate]", "- [distinct, dedupe]")
	res, err := ix.Search(context.Background(), Request{Query: "dedupe "})
	if err != nil {
		t.Fatal(err)
	}
	got := ids(res)
	slices.Sort(got)
	if want := []string{"go/runtime/memory#dedupe", "go/runtime/memory#distinct"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestStemsInAnswers: answers are indexed unstemmed, and a word still finds the other
// forms of it there, below the form typed, and excludes them.
func TestStemsInAnswers(t *testing.T) {
	ix := openQuestions(t, `  - id: other-form
    q: Why does memory grow?
    a: |
      A goroutine is leaking.
  - id: typed-form
    q: Why does memory grow here?
    a: |
      A goroutine leaks.
  - id: neither
    q: What is a goroutine?
    a: |
      A function run concurrently.
`)
	res, err := ix.Search(context.Background(), Request{Query: "goroutine leaks "})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(res), []string{"go/runtime/memory#typed-form", "go/runtime/memory#other-form"}; !slices.Equal(got[:min(2, len(got))], want) {
		t.Errorf("got %v, want %v first", got, want)
	}
	// Leaving a word out leaves out its other forms too.
	res, err = ix.Search(context.Background(), Request{Query: "goroutine -leaks "})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); !slices.Equal(got, []string{"go/runtime/memory#neither"}) {
		t.Errorf("goroutine -leaks: got %v, want only go/runtime/memory#neither", got)
	}
}

// TestShortFlags: a short -x after a word is a command-line flag, searched for: lsof -i
// finds the answer with lsof -i :8080 among others with lsof and with the word "i",
// where it used to leave out every document with an "i". First in the query, or of
// four letters or more, -word still excludes.
func TestShortFlags(t *testing.T) {
	ix := openQuestions(t, `  - id: listening-port
    q: How do you find which process is listening on a port?
    a: |
      Ask the kernel who owns the socket: `+"`lsof -i :8080`"+` names the process, and
      `+"`fuser -k 8080/tcp`"+` ends it.

      `+"```bash"+`
      lsof -i :8080
      fuser -k 8080/tcp
      `+"```"+`
  - id: open-files
    q: What does lsof show about a running process?
    a: |
      Every file it holds open, sockets and pipes included: run lsof -p 1234.
  - id: deleted-log
    q: Why is disk space not freed after I delete a log file with lsof running?
    a: |
      A process still has the file open; lsof +L1 lists such files until it closes them.
  - id: loop-index
    q: Why do I name a loop counter i?
    a: |
      By habit from mathematics: i, j and k are indices.

      `+"```go"+`
      for i := 0; i < n; i++ {
      }
      `+"```"+`
  - id: goroutine-leak
    q: Why does a goroutine leak when nobody reads its channel?
    a: |
      It blocks on the send forever.
  - id: goroutine-stack
    q: How big is the stack of a new goroutine?
    a: |
      A few kilobytes, grown as needed.
`)
	search := func(q string) []string {
		t.Helper()
		res, err := ix.Search(context.Background(), Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		return ids(res)
	}
	const port = "go/runtime/memory#listening-port"
	// In the top 3, and above a question about lsof without the flag.
	if got := search("lsof -i"); !slices.Contains(got[:min(3, len(got))], port) ||
		slices.Index(got, port) > slices.Index(got, "go/runtime/memory#open-files") {
		t.Errorf("lsof -i: got %v, want %s in the top 3 and above go/runtime/memory#open-files", got, port)
	}
	if got := search("fuser -k"); len(got) == 0 || got[0] != port {
		t.Errorf("fuser -k: got %v, want %s first", got, port)
	}
	// Exclusions: -i first leaves out the answers with "i", -leak the leaks.
	if got := search("-i lsof"); slices.Contains(got, port) || !slices.Contains(got, "go/runtime/memory#open-files") {
		t.Errorf("-i lsof: got %v, want go/runtime/memory#open-files and not %s", got, port)
	}
	if got := search("goroutine -leak"); !slices.Equal(got, []string{"go/runtime/memory#goroutine-stack"}) {
		t.Errorf("goroutine -leak: got %v, want only go/runtime/memory#goroutine-stack", got)
	}
}

// TestMatchesIsQueryUnscored: the query that facet counts use matches the documents
// the ranked query does, strict and relaxed.
func TestMatchesIsQueryUnscored(t *testing.T) {
	ix := openGood(t)
	for _, q := range []string{"goroutine leak", "event loop -gather", `"event loop" block`, "thread pool executor", "lock type:article"} {
		p := ix.plan(Parse(q))
		for _, relaxed := range []bool{false, true} {
			ranked, _ := p.compile(nil, relaxed, true)
			counted, _ := p.compile(nil, relaxed, false)
			total := func(bq query.Query) uint64 {
				res, err := ix.bleve.Search(bleve.NewSearchRequestOptions(bq, 0, 0, false))
				if err != nil {
					t.Fatal(err)
				}
				return res.Total
			}
			if a, b := total(ranked), total(counted); a != b || a == 0 {
				t.Errorf("%q relaxed %v: query matches %d, matches() %d; want the same, not 0", q, relaxed, a, b)
			}
		}
	}
}

// TestHighlightsOfPhrases: a word the query has on its own is marked wherever it is; a
// word it has only in a quoted phrase is marked only where the phrase is. The
// locations are read for the page's hits after the search (locate).
func TestHighlightsOfPhrases(t *testing.T) {
	ix := openQuestions(t, `  - id: stack
    q: Where does the stack of a goroutine live?
    a: |
      A goroutine starts with a small stack, and the runtime grows the stack by copying it. The heap holds the rest.
`)
	marked := func(q string) []string {
		t.Helper()
		res, err := ix.Search(context.Background(), Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 {
			t.Fatalf("%q: %d hits, want 1", q, len(res.Hits))
		}
		var out []string
		for _, f := range res.Hits[0].Highlights.Answer {
			for _, s := range f {
				if s.Match {
					out = append(out, s.Text)
				}
			}
		}
		return out
	}
	if got, want := marked(`"the stack"`), []string{"the", "stack"}; !slices.Equal(got, want) {
		t.Errorf(`"the stack": marked %q, want %q (not "the" elsewhere)`, got, want)
	}
	if got, want := marked(`stack heap`), []string{"stack", "stack", "heap"}; !slices.Equal(got, want) {
		t.Errorf("stack heap: marked %q, want %q", got, want)
	}
}

// TestPagesOfReranked: the adjacent-pair weight reorders the best hits after the
// search (rerank); pages cut from that order follow each other without gaps or
// repeats, and the documents with the pair come first.
func TestPagesOfReranked(t *testing.T) {
	ix := openQuestions(t, `  - id: apart-1
    q: Which heap grows when memory runs short?
    a: |
      The one the runtime manages.
  - id: apart-2
    q: Is a heap the only memory a program has?
    a: |
      No, goroutines have stacks too.
  - id: apart-3
    q: What does a heap profile show about memory?
    a: |
      Where live objects were allocated.
  - id: together-1
    q: How is heap memory given back to the system?
    a: |
      The scavenger releases pages.
  - id: together-2
    q: Why does heap memory grow with GOGC set high?
    a: |
      The collector waits longer between cycles.
`)
	ctx := context.Background()
	all, err := ix.Search(ctx, Request{Query: "heap memory", Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	got := ids(all)
	if len(got) != 5 || !strings.Contains(got[0], "together") || !strings.Contains(got[1], "together") {
		t.Fatalf("got %v, want the five, the two with \"heap memory\" first", got)
	}
	var paged []string
	for page := 1; page <= 3; page++ {
		res, err := ix.Search(ctx, Request{Query: "heap memory", Size: 2, Page: page})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, ids(res)...)
	}
	if !slices.Equal(paged, got) {
		t.Errorf("pages of 2 give %v, one page gives %v", paged, got)
	}
}

// TestPhraseMatchesBleve: the phrase searcher finds the documents bleve's phrase query
// finds, with the same scores, for runs of words taken from the corpus's own text in
// every field phrases are searched in (stop words leave gaps in the stemmed question).
func TestPhraseMatchesBleve(t *testing.T) {
	ix := openGood(t)
	ctx := context.Background()
	texts := []string{}
	for _, s := range ix.Catalog().Subtopics {
		for _, q := range s.Questions {
			texts = append(texts, q.Q)
		}
	}
	texts = append(texts, "asyncio.gather(fetch", "the event loop", "a goroutine that", "ThreadPoolExecutor max_workers")
	run := func(q query.Query) map[string]float64 {
		req := bleve.NewSearchRequestOptions(unnormalized{q}, 1000, 0, false)
		res, err := ix.bleve.SearchInContext(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]float64{}
		for _, h := range res.Hits {
			out[h.ID] = h.Score
		}
		return out
	}
	checked := 0
	for _, text := range texts {
		words := strings.Fields(text)
		for n := 2; n <= 3; n++ {
			for i := 0; i+n <= len(words); i++ {
				ph := strings.Join(words[i:i+n], " ")
				for _, f := range []string{indexer.FieldQuestion, indexer.FieldQuestionExact, indexer.FieldAnswerExact, indexer.FieldCode} {
					want := matchPhraseQuery(ph, f)
					u := ix.phrase(ph, f, 1)
					if len(u.alts) == 0 {
						continue
					}
					got := u.compile()
					// In a conjunction with the phrase's last word, bleve's conjunction
					// searcher skips the phrase searcher ahead (Advance).
					last := query.NewMatchQuery(words[i+n-1])
					last.SetField(f)
					for _, pair := range [][2]query.Query{{want, got}, {query.NewConjunctionQuery([]query.Query{last, want}), query.NewConjunctionQuery([]query.Query{last, got})}} {
						w, g := run(pair[0]), run(pair[1])
						if len(w) != len(g) {
							t.Fatalf("%s:%q: bleve finds %v, the phrase searcher %v", f, ph, w, g)
						}
						for id, s := range w {
							if math.Abs(g[id]-s) > 1e-9*max(1, s) {
								t.Fatalf("%s:%q: %s scores %v in bleve, %v here", f, ph, id, s, g[id])
							}
						}
						checked += len(w)
					}
				}
			}
		}
	}
	if checked < 50 {
		t.Fatalf("only %d matches compared", checked)
	}
}

func matchPhraseQuery(text, field string) query.Query {
	q := query.NewMatchPhraseQuery(text)
	q.SetField(field)
	return q
}

// TestHitsAcrossSegments: a page's stored fields and highlights are read segment by
// segment (segmentsOf). An index updated twice holds the edited pages' documents in
// segments of their own; its hits are those of a full build of the same corpus.
func TestHitsAcrossSegments(t *testing.T) {
	data := t.TempDir()
	if err := os.CopyFS(data, os.DirFS("../corpus/testdata/good")); err != nil {
		t.Fatal(err)
	}
	build := func(dir string, full bool) *Index {
		c, err := corpus.Load(data)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := indexer.Update(context.Background(), c, dir, full, indexer.Options{}); err != nil {
			t.Fatal(err)
		}
		return openIndex(t, dir)
	}
	updated := filepath.Join(t.TempDir(), "index")
	build(updated, true)
	// Each update adds a segment, which bleve's merger may fold into the others:
	// update until the index has several.
	edits := []struct{ file, from, to string }{
		{"qa/go/concurrency/goroutines.md", "What causes a goroutine leak?", "What causes a goroutine leak, and how is it found?"},
		{"qa/python/concurrency/asyncio.md", "Why must a coroutine never block?", "Why must a coroutine never block the loop?"},
	}
	var many *Index
	segments := 0
	for i := 0; i < 10 && segments < 2; i++ {
		e := edits[i%2]
		if i >= 2 {
			e.from, e.to = e.to, e.to+" Really?"
			edits[i%2].to = e.to
		}
		testutil.Edit(t, data, e.file, e.from, e.to)
		many = build(updated, false)
		zaps, _ := filepath.Glob(filepath.Join(indexer.BlevePath(many.Dir()), "store", "*.zap"))
		segments = len(zaps)
	}
	if segments < 2 {
		t.Fatalf("%d segment after ten updates: want several", segments)
	}
	one := build(filepath.Join(t.TempDir(), "index"), true)
	for _, q := range []string{"goroutine", "event loop", "gather", "lock", "python", `"goroutine leak"`, `"event loop"`} {
		a, err := one.Search(context.Background(), Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		b, err := many.Search(context.Background(), Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Hits) == 0 {
			t.Fatalf("%q: no hits", q)
		}
		key := func(r *Result) []string {
			var out []string
			for _, h := range r.Hits {
				out = append(out, fmt.Sprintf("%s|%s|%s|%v|%s|%+v", h.ID, h.Question, h.Difficulty, h.Languages, h.Updated, h.Highlights))
			}
			slices.Sort(out)
			return out
		}
		if ka, kb := key(a), key(b); !slices.Equal(ka, kb) {
			t.Errorf("%q: one segment gives\n%v\nmany give\n%v", q, ka, kb)
		}
		for _, h := range b.Hits {
			if h.Question == "" || h.Updated == "" || h.Framework == "" {
				t.Errorf("%q: hit %s lacks stored fields: %+v", q, h.ID, h)
			}
		}
	}
}

// TestFewFullMatchesFillThePage: when fewer documents than a page have every word,
// those with some of the words follow them, so a page never stops at three weak hits
// while an answer with two of the three words exists.
func TestFewFullMatchesFillThePage(t *testing.T) {
	var b strings.Builder
	for i := range 3 {
		fmt.Fprintf(&b, `  - id: all-%d
    q: Question %d about something else
    a: |
      A long sentence that happens to use window, long and list once each.
`, i, i)
	}
	b.WriteString(`  - id: virtual
    q: How do you render a long list quickly?
    a: |
      Virtualize the list: render only the rows in view.
`)
	ix := openQuestions(t, b.String())
	res, err := ix.Search(context.Background(), Request{Query: "window long list"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); len(got) != 4 || !slices.Contains(got, "go/runtime/memory#virtual") {
		t.Errorf("hits %v; want the three with every word and then go/runtime/memory#virtual", got)
	}
}

// TestTypoFindsTheCorrectionsStem: a misspelt word finds what the word it corrects to
// finds, its stem included ("denormalizaton" finds "denormalize").
func TestTypoFindsTheCorrectionsStem(t *testing.T) {
	ix := openQuestions(t, `  - id: when
    q: When would you denormalize a schema?
    a: |
      Denormalize when reads dominate, and keep the copies correct with triggers.
  - id: word
    q: What does the article say?
    a: |
      Denormalization is discussed here once.
`)
	res, err := ix.Search(context.Background(), Request{Query: "denormalizaton"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res); !slices.Contains(got, "go/runtime/memory#when") {
		t.Errorf("hits %v; want go/runtime/memory#when, which has the corrected word's stem", got)
	}
}
