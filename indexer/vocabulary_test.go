package indexer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestVocabularyFile: a build writes each vocabulary field's words with their
// document counts, the same as bleve's dictionary has them, and reading a damaged
// file fails with its path.
func TestVocabularyFile(t *testing.T) {
	c := loadGood(t)
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := Build(context.Background(), c, dir, Options{}); err != nil {
		t.Fatal(err)
	}
	buildDir := mustResolve(t, dir)
	got, err := ReadVocabulary(buildDir)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := openBleve(t, dir)
	for _, f := range VocabularyFields {
		d, err := b.FieldDict(f)
		if err != nil {
			t.Fatal(err)
		}
		var want FieldWords
		for e, err := d.Next(); err == nil && e != nil; e, err = d.Next() {
			if len(e.Term) >= 2 && len(e.Term) <= MaxVocabularyWord {
				want.Words = append(want.Words, e.Term)
				want.Counts = append(want.Counts, int32(e.Count))
			}
		}
		d.Close()
		if len(want.Words) == 0 {
			t.Fatalf("%s: no words in the index", f)
		}
		if !slices.Equal(got[f].Words, want.Words) || !slices.Equal(got[f].Counts, want.Counts) {
			t.Errorf("%s: read %d words, the dictionary has %d (or the counts differ)", f, len(got[f].Words), len(want.Words))
		}
	}
	path := filepath.Join(buildDir, vocabularyFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadVocabulary(buildDir); err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("half a file: got %v, want a truncation error naming %s", err, path)
	}
}
