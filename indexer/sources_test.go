package indexer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"qdex/corpus"
)

// TestLastGood: an index keeps the bytes of every file it read, so that the next
// build can read a broken file's last good version; an incremental build links the
// unchanged ones rather than copying them, and a kept file survives rebuilds.
func TestLastGood(t *testing.T) {
	data := corpusCopy(t)
	index := filepath.Join(t.TempDir(), "index")
	if LastGood(index) != nil {
		t.Error("LastGood of no index is not nil")
	}
	update(t, data, index, false)
	const gil = "qa/python/concurrency/gil.md"
	original, err := os.ReadFile(filepath.Join(data, gil))
	if err != nil {
		t.Fatal(err)
	}
	got, ok := LastGood(index)(gil)
	if !ok || string(got) != string(original) {
		t.Fatalf("LastGood(%s): %v, %d bytes", gil, ok, len(got))
	}

	// Another file changes, gil.md breaks: the build reads gil.md's last good version.
	edit(t, data, "qa/go/concurrency/goroutines.md", "What causes a goroutine leak?", "What causes a goroutine drip?")
	edit(t, data, gil, "questions:", "questions: [")
	for range 2 { // and again: the kept copy carries over from build to build
		c, err := corpus.LoadWith(data, corpus.Options{LastGood: LastGood(index)})
		if _, ok := corpus.AsErrors(err); !ok || len(c.Kept) != 1 {
			t.Fatalf("load: %v, kept %v", err, c.Kept)
		}
		if _, err := Update(t.Context(), c, index, false, Options{}); err != nil {
			t.Fatal(err)
		}
		if got, ok := LastGood(index)(gil); !ok || string(got) != string(original) {
			t.Fatalf("after a build with %s broken, its last good version is gone", gil)
		}
	}
	if ids := hits(t, index, FieldQuestion, "gil"); len(ids) == 0 {
		t.Error("the kept page is not searchable")
	}
	if ids := hits(t, index, FieldQuestion, "drip"); len(ids) != 1 {
		t.Errorf("the changed page: %v", ids)
	}

	// An index of another schema version still gives the last good versions (the
	// next build is a full one, and must not lose the kept page).
	mp := filepath.Join(mustResolve(t, index), manifestFile)
	raw, err := os.ReadFile(mp)
	if err != nil {
		t.Fatal(err)
	}
	old := []byte(fmt.Sprintf(`"schema_version": %d`, SchemaVersion))
	if !bytes.Contains(raw, old) {
		t.Fatalf("manifest has no %s", old)
	}
	if err := os.WriteFile(mp, bytes.Replace(raw, old, []byte(`"schema_version": 1`), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, ok := LastGood(index)(gil); !ok || string(got) != string(original) {
		t.Error("an index of another schema gives no last good version")
	}
	if err := os.WriteFile(mp, raw, 0o644); err != nil {
		t.Fatal(err)
	}

	// Unchanged files are hard links to the previous build's copies.
	live, m, err := Resolve(index)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(live, sourcesDir, m.Files["frameworks/python.yml"]))
	if err != nil {
		t.Fatal(err)
	}
	if n := linkCount(st); n < 2 {
		t.Errorf("an unchanged file's copy has %d links, want it shared with the previous build", n)
	}
}
