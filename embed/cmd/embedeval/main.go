// Command embedeval measures a sentence encoder for qdex: query latency, passage
// throughput, memory, and a semantic-only MRR@10 on the judged queries. It is how the
// default model was chosen (model/README.md has the figures); `make test` does not run
// it. From the repository root, after `make model MODEL=name`:
//
//	go run ./embed/cmd/embedeval -model var/model/all-minilm-l6-v2-q
//
// One model per process, so that the memory figures are the model's.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"golang.org/x/sys/unix"
	"gopkg.in/yaml.v3"

	"qdex/corpus"
	"qdex/embed"
	"qdex/importer"
	"qdex/indexer"
)

var kinds = []string{"keyword", "natural", "typo", "identifier", "prefix", "all"}

type judged struct {
	Kind     string   `yaml:"kind"`
	Query    string   `yaml:"query"`
	Relevant []string `yaml:"relevant"`
}

func main() {
	modelDir := flag.String("model", "var/model/all-minilm-l6-v2-q", "model directory")
	data := flag.String("data", "data", "corpus")
	judgedDirs := flag.String("judged", "eval/testdata/judged,eval/testdata/readers", "directories of judged queries (*.yml) over -data, comma-separated; each is scored apart")
	heldoutDirs := flag.String("heldout", "eval/testdata/heldout,eval/testdata/heldout-readers", "directories of judged queries over the held-out collection")
	heldoutSrc := flag.String("heldout-src", "../shared/corpora/javascript-questions/README.md", "the held-out collection, imported as qdex import would")
	variants := flag.String("variants", "q,qa300,qa600,qa1000", "document text variants: q (question alone), qaN (question and the first N characters of the answer's prose); empty for no MRR")
	speed := flag.Bool("speed", true, "measure latency, throughput and memory")
	noQueryPrefix := flag.Bool("no-query-prefix", false, "leave out the model's query prefix")
	dump := flag.String("dump", "", "write each judged query's reciprocal rank per variant to this file (JSON lines), for paired comparisons")
	flag.Parse()
	log.SetFlags(0)
	ctx := context.Background()

	rss("start")
	m, err := embed.Open(*modelDir, embed.Options{Threads: 1})
	if err != nil {
		log.Fatal(err)
	}
	cfg := m.Config()
	fmt.Printf("model %s (pooling %s, max %d tokens, query prefix %q, passage prefix %q)\n",
		m.ID(), cfg.Pooling, cfg.MaxTokens, cfg.QueryPrefix, cfg.PassagePrefix)
	rss("after Open")

	judgedList := strings.Split(*judgedDirs, ",")
	js, err := loadJudged(judgedList[0])
	if err != nil {
		log.Fatal(err)
	}
	c, err := corpus.Load(*data)
	if err != nil {
		log.Fatal(err)
	}

	if *speed {
		fmt.Printf("load average before: %s\n", loadavg())
		queries := queryTexts(js)
		docs := documents(c, "qa600")
		if len(docs) > 300 {
			docs = docs[:300]
		}
		// First the one session opened above, alone in the process: its memory is
		// what serving (queries) and indexing (passages) cost.
		wall, cpu := queryLatency(ctx, m, queries)
		fmt.Printf("query, 1 thread, %d queries of up to 16 words x 5: wall %s; thread CPU %s\n", len(queries), wall, cpu)
		long := sixteenWords(js)
		wall, cpu = queryLatency(ctx, m, long)
		fmt.Printf("query, 1 thread, %d queries of exactly 16 words x 5: wall %s; thread CPU %s\n", len(long), wall, cpu)
		rss("after queries, one session")
		rate, perCPU, toks := throughput(ctx, m, docs, 1)
		fmt.Printf("passages (question + 600 chars of answer, mean %.0f tokens), threads 1, callers 1: %.1f docs/s (%.1f per CPU-second)\n", toks, rate, perCPU)
		rss("after passages, one session")

		qm, err := embed.Open(*modelDir, embed.Options{Threads: 2})
		if err != nil {
			log.Fatal(err)
		}
		wall, _ = queryLatency(ctx, qm, queries)
		fmt.Printf("query, 2 threads, %d queries of up to 16 words x 5: wall %s\n", len(queries), wall)
		qm.Close()
		for _, c := range []struct{ threads, callers int }{{2, 1}, {1, 2}} {
			pm, err := embed.Open(*modelDir, embed.Options{Threads: c.threads, Parallel: c.callers})
			if err != nil {
				log.Fatal(err)
			}
			rate, perCPU, toks := throughput(ctx, pm, docs, c.callers)
			fmt.Printf("passages (question + 600 chars of answer, mean %.0f tokens), threads %d, callers %d: %.1f docs/s (%.1f per CPU-second)\n",
				toks, c.threads, c.callers, rate, perCPU)
			pm.Close()
		}
		fmt.Printf("load average after: %s\n", loadavg())
	}

	qprefix := ""
	if *noQueryPrefix {
		qprefix = " (no query prefix)"
	}
	type evalSet struct {
		name string
		c    *corpus.Corpus
		js   []judged
	}
	var evals []evalSet
	for _, d := range judgedList {
		dj, err := loadJudged(d)
		if err != nil {
			log.Fatal(err)
		}
		evals = append(evals, evalSet{d, c, dj})
	}
	if src, err := os.ReadFile(*heldoutSrc); err == nil {
		hc, err := importHeldout(src)
		if err != nil {
			log.Fatal(err)
		}
		for _, d := range strings.Split(*heldoutDirs, ",") {
			hj, err := loadJudged(d)
			if err != nil {
				log.Fatal(err)
			}
			evals = append(evals, evalSet{"held-out " + d, hc, hj})
		}
	} else {
		fmt.Printf("held-out collection not read: %v\n", err)
	}
	if *variants == "" {
		evals = nil
	}
	var dumpEnc *json.Encoder
	if *dump != "" {
		f, err := os.Create(*dump)
		if err != nil {
			log.Fatal(err)
		}
		defer f.Close()
		dumpEnc = json.NewEncoder(f)
	}
	for _, e := range evals {
		qv := make([][]float32, len(e.js))
		for i, j := range e.js {
			if qv[i], err = embedQuery(ctx, m, j.Query, *noQueryPrefix); err != nil {
				log.Fatal(err)
			}
		}
		for _, variant := range strings.Split(*variants, ",") {
			docs := documents(e.c, variant)
			texts := make([]string, len(docs))
			for i, d := range docs {
				texts[i] = d.text
			}
			start := time.Now()
			dv, err := m.EmbedPassages(ctx, texts)
			if err != nil {
				log.Fatal(err)
			}
			took := time.Since(start)
			mrr := map[string]float64{}
			n := map[string]int{}
			var relSims, topSims []float64
			for i, j := range e.js {
				top := nearest(qv[i], dv, 10)
				best := -1.0
				for d := range docs {
					if slices.Contains(j.Relevant, docs[d].id) {
						best = max(best, dot(qv[i], dv[d]))
					}
				}
				if best > -1 {
					relSims = append(relSims, best)
				}
				topSims = append(topSims, dot(qv[i], dv[top[len(top)-1]]))
				rr := 0.0
				for r, d := range top {
					if slices.Contains(j.Relevant, docs[d].id) {
						rr = 1 / float64(r+1)
						break
					}
				}
				if dumpEnc != nil {
					dumpEnc.Encode(map[string]any{"model": cfg.Name, "set": e.name, "variant": variant,
						"kind": j.Kind, "query": j.Query, "rr": rr})
				}
				for _, k := range []string{j.Kind, "all"} {
					mrr[k] += rr
					n[k]++
				}
			}
			var parts []string
			for _, k := range kinds {
				if n[k] > 0 {
					parts = append(parts, fmt.Sprintf("%s %.3f (%d)", k, mrr[k]/float64(n[k]), n[k]))
				}
			}
			fmt.Printf("MRR@10 %s, %d docs, text %s%s: %s [embedded in %.1fs]\n", e.name, len(docs), variant, qprefix,
				strings.Join(parts, ", "), took.Seconds())
			fmt.Printf("  cosine of the closest relevant document: p10 %.3f, p50 %.3f; of the 10th nearest: p50 %.3f, p90 %.3f\n",
				quantile(relSims, 0.1), quantile(relSims, 0.5), quantile(topSims, 0.5), quantile(topSims, 0.9))
		}
	}
	rss("end")
}

