package reindex

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"qdex/indexer"
	"qdex/internal/testutil"
	"qdex/search"
)

type fixture struct {
	data, index string
	holder      *search.Holder
	r           *Rebuilder
}

func setup(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{data: t.TempDir(), index: filepath.Join(t.TempDir(), "index")}
	testutil.CopyDir(t, "../corpus/testdata/good", f.data)
	f.holder = search.NewHolder(nil)
	t.Cleanup(f.holder.Close)
	f.r = New(Config{Data: f.data, Index: f.index, Holder: f.holder, Debounce: 50 * time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if b := f.r.Rebuild(context.Background(), "start"); !b.OK {
		t.Fatalf("first build: %+v", b)
	}
	return f
}

func (f *fixture) edit(t *testing.T, rel, old, new string) {
	t.Helper()
	testutil.Edit(t, f.data, rel, old, new)
}

func (f *fixture) total(t *testing.T, q string) int {
	t.Helper()
	ix, release := f.holder.Acquire()
	defer release()
	if ix == nil {
		t.Fatal("no index served")
	}
	res, err := ix.Search(context.Background(), search.Request{Query: q, NoFacets: true})
	if err != nil {
		t.Fatal(err)
	}
	return res.Total
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestWatchSwapsWithoutFailing(t *testing.T) {
	f := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go f.r.Watch(ctx)
	eventually(t, 2*time.Second, "watching", func() bool { return f.r.Status().Watching })

	// Readers search all the time; none may fail or come back empty.
	var failures, searches atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				ix, release := f.holder.Acquire()
				if ix == nil {
					// Closed at the end of a failed test.
					release()
					return
				}
				res, err := ix.Search(context.Background(), search.Request{Query: "goroutine"})
				release()
				searches.Add(1)
				if err != nil || res.Total == 0 {
					failures.Add(1)
				}
			}
		}()
	}

	// An edit is searchable within two seconds.
	start := time.Now()
	f.edit(t, "qa/python/concurrency/gil.md", "What is the GIL?", "What is the GIL, zebra?")
	eventually(t, 2*time.Second, "edited question searchable", func() bool { return f.total(t, "zebra") == 1 })
	t.Logf("edit searchable after %s", time.Since(start).Round(time.Millisecond))

	// A broken file: its last good version keeps serving and the status names the file
	// and line.
	f.edit(t, "qa/python/concurrency/gil.md", "difficulty: medium", "difficulty: brutal")
	eventually(t, 2*time.Second, "error reported", func() bool { return len(f.r.Errors()) > 0 })
	want := filepath.Join(f.data, "qa/python/concurrency/gil.md") + `:26: difficulty: "brutal" is not one of easy, medium, hard`
	if errs := f.r.Errors(); len(errs) != 1 || errs[0] != want {
		t.Errorf("errors %q, want %q", errs, want)
	}
	if st := f.r.Status(); !st.LastBuild.OK || st.Serving == nil || !slices.Equal(st.LastBuild.Kept, []string{"qa/python/concurrency/gil.md"}) {
		t.Errorf("status after a broken file: %+v, last build %+v", st, st.LastBuild)
	}
	if f.total(t, "zebra") != 1 {
		t.Error("the last good index stopped serving")
	}

	// Fixed, and a file deleted: its documents disappear.
	f.edit(t, "qa/python/concurrency/gil.md", "difficulty: brutal", "difficulty: medium")
	os.Remove(filepath.Join(f.data, "qa/python/concurrency/asyncio.md"))
	eventually(t, 2*time.Second, "deleted documents gone", func() bool { return f.total(t, "code:asyncio.gather") == 0 })
	if len(f.r.Errors()) != 0 {
		t.Errorf("errors after the fix: %v", f.r.Errors())
	}

	// A new subfolder is watched too.
	if err := os.MkdirAll(filepath.Join(f.data, "qa/go/runtime"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(f.data, "topics/go-runtime.yml"), []byte("name: Runtime\nframeworkSlug: go\nslug: runtime\norder: 2\n"), 0o644)
	time.Sleep(100 * time.Millisecond) // let the watcher add the folder
	page := strings.NewReplacer("topicSlug: concurrency", "topicSlug: runtime", "goroutine leak", "scheduler quirk").Replace(readFile(t, filepath.Join(f.data, "qa/go/concurrency/goroutines.md")))
	os.WriteFile(filepath.Join(f.data, "qa/go/runtime/sched.md"), []byte(page), 0o644)
	eventually(t, 2*time.Second, "file in a new folder searchable", func() bool { return f.total(t, `"scheduler quirk"`) > 0 })

	close(stop)
	wg.Wait()
	if failures.Load() != 0 {
		t.Errorf("%d of %d searches failed or came back empty during swaps", failures.Load(), searches.Load())
	}
	t.Logf("%d searches during the swaps, none failed", searches.Load())
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func openFiles(t *testing.T) int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(entries)
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

func TestFiftySwapsLeakNothing(t *testing.T) {
	f := setup(t)
	swap := func(i int) {
		// Alternate the text so that every rebuild changes a file.
		word := []string{"alpha", "omega"}[i%2]
		old := []string{"omega", "alpha"}[i%2]
		if i == 0 {
			old = "What is the GIL?"
			word = "What is the GIL? alpha"
		}
		f.edit(t, "qa/python/concurrency/gil.md", old, word)
		if b := f.r.Rebuild(context.Background(), "test"); !b.OK {
			t.Fatalf("rebuild %d: %+v", i, b)
		}
		f.total(t, "gil")
	}
	for i := 0; i < 3; i++ { // warm up caches and pools
		swap(i)
	}
	fds, heap := openFiles(t), heapInUse()
	for i := 3; i < 53; i++ {
		swap(i)
	}
	if got := openFiles(t); got > fds+2 {
		t.Errorf("open files grew from %d to %d over 50 swaps", fds, got)
	}
	if got := heapInUse(); got > heap+heap/2+1<<20 {
		t.Errorf("heap in use grew from %d to %d bytes over 50 swaps", heap, got)
	}
	builds, _ := filepath.Glob(f.index + ".build-*")
	if len(builds) > 2 {
		t.Errorf("%d build directories left, want at most 2", len(builds))
	}
}

func TestCorruptIndexRebuilds(t *testing.T) {
	f := setup(t)
	build, _, err := indexer.Resolve(f.index)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(build, "manifest.json"), []byte("{not json"), 0o644)
	h := search.NewHolder(nil)
	defer h.Close()
	r := New(Config{Data: f.data, Index: f.index, Holder: h, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := r.Reopen(); err == nil {
		t.Fatal("a corrupt manifest opened")
	}
	if b := r.Rebuild(context.Background(), "start"); !b.OK || !h.Ready() {
		t.Fatalf("rebuild over a corrupt index: %+v", b)
	}
}
