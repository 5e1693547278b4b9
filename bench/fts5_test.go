//go:build fts5

package bench

import (
	"context"
	"path/filepath"
	"testing"
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
