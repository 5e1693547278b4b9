package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"qdex/corpus"
	"qdex/embed"
	"qdex/gen"
	"qdex/indexer"
	"qdex/search"
)

// HybridConfig says what RunHybrid measures: the semantic side's costs on a
// generated corpus, with natural-language queries.
type HybridConfig struct {
	Questions  int
	Seed       uint64
	ModelDir   string
	QdexBinary string // for the HTTP figures and the server's memory
	Queries    []string
	WorkDir    string
	Log        io.Writer
}

// HybridReport holds the figures.
type HybridReport struct {
	Questions, Passages          int
	Model                        string
	EmbedBuild, CachedBuild, Lex time.Duration // full build embedding all, with every vector cached, with no model
	EmbedPerSec                  float64
	QueryEmbed                   Stats // one query embedded, new to the cache
	Lexical, Hybrid              Stats // in process, the same queries, each new to the cache
	HTTPNew, HTTPRepeat, HTTPLex HTTPRun
	RSSPeak                      int64 // qdex serve's VmHWM after the HTTP runs
}

func (c HybridConfig) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, time.Now().Format("15:04:05")+"  "+format+"\n", args...)
	}
}

// RunHybrid measures the semantic side at cfg.Questions questions.
func RunHybrid(ctx context.Context, cfg HybridConfig) (*HybridReport, error) {
	rep := &HybridReport{Questions: cfg.Questions}
	data, ixDir := filepath.Join(cfg.WorkDir, "data"), filepath.Join(cfg.WorkDir, "index")
	if _, err := gen.Generate(ctx, data, gen.Options{Questions: cfg.Questions, Seed: cfg.Seed}); err != nil {
		return nil, err
	}
	c, err := corpus.Load(data)
	if err != nil {
		return nil, err
	}
	m, err := embed.Open(cfg.ModelDir, embed.Options{Threads: 2})
	if err != nil {
		return nil, err
	}
	defer m.Close()
	rep.Model = m.ID()

	start := time.Now()
	if _, err := indexer.Build(ctx, c, filepath.Join(cfg.WorkDir, "lexical"), indexer.Options{}); err != nil {
		return nil, err
	}
	rep.Lex = time.Since(start)
	start = time.Now()
	man, err := indexer.Build(ctx, c, ixDir, indexer.Options{Embedder: m})
	if err != nil {
		return nil, err
	}
	rep.EmbedBuild = time.Since(start)
	rep.Passages = man.Semantic.Passages
	rep.EmbedPerSec = float64(man.Semantic.Embedded) / man.Semantic.Seconds
	cfg.logf("built with embedding in %s (%.0f passages/s), lexical only in %s", rep.EmbedBuild.Round(time.Millisecond), rep.EmbedPerSec, rep.Lex.Round(time.Millisecond))
	start = time.Now()
	if _, err := indexer.Build(ctx, c, ixDir, indexer.Options{Embedder: m}); err != nil {
		return nil, err
	}
	rep.CachedBuild = time.Since(start)
	cfg.logf("rebuilt with every vector cached in %s", rep.CachedBuild.Round(time.Millisecond))

	// Query embedding and in-process search, one thread per query as qdex serve runs.
	qm, err := embed.Open(cfg.ModelDir, embed.Options{})
	if err != nil {
		return nil, err
	}
	defer qm.Close()
	qs := variants(cfg.Queries, 2000, cfg.Seed)
	var ds []time.Duration
	for _, q := range qs[:500] {
		t := time.Now()
		if _, err := qm.EmbedQuery(ctx, q); err != nil {
			return nil, err
		}
		ds = append(ds, time.Since(t))
	}
	rep.QueryEmbed = summarize(ds)
	ix, err := search.Open(ixDir)
	if err != nil {
		return nil, err
	}
	defer ix.Close()
	ix.SetEmbedder(qm)
	zero := 0.0
	for _, side := range []struct {
		out   *Stats
		ratio *float64
	}{{&rep.Lexical, &zero}, {&rep.Hybrid, nil}} {
		ds = ds[:0]
		for _, q := range qs[500:1500] {
			t := time.Now()
			if _, err := ix.Search(ctx, search.Request{Query: q, SemanticRatio: side.ratio}); err != nil {
				return nil, err
			}
			ds = append(ds, time.Since(t))
		}
		*side.out = summarize(ds)
	}
	cfg.logf("query embedding p50 %s p99 %s; search lexical p50 %s p99 %s, hybrid p50 %s p99 %s",
		rep.QueryEmbed.P50, rep.QueryEmbed.P99, rep.Lexical.P50, rep.Lexical.P99, rep.Hybrid.P50, rep.Hybrid.P99)
	if cfg.QdexBinary == "" {
		return rep, nil
	}
	return rep, httpHybrid(ctx, cfg, rep, ixDir, qs)
}

