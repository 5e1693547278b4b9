// Command qdexrelevance compares qdex's lexical ranking with plain BM25 as SQLite
// FTS5 ranks the same documents (every word, then any word), on judged query sets:
// the baseline of `qdex eval` is bleve's own match query, this one is the engine qdex
// is measured against on collections nobody here wrote. It indexes the corpus both
// ways itself; `make relevance` runs it on data/ and on the imported collection in
// ../shared/corpora. Build it with -tags fts5.
//
//	go run -tags fts5 ./bench/cmd/qdexrelevance --data data \
//	    --queries eval/testdata/judged,eval/testdata/readers
package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"qdex/bench"
	"qdex/corpus"
	"qdex/eval"
	"qdex/indexer"
	"qdex/search"
)

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "qdexrelevance:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	data := flag.String("data", "data", "corpus directory, indexed into FTS5")
	queries := flag.String("queries", "eval/testdata/judged", "judged query directories, comma-separated")
	weighted := flag.Bool("weighted", false, "weigh FTS5's columns as the speed comparison does (question 4, context 0.5)")
	verbose := flag.Bool("v", false, "list the queries whose first hit is not relevant")
	diff := flag.Bool("diff", false, "list the queries the two engines rank differently, with both ranks")
	flag.Parse()

	c, err := corpus.Load(*data)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "qdexrelevance")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	db := filepath.Join(work, "fts.db")
	if _, err := bench.BuildFTS(ctx, c, db); err != nil {
		return err
	}
	fts, closeFTS, err := bench.FTSEngine(db, *weighted)
	if err != nil {
		return err
	}
	defer closeFTS()
	dir := filepath.Join(work, "index")
	if _, err := indexer.Build(ctx, c, dir, indexer.Options{}); err != nil {
		return err
	}
	ix, err := search.Open(dir)
	if err != nil {
		return err
	}
	defer ix.Close()
	lexical := 0.0
	for _, dir := range strings.Split(*queries, ",") {
		judged, err := eval.LoadJudged(dir)
		if err != nil {
			return err
		}
		rep, err := eval.Evaluate(ctx, judged, ix.TopIDsAt(&lexical), fts)
		if err != nil {
			return err
		}
		fmt.Printf("%s (baseline: FTS5 bm25, every word then any word):\n", dir)
		rep.Print(os.Stdout, *verbose)
		if *diff {
			printDiff(rep)
		}
		fmt.Println()
	}
	return nil
}

// printDiff lists the queries whose first relevant hit is at a different rank in
// the two engines (0: not in the top 10).
func printDiff(rep *eval.Report) {
	ranks := func(m map[string]*eval.KindScore) map[string]int {
		out := map[string]int{}
		for _, k := range eval.QueryKinds {
			if s := m[k]; s != nil {
				for _, f := range s.Failures {
					out[fmt.Sprintf("%s:%d %q", filepath.Base(f.Judged.File), f.Judged.Line, f.Judged.Query)] = f.Rank
				}
			}
		}
		return out
	}
	q, b := ranks(rep.Qdex), ranks(rep.Baseline)
	keys := map[string]bool{}
	for k := range q {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	sorted := slices.Sorted(maps.Keys(keys))
	for _, k := range sorted {
		rq, okq := q[k]
		rb, okb := b[k]
		if !okq {
			rq = 1
		}
		if !okb {
			rb = 1
		}
		if rq != rb {
			fmt.Printf("  qdex %2d  fts5 %2d  %s\n", rq, rb, k)
		}
	}
}
