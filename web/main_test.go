package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"qdex/corpus"
	"qdex/indexer"
	"qdex/search"
)

// The tests share one index of testdata/corpus, built once.
var (
	testIndex  *search.Index
	testHolder *search.Holder
)

func TestMain(m *testing.M) {
	code, err := runTests(m)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(code)
}

func runTests(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "qdex-web-test-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	c, err := corpus.Load("testdata/corpus")
	if err != nil {
		return 0, err
	}
	idx := filepath.Join(dir, "index")
	if _, err := indexer.Build(context.Background(), c, idx, indexer.Options{}); err != nil {
		return 0, err
	}
	if testIndex, err = search.Open(idx); err != nil {
		return 0, err
	}
	testHolder = search.NewHolder(testIndex)
	defer testHolder.Close()
	return m.Run(), nil
}

// newServer returns a server of the shared test index.
func newServer(t testing.TB) *Server {
	t.Helper()
	s, err := New(Config{Holder: testHolder})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// get sends a GET for target (a path with its query, sent as it is) to h.
func get(t testing.TB, h http.Handler, target string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
