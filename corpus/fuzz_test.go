package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qdex/internal/testutil"
)

// FuzzLoadSubtopic checks that any subtopic file loads or gives path:line errors,
// never a panic.
func FuzzLoadSubtopic(f *testing.F) {
	seed, err := os.ReadFile("testdata/good/qa/python/concurrency/gil.md")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("---\nquestions: [\n---\n"))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("no front matter"))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		testutil.CopyDir(t, "testdata/good", dir)
		p := filepath.Join(dir, "qa/python/concurrency/gil.md")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(dir)
		if err == nil {
			return
		}
		es, ok := AsErrors(err)
		if !ok {
			t.Fatalf("Load: %v is not a corpus error list", err)
		}
		for _, e := range es {
			if !strings.HasPrefix(e.Error(), dir) {
				t.Fatalf("error without a path: %v", e)
			}
		}
	})
}
