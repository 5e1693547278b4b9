package eval

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"qdex/corpus"
	"qdex/indexer"
	"qdex/search"
)

// Relevance floors on the judged query set over data/, a little under the figures
// reached (see `qdex eval`), so that relevance cannot quietly regress.
var mrrFloors = map[string]float64{
	"keyword":    0.83,
	"natural":    0.79,
	"typo":       0.96,
	"identifier": 0.97,
	"prefix":     0.93,
	"all":        0.90,
}

func TestJudgedRelevance(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the index of data/")
	}
	ix, docs := openCorpus(t, "../data")
	judged, err := LoadJudged("testdata/judged")
	if err != nil {
		t.Fatal(err)
	}
	if len(judged) < 150 {
		t.Errorf("only %d judged queries, want 150 or more", len(judged))
	}
	rep := evaluateJudged(t, ix, docs, judged)
	var b strings.Builder
	rep.Print(&b, false)
	t.Logf("\n%s", b.String())
	for kind, floor := range mrrFloors {
		s := rep.Qdex[kind]
		if s == nil || s.Queries < 30 {
			t.Errorf("%s: too few judged queries", kind)
			continue
		}
		if s.MRR < floor {
			t.Errorf("%s: MRR@10 %.3f fell below its floor %.2f", kind, s.MRR, floor)
		}
	}
	if rep.Qdex["all"].MRR <= rep.Baseline["all"].MRR {
		t.Errorf("qdex MRR@10 %.3f does not beat the baseline's %.3f", rep.Qdex["all"].MRR, rep.Baseline["all"].MRR)
	}
}

// openCorpus builds an index of the corpus at dir, opens it until the test ends and
// returns it with the IDs of the corpus's documents.
func openCorpus(t *testing.T, dir string) (*search.Index, map[string]bool) {
	t.Helper()
	c, err := corpus.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]bool{}
	for _, s := range c.Subtopics {
		for _, q := range s.Questions {
			docs[corpus.QuestionDocID(s, q)] = true
		}
	}
	for _, a := range c.Articles {
		docs[corpus.ArticleDocID(a)] = true
	}
	out := filepath.Join(t.TempDir(), "index")
	if _, err := indexer.Build(context.Background(), c, out, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, docs
}

// evaluateJudged checks that every judged document exists (or the set measures
// nothing), then evaluates qdex and the baseline on the set.
func evaluateJudged(t *testing.T, ix *search.Index, docs map[string]bool, judged []Judged) *Report {
	t.Helper()
	for _, j := range judged {
		for _, id := range j.Relevant {
			if !docs[id] {
				t.Errorf("%s:%d: relevant document %q is not in the corpus", j.File, j.Line, id)
			}
		}
	}
	rep, err := Evaluate(context.Background(), judged, ix.TopIDs, ix.BaselineIDs)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
