// Package testutil holds helpers shared by the tests of several packages.
package testutil

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// CopyDir copies the tree at src into dst (created if missing), so a test can change a
// corpus without touching the checked-in one.
func CopyDir(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if fi.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Edit replaces the first old in the file dir/rel with new, failing the test when the
// file has no old: an edit that changes nothing would make the test pass for nothing.
func Edit(t testing.TB, dir, rel, old, new string) {
	t.Helper()
	p := filepath.Join(dir, rel)
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s has no %q", rel, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

// RequireModelEnv, set to 1 (as .ci/run does), makes tests that need the embedding
// model fail when it is missing instead of skipping.
const RequireModelEnv = "QDEX_REQUIRE_MODEL"

// DefaultModel is the model `make model` fetches.
const DefaultModel = "all-minilm-l6-v2-q"

// ModelDir is the embedding model's directory: $QDEX_MODEL, else the one `make
// model` puts under var/model at the repository's root. Without one the test skips,
// or fails under QDEX_REQUIRE_MODEL=1.
func ModelDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("QDEX_MODEL")
	if dir == "" {
		root, err := os.Getwd()
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
				break
			}
			parent := filepath.Dir(root)
			if parent == root {
				t.Fatal("no go.mod above the test's directory")
			}
			root = parent
		}
		dir = filepath.Join(root, "var", "model", DefaultModel)
	}
	if _, err := os.Stat(filepath.Join(dir, "model.json")); err != nil {
		if os.Getenv(RequireModelEnv) == "1" {
			t.Fatalf("no embedding model at %s (%s=1): run make model", dir, RequireModelEnv)
		}
		t.Skipf("no embedding model at %s: run make model", dir)
	}
	return dir
}

var sharedTemp struct {
	once sync.Once
	dir  string
}

// SharedTempDir is a directory that lives as long as the test binary, for what
// several tests build once (an embedded index). The OS's temporary directory cleans
// it up.
func SharedTempDir() string {
	sharedTemp.once.Do(func() {
		d, err := os.MkdirTemp("", "qdex-test-")
		if err != nil {
			panic(err)
		}
		sharedTemp.dir = d
	})
	return sharedTemp.dir
}
