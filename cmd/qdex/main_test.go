package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qdex/internal/testutil"
)

const good = "../../corpus/testdata/good"

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestValidate(t *testing.T) {
	code, out, _ := runCmd(t, "validate", "--data", good)
	if code != 0 || !strings.Contains(out, "6 questions, 1 articles") {
		t.Errorf("validate good: %d %q", code, out)
	}
	bad := t.TempDir()
	os.MkdirAll(filepath.Join(bad, "frameworks"), 0o755)
	os.WriteFile(filepath.Join(bad, "frameworks", "go.yml"), []byte("description: no name\n"), 0o644)
	os.MkdirAll(filepath.Join(bad, "topics"), 0o755)
	os.WriteFile(filepath.Join(bad, "topics", "go-x.yml"), []byte("name: X\nframeworkSlug: go\nslug: y\n"), 0o644)
	code, errs, _ := runCmd(t, "validate", "--data", bad)
	want := []string{
		filepath.Join(bad, "frameworks/go.yml") + ":1: missing name",
		filepath.Join(bad, "topics/go-x.yml") + `:3: frameworkSlug "go" and slug "y" contradict the file name (want go-y.yml)`,
		"2 error(s) in " + bad,
	}
	if code != 1 || strings.TrimSpace(errs) != strings.Join(want, "\n") {
		t.Errorf("validate bad: exit %d, stdout:\n%s\nwant:\n%s", code, errs, strings.Join(want, "\n"))
	}
}

func TestIndexAndSearch(t *testing.T) {
	index := filepath.Join(t.TempDir(), "index")
	code, out, errs := runCmd(t, "index", "--data", good, "--index", index)
	if code != 0 || !strings.Contains(out, "full build (no index yet): 6 questions and 1 articles") {
		t.Fatalf("index: %d %q %q", code, out, errs)
	}
	code, out, _ = runCmd(t, "index", "--data", good, "--index", index)
	if code != 0 || !strings.Contains(out, "up to date") {
		t.Errorf("second index: %d %q", code, out)
	}
	code, out, _ = runCmd(t, "search", "--index", index, "asyncio.gather")
	if code != 0 || !strings.Contains(out, "1. How do you run coroutines concurrently?") || !strings.Contains(out, "[asyncio.gather]") {
		t.Errorf("search (plain, not a terminal): %d\n%s", code, out)
	}
	code, out, _ = runCmd(t, "search", "--index", index, "--json", "--size", "1", "goroutine")
	var resp struct {
		Total int
		Hits  []struct{ ID, URL string }
	}
	if err := json.Unmarshal([]byte(out), &resp); err != nil || code != 0 || resp.Total != 2 || len(resp.Hits) != 1 || resp.Hits[0].URL != "/"+resp.Hits[0].ID {
		t.Errorf("search --json: %d %v %+v\n%s", code, err, resp, out)
	}
	// Flags after the query, and words that look like flags, as a user types them.
	code, out, _ = runCmd(t, "search", "goroutine", "-java", "--index", index, "--json", "--size", "1")
	if err := json.Unmarshal([]byte(out), &resp); err != nil || code != 0 || resp.Total != 2 || len(resp.Hits) != 1 {
		t.Errorf("search with flags after the query: %d %v %+v", code, err, resp)
	}
	code, out, _ = runCmd(t, "search", "--index", index, "--", "--size")
	if code != 0 || !strings.HasPrefix(out, "0 results") {
		t.Errorf("search -- --size: %d %q", code, out)
	}
	code, _, errs = runCmd(t, "search", "--index", index, "--size", "1000", "x")
	if code != 1 || !strings.Contains(errs, "size: must be between 1 and 100") {
		t.Errorf("search --size 1000: %d %q", code, errs)
	}
}

// TestIndexWithBrokenFiles: a file with an error fails alone. The index keeps its last
// good version (or leaves it out when there is none), lists the errors as
// path:line: message and exits with status 3; --strict indexes nothing and exits 1.
func TestIndexWithBrokenFiles(t *testing.T) {
	data := t.TempDir()
	testutil.CopyDir(t, good, data)
	index := filepath.Join(t.TempDir(), "index")
	if code, out, errs := runCmd(t, "index", "--data", data, "--index", index, "--no-semantic"); code != 0 {
		t.Fatalf("index: %d %q %q", code, out, errs)
	}
	gil := filepath.Join(data, "qa/python/concurrency/gil.md")
	testutil.Edit(t, data, "qa/python/concurrency/gil.md", "questions:", "questions: [")
	testutil.Edit(t, data, "qa/go/concurrency/goroutines.md", "q: What causes a goroutine leak?", "q: What causes a lightweight goroutine leak?")
	fresh := filepath.Join(data, "qa/go/concurrency/channels.md")
	if err := os.WriteFile(fresh, []byte("---\nsubtopic: Channels\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	before, _ := os.ReadFile(filepath.Join(index, "manifest.json"))
	code, out, _ := runCmd(t, "index", "--data", data, "--index", index, "--no-semantic", "--strict")
	after, _ := os.ReadFile(filepath.Join(index, "manifest.json"))
	if code != 1 || !strings.Contains(out, "--strict: nothing indexed") || !bytes.Equal(before, after) {
		t.Errorf("--strict: exit %d, index changed %v\n%s", code, !bytes.Equal(before, after), out)
	}

	code, out, _ = runCmd(t, "index", "--data", data, "--index", index, "--no-semantic")
	for _, want := range []string{
		gil + ":12: invalid YAML",
		fresh + ":2: missing frameworkSlug",
		"1 file(s) kept at their last good version (qa/python/concurrency/gil.md), 1 left out (qa/go/concurrency/channels.md)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if code != 3 {
		t.Errorf("exit %d, want 3", code)
	}
	for q, want := range map[string]string{"GIL": "python/concurrency/gil#", "lightweight goroutine": "go/concurrency/goroutines#"} {
		_, out, _ = runCmd(t, "search", "--index", index, "--json", q)
		if !strings.Contains(out, `"id": "`+want) {
			t.Errorf("search %q: no hit on %s\n%.300s", q, want, out)
		}
	}

	// A fresh build has no last good version: the broken page is left out.
	other := filepath.Join(t.TempDir(), "index")
	code, out, _ = runCmd(t, "index", "--data", data, "--index", other, "--no-semantic")
	if code != 3 || !strings.Contains(out, "0 file(s) kept at their last good version (none), 2 left out") {
		t.Errorf("fresh build: exit %d\n%s", code, out)
	}
}

func TestUsage(t *testing.T) {
	if code, _, errs := runCmd(t, "nonsense"); code != 2 || !strings.Contains(errs, `unknown command "nonsense"`) {
		t.Errorf("unknown command: %d %q", code, errs)
	}
	if code, _, errs := runCmd(t, "index", "-h"); code != 0 || !strings.Contains(errs, "Usage: qdex index") {
		t.Errorf("index -h: %d %q", code, errs)
	}
	if code, _, errs := runCmd(t, "index", "--bogus"); code != 2 || !strings.Contains(errs, "flag provided but not defined: -bogus") {
		t.Errorf("index --bogus: %d %q", code, errs)
	}
	if code, out, _ := runCmd(t, "version"); code != 0 || !strings.HasPrefix(out, "qdex ") {
		t.Errorf("version: %d %q", code, out)
	}
}
