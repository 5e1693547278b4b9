package eval

import (
	"os"
	"testing"

	"qdex/importer"
)

// TestHeldOutRelevance measures search on a collection nobody here wrote (the
// javascript-questions corpus in ../shared, imported as `qdex import` would), with
// queries judged once and never tuned to: qdex must beat the plain baseline there too.
func TestHeldOutRelevance(t *testing.T) {
	src, err := os.ReadFile("../../shared/corpora/javascript-questions/README.md")
	if err != nil {
		t.Skip("../shared/corpora is not beside the project")
	}
	p, err := importer.Parse("auto", src)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if _, err := importer.Write(p, importer.Options{Out: out, Framework: "javascript", Topic: "async"}); err != nil {
		t.Fatal(err)
	}
	ix, docs := openCorpus(t, out)
	judged, err := LoadJudged("testdata/heldout")
	if err != nil {
		t.Fatal(err)
	}
	rep := evaluateJudged(t, ix, docs, judged)
	q, b := rep.Qdex["all"].MRR, rep.Baseline["all"].MRR
	t.Logf("held-out MRR@10 %.3f, baseline %.3f", q, b)
	if q < 0.95 || q <= b {
		t.Errorf("held-out MRR@10 %.3f (baseline %.3f): want 0.95 or more, and above the baseline", q, b)
	}
}
