package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes buffer safe to write from the server and read from the test.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var addrRE = regexp.MustCompile(`addr=(http://127\.0\.0\.1:\d+)`)

// TestServeStartsWithBrokenIndex starts `qdex serve` over a corrupt index with a
// corpus beside it: the server must start, say it is not ready and why, rebuild, turn
// ready, and shut down cleanly on cancel.
func TestServeStartsWithBrokenIndex(t *testing.T) {
	index := filepath.Join(t.TempDir(), "index")
	if err := os.MkdirAll(index, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(index, "manifest.json"), []byte("{corrupt"), 0o644)

	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--index", index, "--data", good, "--addr", "127.0.0.1:0"}, &stderr, &stderr)
	}()
	var base string
	deadline := time.Now().Add(10 * time.Second)
	for base == "" {
		if time.Now().After(deadline) {
			t.Fatalf("server did not start:\n%s", stderr.String())
		}
		if m := addrRE.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The runtime's memory settings of serve: a soft limit, and collections less
	// often under it (the process is this test's).
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		if limit := debug.SetMemoryLimit(-1); limit != 256<<20 {
			t.Errorf("memory limit %d, want 256 MiB", limit)
		}
		if gc := debug.SetGCPercent(serveGCPercent); gc != serveGCPercent {
			t.Errorf("GOGC %d, want %d", gc, serveGCPercent)
		}
	}
	if !strings.Contains(stderr.String(), "index not available") {
		t.Errorf("the log does not say why the index is missing:\n%s", stderr.String())
	}
	ready := false
	for !ready && time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Status, Error string }
		json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		ready = resp.StatusCode == http.StatusOK
		if !ready && (resp.StatusCode != http.StatusServiceUnavailable || body.Error == "") {
			t.Fatalf("not ready without a reason: %d %+v", resp.StatusCode, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !ready {
		t.Fatalf("never ready after the rebuild:\n%s", stderr.String())
	}
	resp, err := http.Get(base + "/api/search?q=goroutine")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("search after the rebuild: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after shutdown:\n%s", code, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not shut down")
	}
}
