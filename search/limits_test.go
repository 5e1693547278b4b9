package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"qdex/corpus"
	"qdex/indexer"
)

// TestCorpusAtEveryLimit builds and opens an index of a corpus with every input at
// its limit (corpus/limits.go): the most synonym terms, each group and term at its
// largest, a page with the most questions, an answer and an id at their longest,
// and an article as large as a file may be. It must build, open and answer within
// the budgets below on two cores; the figures are in the log.
func TestCorpusAtEveryLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a corpus at every limit")
	}
	dir := t.TempDir()
	write := func(rel, content string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("frameworks/lim.yml", "name: Limits\n")
	write("topics/lim-edge.yml", "name: Edge\nframeworkSlug: lim\nslug: edge\n")

	// Synonyms: MaxSynonymTerms terms in groups of MaxSynonymGroup, most of them
	// phrases of MaxSynonymTermBytes bytes; each group's first term is a word the
	// questions use, its fourth a single word to search for.
	var syn strings.Builder
	var probe string // a synonym of topicword7
	for g := range corpus.MaxSynonymTerms / corpus.MaxSynonymGroup {
		syn.WriteString("- [")
		for i := range corpus.MaxSynonymGroup {
			term := fmt.Sprintf("w%dg%d", i, g)
			if i == 0 {
				term = fmt.Sprintf("topicword%d", g)
			}
			for i != 0 && i != 3 && len(term)+6 < corpus.MaxSynonymTermBytes {
				term += fmt.Sprintf(" t%dx%d", g, i)
			}
			term = strings.TrimSpace(term[:min(len(term), corpus.MaxSynonymTermBytes)])
			if g == 7 && i == 3 {
				probe = term
			}
			if i > 0 {
				syn.WriteString(", ")
			}
			syn.WriteString(`"` + term + `"`)
		}
		syn.WriteString("]\n")
	}
	write("synonyms.yml", syn.String())

	var page strings.Builder
	page.WriteString("---\nframeworkSlug: lim\ntopicSlug: edge\nsubtopic: Many\nquestions:\n")
	for i := range corpus.MaxQuestionsPerFile {
		id := fmt.Sprintf("q%d", i)
		answer := fmt.Sprintf("Answer %d about topicword%d and `code%d()`.", i, i%400, i)
		if i == 0 {
			id = strings.Repeat("i", corpus.MaxIDBytes)
			answer = strings.TrimSpace(strings.Repeat("longanswer words of prose ", corpus.MaxAnswerBytes/26))
		}
		fmt.Fprintf(&page, "  - id: %s\n    q: Question %d on topicword%d?\n    a: %q\n", id, i, i%400, answer)
	}
	page.WriteString("---\n")
	write("qa/lim/edge/many.md", page.String())
	body := strings.Repeat("A paragraph of the largest article, with words to index. ", (corpus.MaxFileBytes-200)/58)
	write("blog/huge.md", "---\ntitle: The largest article\nqaPath: /lim/edge/many\n---\n"+body+"\n")

	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	c, err := corpus.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	loaded := time.Since(start)
	index := filepath.Join(t.TempDir(), "index")
	if _, err := indexer.Build(context.Background(), c, index, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	built := time.Since(start)
	ix := openIndex(t, index)
	opened := time.Since(start)
	res, err := ix.Search(context.Background(), Request{Query: probe + " "})
	if err != nil {
		t.Fatal(err)
	}
	searched := time.Since(start)
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	t.Logf("load %s, build %s, open %s, synonym search %s (%d hits); allocated %d MB, heap in use %d MB",
		loaded.Round(time.Millisecond), (built - loaded).Round(time.Millisecond), (opened - built).Round(time.Millisecond),
		(searched - opened).Round(time.Millisecond), res.Total, (after.TotalAlloc-before.TotalAlloc)>>20, after.HeapInuse>>20)
	if want := corpus.MaxQuestionsPerFile / 400; res.Total != want {
		t.Errorf("%q, a synonym of topicword7: %d hits, want the %d questions with topicword7", probe, res.Total, want)
	}
	for what, got := range map[string]struct{ took, budget time.Duration }{
		"load":   {loaded, 2 * time.Second},
		"build":  {built - loaded, 60 * time.Second},
		"open":   {opened - built, 3 * time.Second},
		"search": {searched - opened, 2 * time.Second},
	} {
		if got.took > got.budget {
			t.Errorf("%s took %s, budget %s", what, got.took, got.budget)
		}
	}
	if heap := after.HeapInuse >> 20; heap > 1024 {
		t.Errorf("heap in use %d MB after the build, budget 1024 MB", heap)
	}
}
