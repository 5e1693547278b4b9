package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"qdex/search"
)

// childEnv set to 1 makes the test binary, run again by a test, the qdex command: main
// runs with the arguments given, with the exit grace of childGraceEnv when set.
const (
	childEnv      = "QDEX_TEST_CHILD"
	childGraceEnv = "QDEX_TEST_EXIT_GRACE"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "1" {
		os.Exit(m.Run())
	}
	if g, err := time.ParseDuration(os.Getenv(childGraceEnv)); err == nil {
		exitGrace = g
	}
	// A command that sees its context cancelled but does not return, as one busy in
	// work that takes no context would not.
	commands["stuck"] = func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		fmt.Fprintln(stderr, "started")
		<-ctx.Done()
		fmt.Fprintln(stderr, "cancelled")
		time.Sleep(time.Minute)
		return nil
	}
	main()
}

// child is the test binary run again as a child process.
type child struct {
	cmd    *exec.Cmd
	stderr syncBuffer
	start  time.Time
}

func startChild(t *testing.T, env []string, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], args...)}
	c.cmd.Env = append(os.Environ(), env...)
	c.cmd.Stderr = &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c.start = time.Now()
	t.Cleanup(func() { c.cmd.Process.Kill() })
	return c
}

// waitFor waits until the child's stderr holds s.
func (c *child) waitFor(t *testing.T, s string, timeout time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !strings.Contains(c.stderr.String(), s); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q on the child's stderr after %v:\n%s", s, timeout, c.stderr.String())
		}
	}
}

func (c *child) signal(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := c.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// exit waits for the child to exit and returns its status (-1: killed by a signal it
// did not handle) and how long it ran after since.
func (c *child) exit(t *testing.T, since time.Time, timeout time.Duration) (int, time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- c.cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatal(err)
		}
		return c.cmd.ProcessState.ExitCode(), time.Since(since)
	case <-time.After(timeout):
		t.Fatalf("still running %v after the signal:\n%s", timeout, c.stderr.String())
		return 0, 0
	}
}

// TestSignalStopsIndex sends SIGTERM to `qdex index` while it indexes 20,000
// questions: the build stops within seconds, by its context (not the exit grace), and
// the live index is still the previous one, with no build directory left beside it.
func TestSignalStopsIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("indexes 20,000 questions")
	}
	dir := t.TempDir()
	data, index := filepath.Join(dir, "data"), filepath.Join(dir, "index")
	if code, _, errs := runCmd(t, "gen", "--questions", "20000", "--out", data); code != 0 {
		t.Fatalf("gen: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "index", "--data", good, "--index", index); code != 0 {
		t.Fatalf("index: %d %s", code, errs)
	}
	previous, err := os.Readlink(index)
	if err != nil {
		t.Fatal(err)
	}

	c := startChild(t, []string{childEnv + "=1"}, "index", "--data", data, "--index", index, "--full", "--no-semantic")
	c.waitFor(t, "indexed ", 30*time.Second) // a progress line: the documents are being indexed
	sent := time.Now()
	c.signal(t, syscall.SIGTERM)
	code, took := c.exit(t, sent, exitGrace+5*time.Second)
	t.Logf("exited %d, %v after SIGTERM (%v after start)", code, took, time.Since(c.start))
	if code != 1 || !strings.Contains(c.stderr.String(), "context canceled") {
		t.Errorf("exit status %d, want 1 with the build cancelled:\n%s", code, c.stderr.String())
	}
	if took > 10*time.Second {
		t.Errorf("the build took %v to stop", took)
	}

	if now, err := os.Readlink(index); err != nil || now != previous {
		t.Errorf("the live index is %q (%v), want the previous build %q", now, err, previous)
	}
	builds, _ := filepath.Glob(filepath.Join(dir, "index.*"))
	if want := []string{filepath.Join(dir, previous)}; !slices.Equal(builds, want) {
		t.Errorf("beside the index: %v, want %v", builds, want)
	}
	ix, err := search.Open(index)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n := ix.Manifest().Questions; n != 6 {
		t.Errorf("the live index has %d questions, want the previous 6", n)
	}
}

// TestSignalExitsStuckCommand: a command that does not return once its context is
// cancelled is ended exitGrace after the signal, or at once at a second signal, with
// 128 + the signal's number and one line saying why.
func TestSignalExitsStuckCommand(t *testing.T) {
	tests := []struct {
		name    string
		grace   time.Duration
		signals []os.Signal
		code    int
		line    string
	}{
		{"SIGTERM", 200 * time.Millisecond, []os.Signal{syscall.SIGTERM}, 143, "qdex: still running 200ms after SIGTERM: exiting"},
		{"SIGINT", 200 * time.Millisecond, []os.Signal{syscall.SIGINT}, 130, "qdex: still running 200ms after SIGINT: exiting"},
		{"twice", time.Minute, []os.Signal{syscall.SIGTERM, syscall.SIGINT}, 130, "qdex: SIGINT after SIGTERM: exiting now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := startChild(t, []string{childEnv + "=1", childGraceEnv + "=" + tt.grace.String()}, "stuck")
			c.waitFor(t, "started", 10*time.Second)
			sent := time.Now()
			for _, sig := range tt.signals {
				c.signal(t, sig)
				c.waitFor(t, "cancelled", 10*time.Second)
			}
			code, took := c.exit(t, sent, 10*time.Second)
			lines := strings.Split(strings.TrimSpace(c.stderr.String()), "\n")
			if code != tt.code || !slices.Equal(lines, []string{"started", "cancelled", tt.line}) {
				t.Errorf("exit status %d, stderr %q; want %d and %q", code, lines, tt.code, tt.line)
			}
			if len(tt.signals) == 1 && took < tt.grace {
				t.Errorf("exited %v after the signal, before the grace of %v", took, tt.grace)
			}
		})
	}
}

// TestSignalServeShutsDown: SIGTERM to `qdex serve` is a graceful shutdown, status 0,
// well within the exit grace.
func TestSignalServeShutsDown(t *testing.T) {
	index := filepath.Join(t.TempDir(), "index")
	if code, _, errs := runCmd(t, "index", "--data", good, "--index", index); code != 0 {
		t.Fatalf("index: %d %s", code, errs)
	}
	c := startChild(t, []string{childEnv + "=1"}, "serve", "--index", index, "--addr", "127.0.0.1:0")
	c.waitFor(t, "serving", 10*time.Second)
	sent := time.Now()
	c.signal(t, syscall.SIGTERM)
	code, took := c.exit(t, sent, exitGrace+5*time.Second)
	if code != 0 || !strings.Contains(c.stderr.String(), "shutting down") || strings.Contains(c.stderr.String(), "exiting") {
		t.Errorf("exit status %d after %v:\n%s", code, took, c.stderr.String())
	}
}
