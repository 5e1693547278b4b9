// Command qdexhybrid measures what hybrid search costs (query embedding, hybrid
// latency, embedding at index time, HTTP throughput, memory) on a generated corpus,
// and writes bench/HYBRID.md. make bench runs it after qdexbench.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"

	"qdex/bench"
	"qdex/eval"
)

func main() {
	questions := flag.Int("questions", 10000, "questions in the generated corpus")
	seed := flag.Uint64("seed", 1, "seed of the corpus and the queries")
	model := flag.String("model", "var/model/all-minilm-l6-v2-q", "model directory")
	out := flag.String("out", "bench/HYBRID.md", "report to write")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *questions, *seed, *model, *out); err != nil {
		fmt.Fprintln(os.Stderr, "qdexhybrid:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, questions int, seed uint64, model, out string) error {
	if _, err := os.Stat(filepath.Join(model, "model.json")); err != nil {
		return fmt.Errorf("no model at %s: run make model", model)
	}
	work, err := os.MkdirTemp("", "qdexhybrid-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	bin := filepath.Join(work, "qdex")
	if b, err := exec.Command("go", "build", "-o", bin, "./cmd/qdex").CombinedOutput(); err != nil {
		return fmt.Errorf("building qdex: %v\n%s", err, b)
	}
	var queries []string
	for _, dir := range []string{"eval/testdata/judged", "eval/testdata/readers"} {
		js, err := eval.LoadJudged(dir)
		if err != nil {
			return err
		}
		for _, j := range js {
			if j.Kind == "natural" {
				queries = append(queries, j.Query)
			}
		}
	}
	rep, err := bench.RunHybrid(ctx, bench.HybridConfig{Questions: questions, Seed: seed, ModelDir: model, QdexBinary: bin, Queries: queries, WorkDir: work, Log: os.Stderr})
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	rep.WriteMarkdown(f, "FTS5 has no HTTP API in this benchmark (bench/RESULTS.md measures it in process): the throughput target against an FTS5 API is not measured here.")
	return f.Close()
}
