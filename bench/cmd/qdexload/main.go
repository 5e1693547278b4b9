// Command qdexload measures a running qdex server with the benchmark's workload:
// concurrent loops of GET /api/search for a while, as `make bench` does, for servers
// it does not start itself (bench/memcap.sh runs one in a memory cgroup).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"qdex/bench"
	"qdex/corpus"
)

func main() {
	data := flag.String("data", "data", "corpus the workload's queries are drawn from (the one the server's index was built from)")
	base := flag.String("url", "http://127.0.0.1:8080", "the server")
	clients := flag.Int("clients", 8, "concurrent clients")
	dur := flag.Duration("duration", 10*time.Second, "how long to measure")
	warm := flag.Duration("warmup", 30*time.Second, "most time the warm-up (every query once) may take")
	queries := flag.Int("queries", 1000, "queries in the workload")
	seed := flag.Uint64("seed", 1, "seed of the workload")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	c, err := corpus.Load(*data)
	if err != nil {
		fmt.Fprintln(os.Stderr, "qdexload:", err)
		os.Exit(1)
	}
	ready, cancel := context.WithTimeout(ctx, *warm+*dur+time.Minute)
	defer cancel()
	run, err := bench.Load(ready, *base, bench.Workload(c, *queries, *seed), *clients, *dur, *warm)
	if err != nil {
		fmt.Fprintln(os.Stderr, "qdexload:", err)
		os.Exit(1)
	}
	fmt.Printf("%d clients: %.0f searches/s, p50 %s, p99 %s, %d errors\n", run.Clients, run.PerSec,
		run.Latency.P50, run.Latency.P99, run.Errors)
	if run.Errors > 0 {
		fmt.Printf("first error: %s\n", run.Latency.FirstError)
		os.Exit(1)
	}
}
