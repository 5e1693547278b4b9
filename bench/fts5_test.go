//go:build fts5

package bench

import (
	"context"
	"path/filepath"
	"testing"

	"qdex/corpus"
)

// TestFTS5 builds the peer index and runs the whole workload on it: every MATCH
// expression must be valid FTS5 syntax, and the plain queries must find something.
func TestFTS5(t *testing.T) {
	c, _ := testCorpus(t, 300)
	path := filepath.Join(t.TempDir(), "fts5.db")
	n, err := ftsBuild(context.Background(), c, path)
	if err != nil {
		t.Fatal(err)
	}
	if want := c.QuestionCount("") + len(c.Articles); n != want {
		t.Errorf("%d rows, want %d", n, want)
	}
	f, err := ftsOpen(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, q := range Workload(c, 300, 1) {
		total, err := f.Search(context.Background(), q, true)
		if err != nil {
			t.Errorf("%s %q → %s: %v", q.Kind, q.Text, q.Match, err)
			continue
		}
		if total == 0 && (q.Kind == "phrase" || q.Kind == "code" || q.Kind == "filtered") {
			t.Errorf("%s %q → %s %v: no hits", q.Kind, q.Text, q.Match, q.Args)
		}
	}
}

// TestFTSEngine: the relevance baseline ranks the documents with every word first and
// falls back to those with any word, as plain BM25 does.
func TestFTSEngine(t *testing.T) {
	c, err := corpus.Load("../data")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "fts5.db")
	if _, err := ftsBuild(context.Background(), c, path); err != nil {
		t.Fatal(err)
	}
	engine, closeDB, err := FTSEngine(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	ctx := context.Background()
	both, err := engine(ctx, "goroutine leak", 10)
	if err != nil {
		t.Fatal(err)
	}
	withNonsense, err := engine(ctx, "goroutine leak qqxzv", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(both) != 10 || len(withNonsense) == 0 {
		t.Fatalf("%d hits for every word, %d when no document has every word", len(both), len(withNonsense))
	}
	if withNonsense[0] != both[0] {
		t.Errorf("with a word no document has, first hit %s, want %s (the best with the other words)", withNonsense[0], both[0])
	}
}
