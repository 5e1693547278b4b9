package search

import (
	"context"
	"strings"
	"testing"
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
	ix := openCorpus(t, "../data")
	judged, err := LoadJudged("testdata/judged")
	if err != nil {
		t.Fatal(err)
	}
	if len(judged) < 150 {
		t.Errorf("only %d judged queries, want 150 or more", len(judged))
	}
	rep := evaluateJudged(t, ix, judged)
	if err != nil {
		t.Fatal(err)
	}
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

// evaluateJudged checks that every judged document exists (or the set measures
// nothing), then evaluates qdex and the baseline on the set.
func evaluateJudged(t *testing.T, ix *Index, judged []Judged) *Report {
	t.Helper()
	for _, j := range judged {
		for _, id := range j.Relevant {
			if res, err := ix.bleve.Document(id); err != nil || res == nil {
				t.Errorf("%s:%d: relevant document %q is not in the index", j.File, j.Line, id)
			}
		}
	}
	rep, err := Evaluate(context.Background(), judged, ix.QdexEngine, ix.BaselineEngine)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
