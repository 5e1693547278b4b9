// Command qdexbench measures qdex against SQLite FTS5 on generated corpora and writes
// bench/RESULTS.md. `make bench` runs it; build it with -tags fts5 for the FTS5 figures.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"qdex/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "qdexbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	sizes := flag.String("sizes", "1000,10000,100000", "corpus sizes in questions, comma-separated")
	seed := flag.Uint64("seed", 1, "seed of the corpora and the workloads")
	queries := flag.Int("queries", 1000, "queries in the mixed workload")
	budget := flag.Duration("search-budget", 40*time.Second, "most time one engine's latency run may take at one size")
	budgetLarge := flag.Duration("search-budget-large", 25*time.Second, "the same for corpora of -large questions or more")
	clients := flag.String("clients", "1,8,64", "HTTP concurrency levels")
	httpDur := flag.Duration("http-duration", 5*time.Second, "duration of each HTTP concurrency level")
	httpDurLarge := flag.Duration("http-duration-large", 3*time.Second, "the same for corpora of -large questions or more")
	large := flag.Int("large", 100000, "size from which -http-duration-large and -search-budget-large apply")
	profiles := flag.String("profile", "10000,100000", "sizes at which to CPU-profile qdex's search loop")
	profileDur := flag.Duration("profile-duration", 6*time.Second, "duration of each search-loop profile")
	buildProfiles := flag.String("profile-build", "10000", "sizes at which to CPU-profile a second index build")
	openProfiles := flag.String("profile-open", "100000", "sizes at which to CPU-profile index opens")
	out := flag.String("out", "bench/RESULTS.md", "report to write")
	work := flag.String("work", "", "directory for corpora, indexes and profiles, kept after the run (default: a temporary one, removed)")
	noHTTP := flag.Bool("no-http", false, "skip the HTTP figures")
	hotPaths := flag.Bool("hotpaths", true, "run the Go benchmarks of bench/ and include them")
	flag.Parse()

	cfg := bench.Config{
		Seed: *seed, Queries: *queries, SearchBudget: *budget, SearchBudgetLarge: *budgetLarge,
		HTTPDuration: *httpDur, HTTPDurationLarge: *httpDurLarge, LargeSize: *large,
		ProfileDuration: *profileDur, Log: os.Stderr,
	}
	var err error
	if cfg.Sizes, err = ints(*sizes); err != nil {
		return err
	}
	if cfg.Clients, err = ints(*clients); err != nil {
		return err
	}
	if cfg.ProfileSizes, err = ints(*profiles); err != nil {
		return err
	}
	if cfg.BuildProfileSizes, err = ints(*buildProfiles); err != nil {
		return err
	}
	if cfg.OpenProfileSizes, err = ints(*openProfiles); err != nil {
		return err
	}
	if *work == "" {
		if *work, err = os.MkdirTemp("", "qdexbench-"); err != nil {
			return err
		}
		defer os.RemoveAll(*work)
	}
	cfg.WorkDir = *work
	if !bench.FTS5Available {
		fmt.Fprintln(os.Stderr, "qdexbench: built without -tags fts5: no FTS5 figures")
	}

	rep := &bench.Report{Started: time.Now(), Command: "make bench", Machine: bench.ReadMachine(), Config: cfg,
		Notes: bench.KeptNotes(*out)}
	if !*noHTTP {
		bin := filepath.Join(*work, "qdex")
		if err := goCmd(ctx, nil, "build", "-o", bin, "./cmd/qdex"); err != nil {
			return err
		}
		rep.Config.QdexBinary, cfg.QdexBinary = bin, bin
	}

	sizesOut, runErr := bench.Run(ctx, cfg)
	rep.Sizes = sizesOut
	if *hotPaths && runErr == nil {
		fmt.Fprintln(os.Stderr, "qdexbench: go test -bench ./bench/")
		var buf bytes.Buffer
		if err := goCmd(ctx, &buf, "test", "-run", "^$", "-bench", ".", "-benchmem", "./bench/"); err != nil {
			fmt.Fprintln(os.Stderr, "qdexbench: hot-path benchmarks:", err)
		}
		rep.HotPaths = buf.String()
	}
	rep.Finish()
	var b bytes.Buffer
	if err := rep.WriteMarkdown(&b); err != nil {
		return err
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "qdexbench: wrote %s in %s\n", *out, time.Since(rep.Started).Round(time.Second))
	return runErr
}

// goCmd runs the go command in the current directory, its output to w (stderr if nil).
func goCmd(ctx context.Context, w *bytes.Buffer, args ...string) error {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Stderr = os.Stderr
	if w != nil {
		cmd.Stdout = w
	} else {
		cmd.Stdout = os.Stderr
	}
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("go %s: %w", strings.Join(args, " "), err)
	}
	return nil
}

func ints(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		n, err := strconv.Atoi(f)
		if err != nil {
			return nil, fmt.Errorf("%q: not a number", f)
		}
		out = append(out, n)
	}
	return out, nil
}
