package indexer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"qdex/corpus"
)

// openWritable fails the test if a writable bleve index is still open: the introducer
// goroutine of scorch runs until Close.
func openWritable(t *testing.T, after string) {
	t.Helper()
	buf := make([]byte, 1<<20)
	if s := string(buf[:runtime.Stack(buf, true)]); strings.Contains(s, "scorch.(*Scorch).introducerLoop") {
		t.Errorf("a bleve index is left open after %s", after)
	}
}

// leftovers lists what sits beside the index other than its symlink and live build.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	live, _ := os.Readlink(dir)
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Name() != filepath.Base(dir) && e.Name() != live {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestStaging(t *testing.T) {
	c := loadGood(t)
	dir := filepath.Join(t.TempDir(), "var", "qdex", "index") // no parent yet

	st, err := newStaging(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := fill(context.Background(), c, st, Options{BatchSize: 1000}); err != nil {
		t.Fatal(err)
	}
	st.abort()
	st.abort() // twice is harmless
	openWritable(t, "abort")
	if got := leftovers(t, dir); len(got) != 0 {
		t.Errorf("abort left %v", got)
	}

	st, err = newStaging(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := fill(context.Background(), c, st, Options{BatchSize: 1000}); err != nil {
		t.Fatal(err)
	}
	if err := st.commit(context.Background(), c, newManifest(c), nil); err != nil {
		t.Fatal(err)
	}
	st.abort() // after commit: keeps the index
	openWritable(t, "commit")
	if got := mustResolve(t, dir); got != st.buildDir {
		t.Errorf("live index %s, want the committed %s", got, st.buildDir)
	}
	b, _ := openBleve(t, dir)
	if n := countDocs(t, b); n != 7 {
		t.Errorf("committed index has %d docs, want 7", n)
	}
}

// TestUpdateMissingParent: Update creates the index's parent directory, as Build does.
func TestUpdateMissingParent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "var", "index")
	if rep := update(t, "../corpus/testdata/good", dir, false); !rep.Full || rep.DocsAdded != 7 {
		t.Errorf("first update into a missing parent: %+v", rep)
	}
	mustResolve(t, dir)
}

// TestFailedUpdateKeepsOldIndex: an incremental update that fails after its copy of
// the live index is open closes it, removes its build directory and leaves the live
// index serving.
func TestFailedUpdateKeepsOldIndex(t *testing.T) {
	data := corpusCopy(t)
	dir := filepath.Join(t.TempDir(), "index")
	update(t, data, dir, false)
	before := mustResolve(t, dir)

	edit(t, data, "qa/python/concurrency/gil.md", "What is the GIL?", "What is the GIL, zebra?")
	c, err := corpus.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Update(ctx, c, dir, false, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled update: got %v", err)
	}
	openWritable(t, "a cancelled update")
	if after := mustResolve(t, dir); after != before {
		t.Errorf("index moved from %s to %s after a failed update", before, after)
	}
	if got := leftovers(t, dir); len(got) != 0 {
		t.Errorf("a failed update left %v beside the index", got)
	}
	if got := hits(t, dir, FieldQuestion, "zebra"); len(got) != 0 {
		t.Errorf("the failed update's edit is served: %v", got)
	}
}

// TestFailedBuildClosesIndex: a build cancelled while its workers write batches
// leaves no open index and no build directory behind.
func TestFailedBuildClosesIndex(t *testing.T) {
	c := loadGood(t)
	dir := filepath.Join(t.TempDir(), "index")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Build(ctx, c, dir, Options{BatchSize: 1}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled build: got %v", err)
	}
	openWritable(t, "a cancelled build")
	if got := leftovers(t, dir); len(got) != 0 {
		t.Errorf("a failed build left %v", got)
	}
	if _, _, err := Resolve(dir); !errors.Is(err, ErrNoIndex) {
		t.Errorf("Resolve after a failed first build: %v, want ErrNoIndex", err)
	}
}

// TestFailedSwapKeepsPlainDirectoryIndex: an index that is a plain directory (copied
// in by hand) is moved aside before the swap; when the swap then fails it is moved
// back, not deleted.
func TestFailedSwapKeepsPlainDirectoryIndex(t *testing.T) {
	c := loadGood(t)
	parent := t.TempDir()
	dir := filepath.Join(parent, "index")
	if _, err := Build(context.Background(), c, dir, Options{}); err != nil {
		t.Fatal(err)
	}
	build := mustResolve(t, dir)
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(build, dir); err != nil {
		t.Fatal(err)
	}
	// A non-empty directory where the swap makes its symlink makes it fail.
	if err := os.MkdirAll(filepath.Join(parent, "index.link-tmp", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), c, dir, Options{}); err == nil {
		t.Fatal("build with a blocked swap succeeded")
	}
	if got := mustResolve(t, dir); got != dir {
		t.Errorf("index resolves to %s, want the plain directory %s", got, dir)
	}
	b, _ := openBleve(t, dir)
	if n := countDocs(t, b); n != 7 {
		t.Errorf("old index has %d docs, want 7", n)
	}
}