// embedQuery embeds q with the model's query prefix, or with none.
func embedQuery(ctx context.Context, m *embed.Model, q string, noPrefix bool) ([]float32, error) {
	if !noPrefix {
		return m.EmbedQuery(ctx, q)
	}
	cfg := m.Config()
	if cfg.QueryPrefix == "" {
		return m.EmbedQuery(ctx, q)
	}
	// A passage without the passage prefix is the bare text.
	vs, err := m.EmbedPassages(ctx, []string{q})
	if err != nil || cfg.PassagePrefix == "" {
		if err != nil {
			return nil, err
		}
		return vs[0], nil
	}
	return nil, fmt.Errorf("-no-query-prefix with a passage prefix is not supported")
}

func loadJudged(dir string) ([]judged, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yml"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("%s: no judged query files: %v", dir, err)
	}
	var all []judged
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var js []judged
		if err := yaml.Unmarshal(data, &js); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		all = append(all, js...)
	}
	return all, nil
}

// queryTexts are the judged queries cut to 16 words at most, the longest kind of
// query the speed target speaks of.
func queryTexts(js []judged) []string {
	var qs []string
	for _, j := range js {
		w := strings.Fields(j.Query)
		qs = append(qs, strings.Join(w[:min(len(w), 16)], " "))
	}
	return qs
}

