package bench_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"qdex/bench"
	"qdex/corpus"
	"qdex/gen"
	"qdex/indexer"
	"qdex/search"
	"qdex/web"
)

// TestLoad: Load measures a real server on loopback with the workload, counts what
// fails, and gives up on a server that never becomes ready.
func TestLoad(t *testing.T) {
	ctx := context.Background()
	data := filepath.Join(t.TempDir(), "data")
	if _, err := gen.Generate(ctx, data, gen.Options{Questions: 100, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	c, err := corpus.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	ixDir := filepath.Join(t.TempDir(), "index")
	if _, err := indexer.Build(ctx, c, ixDir, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(ixDir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	srv, err := web.New(web.Config{Holder: search.NewHolder(ix)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	qs := bench.Workload(c, 50, 1)
	run, err := bench.Load(ctx, ts.URL, qs, 2, 300*time.Millisecond, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if run.Clients != 2 || run.Requests == 0 || run.Errors != 0 || run.PerSec <= 0 {
		t.Fatalf("against qdex: %+v", run)
	}

	// A server whose searches fail: every request counts as an error.
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/readyz" {
			return
		}
		http.Error(w, "no", http.StatusInternalServerError)
	}))
	defer failing.Close()
	run, err = bench.Load(ctx, failing.URL, qs, 2, 100*time.Millisecond, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if run.Requests == 0 || run.Errors != run.Requests || run.PerSec != 0 {
		t.Fatalf("against a failing server: %+v", run)
	}

	// A server that is never ready: Load stops at the context's deadline.
	never := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "starting", http.StatusServiceUnavailable)
	}))
	defer never.Close()
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	if _, err := bench.Load(short, never.URL, qs, 2, time.Second, time.Second); err == nil {
		t.Fatal("Load of a server never ready: no error")
	}
}