// httpHybrid runs qdex serve with the model and measures natural-language searches at
// 8 clients: every query new to the server's cache, then a few repeated, then
// lexical only.
func httpHybrid(ctx context.Context, cfg HybridConfig, rep *HybridReport, ixDir string, qs []string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	cmd := exec.CommandContext(ctx, cfg.QdexBinary, "serve", "--index", ixDir, "--addr", "127.0.0.1:0", "--model", cfg.ModelDir, "--rate-limit", "0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	defer cmd.Wait()
	base := ""
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if _, after, ok := strings.Cut(sc.Text(), "addr=http://"); ok {
			base = "http://" + strings.Fields(after)[0]
			break
		}
	}
	go io.Copy(io.Discard, stderr)
	if base == "" {
		return fmt.Errorf("qdex serve did not start")
	}
	client := newLoadClient()
	if err := waitReady(ctx, client, base); err != nil {
		return err
	}
	urls := func(qs []string, semantic string) []string {
		out := make([]string, len(qs))
		for i, q := range qs {
			out[i] = base + "/api/search?" + url.Values{"q": {q}, "semantic": {semantic}}.Encode()
		}
		return out
	}
	// New to the cache: each query of the workload once, the run shorter than the
	// list (2000 queries; about 3 s at the rates seen).
	rep.HTTPNew = load(ctx, client, urls(qs, "0.5"), 8, 3*time.Second)
	if rep.HTTPNew.Requests >= len(qs) {
		cfg.logf("warning: the run went through every query; later ones hit the cache")
	}
	repeated := urls(cfg.Queries, "0.5")
	warmUp(client, repeated, 10*time.Second)
	rep.HTTPRepeat = load(ctx, client, repeated, 8, 3*time.Second)
	rep.HTTPLex = load(ctx, client, urls(qs, "0"), 8, 3*time.Second)
	rep.RSSPeak = procStatus(cmd.Process.Pid, "VmHWM")
	cfg.logf("HTTP at 8 clients: hybrid %.0f/s new, %.0f/s repeated, lexical %.0f/s; peak RSS %s",
		rep.HTTPNew.PerSec, rep.HTTPRepeat.PerSec, rep.HTTPLex.PerSec, mb(rep.RSSPeak))
	cmd.Process.Signal(os.Interrupt)
	return nil
}

// variants are n distinct queries made from the given ones by leaving one word out
// or doubling one, so that each is new to a cache of query vectors.
func variants(qs []string, n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 2))
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		ws := strings.Fields(qs[r.IntN(len(qs))])
		i := r.IntN(len(ws))
		if r.IntN(2) == 0 && len(ws) > 3 {
			ws = append(ws[:i:i], ws[i+1:]...)
		} else {
			ws = append(ws[:i+1:i+1], ws[i:]...)
		}
		q := strings.Join(ws, " ")
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	return out
}

// WriteMarkdown writes the report.
func (r *HybridReport) WriteMarkdown(w io.Writer, fts5HTTP string) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(w, "# Hybrid search: what the semantic side costs\n\n")
	fmt.Fprintf(w, "Written by `make bench` (bench/cmd/qdexhybrid) on a generated corpus of %d questions (%d passages), model %s, two cores. Queries: the judged natural-language questions, made distinct by leaving out or doubling one word, so that each is new to the query cache unless said otherwise.\n\n", r.Questions, r.Passages, r.Model)
	fmt.Fprintf(w, "| figure | value | target |\n| --- | ---: | --- |\n")
	fmt.Fprintf(w, "| query embedding p50 / p99 | %s / %s | ≤ 5 / 15 ms |\n", ms(r.QueryEmbed.P50), ms(r.QueryEmbed.P99))
	fmt.Fprintf(w, "| hybrid search p50 / p99 (in process) | %s / %s | ≤ 8 / 25 ms |\n", ms(r.Hybrid.P50), ms(r.Hybrid.P99))
	fmt.Fprintf(w, "| lexical search p50 / p99, same queries | %s / %s | |\n", ms(r.Lexical.P50), ms(r.Lexical.P99))
	fmt.Fprintf(w, "| embedding at index time | %.0f passages/s | ≥ 100/s |\n", r.EmbedPerSec)
	fmt.Fprintf(w, "| full build: embedding all / vectors cached / no model | %s / %s / %s | cached ≈ no model |\n", r.EmbedBuild.Round(time.Millisecond), r.CachedBuild.Round(time.Millisecond), r.Lex.Round(time.Millisecond))
	if r.HTTPNew.Requests > 0 {
		fmt.Fprintf(w, "| HTTP at 8 clients, hybrid, new queries | %.0f/s (p99 %s) | ≥ 0.5× FTS5's API |\n", r.HTTPNew.PerSec, ms(r.HTTPNew.Latency.P99))
		fmt.Fprintf(w, "| HTTP at 8 clients, hybrid, repeated queries | %.0f/s (p99 %s) | |\n", r.HTTPRepeat.PerSec, ms(r.HTTPRepeat.Latency.P99))
		fmt.Fprintf(w, "| HTTP at 8 clients, lexical, the same new queries | %.0f/s (p99 %s) | |\n", r.HTTPLex.PerSec, ms(r.HTTPLex.Latency.P99))
		fmt.Fprintf(w, "| qdex serve peak RSS with the model | %s | ≤ 450 MB |\n", mb(r.RSSPeak))
	}
	fmt.Fprintf(w, "\n%s\n", fts5HTTP)
}