// latency is the distribution of one measure over the queries.
type latency struct{ p50, p99, mean time.Duration }

func (l latency) String() string {
	return fmt.Sprintf("p50 %s, p99 %s, mean %s", ms(l.p50), ms(l.p99), ms(l.mean))
}

func distribution(ds []time.Duration) latency {
	var sum time.Duration
	for _, d := range ds {
		sum += d
	}
	sort.Slice(ds, func(a, b int) bool { return ds[a] < ds[b] })
	return latency{ds[len(ds)/2], ds[len(ds)*99/100], sum / time.Duration(len(ds))}
}

// queryLatency embeds every query five times and returns the wall-clock times and
// the calling thread's CPU times. With one intra-op thread ONNX Runtime computes on
// the caller's thread, so the CPU time is the latency the query would have on an idle
// machine, whatever else runs beside this process.
// sixteenWords are the natural-language queries run together and cut into queries of
// 16 words each: the longest the query-embedding target covers.
func sixteenWords(js []judged) []string {
	var words, qs []string
	for _, j := range js {
		if j.Kind == "natural" {
			words = append(words, strings.Fields(j.Query)...)
		}
	}
	for len(words) >= 16 {
		qs = append(qs, strings.Join(words[:16], " "))
		words = words[16:]
	}
	return qs
}

func queryLatency(ctx context.Context, m *embed.Model, queries []string) (wall, cpu latency) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for _, q := range queries[:min(20, len(queries))] { // warm up
		m.EmbedQuery(ctx, q)
	}
	var ws, cs []time.Duration
	for range 5 {
		for _, q := range queries {
			start, c0 := time.Now(), threadCPU()
			if _, err := m.EmbedQuery(ctx, q); err != nil {
				log.Fatal(err)
			}
			ws = append(ws, time.Since(start))
			cs = append(cs, threadCPU()-c0)
		}
	}
	return distribution(ws), distribution(cs)
}

func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		log.Fatal(err)
	}
	return time.Duration(ts.Nano())
}

func processCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts); err != nil {
		log.Fatal(err)
	}
	return time.Duration(ts.Nano())
}

// throughput embeds the documents' texts with parallel callers (goroutines sharing
// the model) and returns documents per second of wall-clock time, documents per
// CPU-second of the process (what an idle core would do), and the mean token count.
func throughput(ctx context.Context, m *embed.Model, docs []doc, parallel int) (rate, perCPU, meanTokens float64) {
	texts := make([]string, len(docs))
	toks := 0
	for i, d := range docs {
		texts[i] = d.text
		toks += len(m.Tokens(m.Config().PassagePrefix + d.text))
	}
	m.EmbedPassages(ctx, texts[:8])
	parallel = max(parallel, 1)
	start, c0 := time.Now(), processCPU()
	errs := make(chan error, parallel)
	for p := range parallel {
		go func() {
			var part []string
			for i := p; i < len(texts); i += parallel {
				part = append(part, texts[i])
			}
			_, err := m.EmbedPassages(ctx, part)
			errs <- err
		}()
	}
	for range parallel {
		if err := <-errs; err != nil {
			log.Fatal(err)
		}
	}
	n := float64(len(texts))
	return n / time.Since(start).Seconds(), n / (processCPU() - c0).Seconds(), float64(toks) / n
}

type doc struct{ id, text string }

// documents are the corpus's questions and articles as the variant puts them into
// words: "q" is the question (an article's title), "qaN" adds the first N characters
// of the answer's prose (an article's description and body), cut at a word.
func documents(c *corpus.Corpus, variant string) []doc {
	n := 0
	if variant != "q" {
		if _, err := fmt.Sscanf(variant, "qa%d", &n); err != nil {
			log.Fatalf("variant %q: want q or qaN", variant)
		}
	}
	var out []doc
	for _, s := range c.Subtopics {
		for _, q := range s.Questions {
			text := q.Q
			if n > 0 {
				text += "\n" + opening(indexer.ExtractText(q.A).Prose, n)
			}
			out = append(out, doc{corpus.QuestionDocID(s, q), text})
		}
	}
	for _, a := range c.Articles {
		text := a.Title
		if n > 0 {
			text += "\n" + opening(a.Description+"\n"+indexer.ExtractText(a.Body).Prose, n)
		}
		out = append(out, doc{corpus.ArticleDocID(a), text})
	}
	return out
}

// opening is the first n bytes of s, cut back to the end of a word.
func opening(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexFunc(s[:n+1], unicode.IsSpace)
	if cut <= 0 {
		cut = n
	}
	return s[:cut]
}

func dot(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

// nearest returns the indexes of the k vectors with the highest dot product with q.
func nearest(q []float32, vs [][]float32, k int) []int {
	type hit struct {
		i int
		s float32
	}
	hits := make([]hit, len(vs))
	for i, v := range vs {
		var s float32
		for j := range v {
			s += v[j] * q[j]
		}
		hits[i] = hit{i, s}
	}
	sort.Slice(hits, func(a, b int) bool { return hits[a].s > hits[b].s })
	out := make([]int, 0, k)
	for _, h := range hits[:min(k, len(hits))] {
		out = append(out, h.i)
	}
	return out
}

func importHeldout(src []byte) (*corpus.Corpus, error) {
	p, err := importer.Parse("auto", src)
	if err != nil {
		return nil, err
	}
	out, err := os.MkdirTemp("", "embedeval")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(out)
	if _, err := importer.Write(p, importer.Options{Out: out, Framework: "javascript", Topic: "async"}); err != nil {
		return nil, err
	}
	return corpus.Load(out)
}

func loadavg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d.Microseconds())/1000) }

// rss prints the process's resident set and its peak so far.
func rss(when string) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	var cur, peak string
	for _, l := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			cur = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			peak = strings.TrimSpace(v)
		}
	}
	fmt.Printf("rss %s: %s (peak %s)\n", when, cur, peak)
}
