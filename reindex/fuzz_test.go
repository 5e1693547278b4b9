package reindex

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"qdex/internal/testutil"
	"qdex/search"
)

// FuzzRebuild writes random trees of valid and broken files into a served corpus
// (one to three files changed, added or removed per run, chosen and filled by the
// fuzzer) and rebuilds. Whatever the files hold, the rebuild never panics and
// finishes within its budget, every problem is reported with a path, and the index
// served afterwards opens and answers; files without errors are searchable.
func FuzzRebuild(f *testing.F) {
	good, err := os.ReadFile("../corpus/testdata/good/qa/python/concurrency/gil.md")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(uint8(0), good, uint8(1), []byte("---\nquestions: [\n---\n"), uint8(2), []byte{})
	f.Add(uint8(3), []byte("- [a, b]\n- &x [c, d]\n- *x\n"), uint8(9), []byte("name: X\n"), uint8(200), []byte("---\ntitle: T\nqaPath: /nowhere/\n---\nbody\n"))
	f.Add(uint8(7), []byte("\xff\xfe"), uint8(8), []byte("---\nframeworkSlug: go\ntopicSlug: concurrency\nsubtopic: S\nquestions:\n  - id: a_b\n    q: Q?\n    a: \"\"\n---\n"), uint8(5), []byte("x"))

	// One served corpus and index for the whole run, as a server has: each input is
	// applied to it, then undone.
	data, index := f.TempDir(), filepath.Join(f.TempDir(), "index")
	testutil.CopyDir(f, "../corpus/testdata/good", data)
	holder := search.NewHolder(nil)
	f.Cleanup(holder.Close)
	r := New(Config{Data: data, Index: index, Holder: holder, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if b := r.Rebuild(context.Background(), "start"); !b.OK {
		f.Fatalf("first build: %+v", b)
	}
	var files []string
	filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	slices.Sort(files)
	// Paths beyond the corpus's files: new pages, articles, ignored and .yaml files.
	files = append(files,
		filepath.Join(data, "qa/go/concurrency/new.md"),
		filepath.Join(data, "blog/new.md"),
		filepath.Join(data, "qa/go/concurrency/index.md"),
		filepath.Join(data, "frameworks/rust.yaml"),
		filepath.Join(data, "synonyms.yaml"))

	f.Fuzz(func(t *testing.T, w1 uint8, c1 []byte, w2 uint8, c2 []byte, w3 uint8, c3 []byte) {
		saved := map[string][]byte{}
		defer func() { // undo, for the next input
			for p, b := range saved {
				if b == nil {
					os.Remove(p)
				} else {
					os.WriteFile(p, b, 0o644)
				}
			}
		}()
		for _, ch := range []struct {
			which   uint8
			content []byte
		}{{w1, c1}, {w2, c2}, {w3, c3}} {
			p := files[int(ch.which)%len(files)]
			if _, ok := saved[p]; !ok {
				old, _ := os.ReadFile(p)
				saved[p] = old
			}
			if ch.which >= 128 && len(ch.content) == 0 {
				os.Remove(p)
				continue
			}
			if err := os.WriteFile(p, ch.content, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		start := time.Now()
		b := r.Rebuild(context.Background(), "fuzz")
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("rebuild took %s", took)
		}
		if !b.OK {
			t.Fatalf("rebuild failed: %+v", b)
		}
		for _, e := range append(slices.Clone(b.Errors), b.Warnings...) {
			if !strings.HasPrefix(e, data) {
				t.Errorf("a problem without its path: %q", e)
			}
		}
		ix, release := holder.Acquire()
		if ix == nil {
			t.Fatal("nothing served after the rebuild")
		}
		_, err := ix.Search(context.Background(), search.Request{Query: "goroutine leak"})
		release()
		if err != nil {
			t.Fatalf("search after the rebuild: %v", err)
		}
		live, err := search.Open(index)
		if err != nil {
			t.Fatalf("the live index does not open: %v", err)
		}
		live.Close()
	})
}
