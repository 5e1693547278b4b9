package bench

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

// Report is a whole run, ready to be written as Markdown.
type Report struct {
	Started, Finished time.Time
	Command           string
	Machine           Machine
	Config            Config
	Sizes             []*Size
	// HotPaths is the output of the Go benchmarks in bench/.
	HotPaths string
	// Notes is the hand-written part of a previous RESULTS.md, kept across runs.
	Notes string
}

// ProfileTop is a profile's summary: `go tool pprof -top` by flat and cumulative
// time, and the cumulative share of every function.
type ProfileTop struct {
	Flat, Cum string
	Shares    map[string]float64 // function → cum%
	Samples   string             // pprof's "Duration: …, Total samples = …" line
}

// Machine describes where the run happened.
type Machine struct {
	CPU, Memory, Kernel, Commit     string
	Cores                           int
	Go, Bleve, SQLite, SQLiteDriver string
	LoadStart, LoadEnd              string
}

// ReadMachine describes this machine and the program's versions.
func ReadMachine() Machine {
	m := Machine{Cores: runtime.NumCPU(), Go: runtime.Version(), SQLite: ftsVersion(), LoadStart: loadAvg()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				var kb int64
				fmt.Sscan(v, &kb)
				m.Memory = fmt.Sprintf("%.1f GB", float64(kb)/1e6*1.024)
			}
		}
	}
	if out, err := exec.Command("git", "describe", "--always", "--dirty").Output(); err == nil {
		m.Commit = strings.TrimSpace(string(out))
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			switch d.Path {
			case "github.com/blevesearch/bleve/v2":
				m.Bleve = d.Version
			case "github.com/mattn/go-sqlite3":
				m.SQLiteDriver = d.Version
			}
		}
	}
	return m
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// Finish records the end of the run.
func (r *Report) Finish() {
	r.Finished = time.Now()
	r.Machine.LoadEnd = loadAvg()
}

// PprofTop summarises a CPU profile with `go tool pprof -top`, by flat and by
// cumulative time.
func PprofTop(path string) (ProfileTop, error) {
	run := func(args ...string) (string, error) {
		cmd := exec.Command("go", append([]string{"tool", "pprof", "-top"}, append(args, path)...)...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("go tool pprof: %v: %s", err, errb.String())
		}
		return out.String(), nil
	}
	flat, err := run("-nodecount=25")
	if err != nil {
		return ProfileTop{}, err
	}
	cum, err := run("-cum", "-nodecount=100000", "-nodefraction=0", "-edgefraction=0")
	if err != nil {
		return ProfileTop{}, err
	}
	top := ProfileTop{Flat: trimTop(flat), Shares: map[string]float64{}}
	var lines []string
	for _, line := range strings.Split(trimTop(cum), "\n") {
		if strings.HasPrefix(line, "Duration:") {
			top.Samples = line
		}
		f := strings.Fields(line)
		if len(f) >= 6 && strings.HasSuffix(f[4], "%") {
			if pc, err := strconv.ParseFloat(strings.TrimSuffix(f[4], "%"), 64); err == nil {
				top.Shares[f[5]] = pc
			}
		}
		if len(lines) < 55 {
			lines = append(lines, line)
		}
	}
	top.Cum = strings.Join(lines, "\n")
	return top, nil
}

// trimTop drops pprof's header lines up to the duration, and the frames of the
// benchmark program itself (main, the loop), which only add their callees up.
func trimTop(s string) string {
	var out []string
	started := false
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "Duration:") {
			started = true
		}
		if !started || strings.Contains(line, " main.") || strings.Contains(line, "qdex/bench.") || strings.HasSuffix(line, "runtime.main") {
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// notesRE finds the hand-written section of a previous report.
var notesRE = regexp.MustCompile(`(?s)<!-- notes -->\n(.*?)<!-- /notes -->`)

// KeptNotes returns the hand-written notes of an existing report, if any.
func KeptNotes(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	if m := notesRE.FindSubmatch(b); m != nil {
		return string(m[1])
	}
	return ""
}

// Targets are the goals of issue 7, checked at TargetSize (RSS at LargeTargetSize).
const (
	TargetSize      = 10000
	LargeTargetSize = 100000
)

type target struct {
	name     string
	measured string
	met      string
}

func (r *Report) size(n int) *Size {
	for _, s := range r.Sizes {
		if s.Questions == n {
			return s
		}
	}
	return nil
}

func (r *Report) targets() []target {
	na := func(name string) target { return target{name, "not measured", "—"} }
	yes := func(ok bool) string {
		if ok {
			return "**yes**"
		}
		return "**no**"
	}
	var ts []target
	if s := r.size(TargetSize); s != nil {
		qps := float64(s.Questions) / s.Qdex.Build.Seconds()
		ts = append(ts,
			target{"build ≥ 2,000 questions/s (10k)", fmt.Sprintf("%s questions/s", num(qps)), yes(qps >= 2000)},
			target{"in-process search p50 ≤ 2 ms (10k, mixed, facets + highlights)", dur(s.Qdex.Search.P50), yes(s.Qdex.Search.P50 <= 2*time.Millisecond)},
			target{"in-process search p99 ≤ 10 ms (10k)", dur(s.Qdex.Search.P99), yes(s.Qdex.Search.P99 <= 10*time.Millisecond)},
		)
		if run := s.httpRun(8); run != nil {
			ts = append(ts, target{"HTTP ≥ 1,000 searches/s at 8 clients (10k)", fmt.Sprintf("%s/s", num(run.PerSec)), yes(run.PerSec >= 1000)})
		} else {
			ts = append(ts, na("HTTP ≥ 1,000 searches/s at 8 clients (10k)"))
		}
		ts = append(ts, target{"index open ≤ 1 s (10k)", dur(s.Qdex.Open), yes(s.Qdex.Open <= time.Second)})
	} else {
		for _, n := range []string{"build ≥ 2,000 questions/s (10k)", "in-process search p50 ≤ 2 ms (10k)", "in-process search p99 ≤ 10 ms (10k)", "HTTP ≥ 1,000 searches/s at 8 clients (10k)", "index open ≤ 1 s (10k)"} {
			ts = append(ts, na(n))
		}
	}
	if s := r.size(LargeTargetSize); s != nil && s.RSSPeak > 0 {
		ts = append(ts, target{"`qdex serve` peak RSS ≤ 300 MB (100k)", mb(s.RSSPeak), yes(s.RSSPeak <= 300e6)})
	} else {
		ts = append(ts, na("`qdex serve` peak RSS ≤ 300 MB (100k)"))
	}
	return ts
}

func (s *Size) httpRun(clients int) *HTTPRun {
	for i := range s.HTTP {
		if s.HTTP[i].Clients == clients {
			return &s.HTTP[i]
		}
	}
	return nil
}

// WriteMarkdown writes the report.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	m := r.Machine
	p("# qdex benchmarks")
	p("")
	p("Written by `%s` (bench/cmd/qdexbench) on %s; the run took %s. Do not edit by hand, except between the notes markers: a new run keeps that section.",
		r.Command, r.Started.UTC().Format("2006-01-02 15:04 UTC"), r.Finished.Sub(r.Started).Round(time.Second))
	p("")
	p("| machine | |")
	p("| --- | --- |")
	p("| CPU | %s, %d cores |", m.CPU, m.Cores)
	p("| memory | %s |", m.Memory)
	p("| kernel | Linux %s |", m.Kernel)
	p("| qdex | commit %s |", m.Commit)
	p("| Go | %s |", m.Go)
	p("| bleve | %s |", m.Bleve)
	if m.SQLite != "" {
		p("| SQLite | %s (github.com/mattn/go-sqlite3 %s, FTS5) |", m.SQLite, m.SQLiteDriver)
	} else {
		p("| SQLite | not built in (run with -tags fts5) |")
	}
	p("| load average | %s at the start, %s at the end (other work on the machine skews the figures) |", m.LoadStart, m.LoadEnd)
	p("")

	p("## Targets")
	p("")
	p("| target | measured | met |")
	p("| --- | --- | --- |")
	for _, t := range r.targets() {
		p("| %s | %s | %s |", t.name, t.measured, t.met)
	}
	p("")

	p("## Corpora")
	p("")
	p("Generated by `qdex gen --seed %d` (package gen): the shape of data/, Zipf-distributed prose, identifiers and code blocks in seven languages.", r.Config.Seed)
	p("")
	p("| questions | documents | frameworks | topics | pages | articles | Markdown | generated in | loaded in |")
	p("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, s := range r.Sizes {
		c := s.Corpus
		p("| %s | %s | %d | %d | %s | %d | %s | %s | %s |", num(float64(s.Questions)), num(float64(s.Qdex.Documents)),
			c.Frameworks, c.Topics, num(float64(c.Subtopics)), c.Articles, mb(c.Bytes), dur(c.Took), dur(s.Load))
	}
	p("")

	p("## Index build, size and open")
	p("")
	p("Build: from the loaded corpus to an index ready on disk (qdex: `indexer.Build`, Markdown extraction, analysis, segment merges, atomic swap; FTS5: the same extraction, inserts in one transaction, `optimize`). Open: until the index can answer (qdex: `search.Open`, which also reads the catalog and builds the spelling vocabulary; FTS5: open and prepare the statements); median of three, files in the page cache.")
	p("")
	p("| questions | qdex build | FTS5 build | qdex/FTS5 | qdex size | FTS5 size | qdex/FTS5 | qdex open | FTS5 open | qdex/FTS5 |")
	p("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, s := range r.Sizes {
		q, f := s.Qdex, s.FTS
		p("| %s | %s (%s q/s) | %s | %s | %s | %s | %s | %s | %s | %s |", num(float64(s.Questions)),
			dur(q.Build), num(float64(s.Questions)/q.Build.Seconds()), ftsOr(f, func() string {
				return fmt.Sprintf("%s (%s q/s)", dur(f.Build), num(float64(s.Questions)/f.Build.Seconds()))
			}), ratio(q.Build.Seconds(), f.Build.Seconds()),
			mb(q.SizeBytes), ftsOr(f, func() string { return mb(f.SizeBytes) }), ratio(float64(q.SizeBytes), float64(f.SizeBytes)),
			dur(q.Open), ftsOr(f, func() string { return dur(f.Open) }), ratio(q.Open.Seconds(), f.Open.Seconds()))
	}
	p("")

	p("## Search latency in process")
	p("")
	p("One search at a time, each query of the workload once after a warm-up of 50 (at most %s per engine and size, %s from %s questions: the searches column says how many ran). qdex: `Index.Search` with default page size 10, facets and highlights, as the web pages use it. FTS5: a bm25-ranked page of 10 with `highlight()`/`snippet()` of question, answer and code, plus a second statement reading every match's facet columns to count the total and the five facets.", r.Config.SearchBudget, r.Config.SearchBudgetLarge, num(float64(r.Config.LargeSize)))
	p("")
	p("| questions | searches | qdex p50 / p95 / p99 (mean) | FTS5 p50 / p95 / p99 (mean) | qdex/FTS5 p50 | qdex/FTS5 p99 | qdex zero-hit | FTS5 zero-hit |")
	p("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, s := range r.Sizes {
		q, f := s.Qdex.Search, s.FTS.Search
		p("| %s | %d | %s / %s / %s (%s) | %s | %s | %s | %s | %s |", num(float64(s.Questions)), q.N,
			dur(q.P50), dur(q.P95), dur(q.P99), dur(q.Mean),
			ftsOr(s.FTS, func() string {
				return fmt.Sprintf("%s / %s / %s (%s)", dur(f.P50), dur(f.P95), dur(f.P99), dur(f.Mean))
			}),
			ratio(q.P50.Seconds(), f.P50.Seconds()), ratio(q.P99.Seconds(), f.P99.Seconds()),
			pct(q.ZeroHits, q.N), ftsOr(s.FTS, func() string { return pct(f.ZeroHits, f.N) }))
	}
	p("")
	for _, s := range r.Sizes {
		p("### By kind of query, %s questions", num(float64(s.Questions)))
		p("")
		p("| kind | qdex p50 | qdex p99 | qdex mean hits | qdex zero-hit | FTS5 p50 | FTS5 p99 | FTS5 mean hits | FTS5 zero-hit | qdex/FTS5 p50 |")
		p("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
		for _, k := range Kinds {
			q, f := s.Qdex.ByKind[k.Name], s.FTS.ByKind[k.Name]
			p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", k.Name, dur(q.P50), dur(q.P99), num(q.MeanHits), pct(q.ZeroHits, q.N),
				ftsOr(s.FTS, func() string { return dur(f.P50) }), ftsOr(s.FTS, func() string { return dur(f.P99) }),
				ftsOr(s.FTS, func() string { return num(f.MeanHits) }), ftsOr(s.FTS, func() string { return pct(f.ZeroHits, f.N) }),
				ratio(q.P50.Seconds(), f.P50.Seconds()))
		}
		p("")
		p("Typo ratios compare unlike work: FTS5 searches the misspelt word as typed and finds almost nothing, qdex corrects it and ranks thousands of hits. Hits are the total matching documents.")
		if s.Qdex.Search.Errors > 0 || s.FTS.Search.Errors > 0 {
			p("")
			p("Errors: qdex %d (%s), FTS5 %d (%s).", s.Qdex.Search.Errors, s.Qdex.Search.FirstError, s.FTS.Search.Errors, s.FTS.Search.FirstError)
		}
		p("")
	}

	p("## HTTP: `qdex serve`, GET /api/search")
	p("")
	p("A real `qdex serve` process on 127.0.0.1, the same workload as URL parameters, each client a loop of requests on kept-alive connections; every query once as a warm-up first. Client and server share the machine's %d cores. RSS from /proc/PID/status: VmRSS once the index is open, VmHWM (the peak) after all the load; in brackets RssAnon and RssFile once open, and the highest RssAnon (Go heap, stacks) and RssFile (pages of the memory-mapped index segments, which the kernel can drop) seen in samples every 50 ms. A 503 is a search that exceeded the server's 5 s search timeout.", m.Cores)
	p("")
	p("| questions | ready in | RSS open (heap + mapped index) | peak RSS (heap + mapped index) | clients | searches/s | p50 | p95 | p99 | errors |")
	p("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, s := range r.Sizes {
		if s.HTTPErr != "" && len(s.HTTP) == 0 {
			p("| %s | %s | | | | | | | | |", num(float64(s.Questions)), "error: "+s.HTTPErr)
			continue
		}
		for i, h := range s.HTTP {
			lead := fmt.Sprintf("| %s | %s | %s (%s + %s) | %s (%s + %s) ", num(float64(s.Questions)), dur(s.ServeReady),
				mb(s.RSSOpen), mb(s.AnonOpen), mb(s.FileOpen), mb(s.RSSPeak), mb(s.AnonPeak), mb(s.FilePeak))
			if i > 0 {
				lead = "| | | | "
			}
			p("%s| %d | %s | %s | %s | %s | %d%s |", lead, h.Clients, num(h.PerSec), dur(h.Latency.P50), dur(h.Latency.P95), dur(h.Latency.P99),
				h.Errors, errNote(h.Latency.FirstError))
		}
	}
	p("")

	var profiled bool
	for _, s := range r.Sizes {
		profiled = profiled || len(s.Profiles) > 0
	}
	if profiled {
		p("## Profiles")
		p("")
		p("CPU profiles (runtime/pprof) of qdex in this process, summarised with `go tool pprof -top`. Shares are of all samples, so on two cores they can add up to more than 100%%; garbage collection runs beside the work it cleans up after.")
		p("")
		for _, s := range r.Sizes {
			for _, pr := range s.Profiles {
				switch pr.Kind {
				case "search":
					p("### Search loop, %s questions: %d searches in %s", num(float64(s.Questions)), pr.Runs, dur(pr.Duration))
				case "build":
					p("### Index build, %s questions: %s", num(float64(s.Questions)), dur(pr.Duration))
				case "open":
					p("### Index open, %s questions: %d opens in %s", num(float64(s.Questions)), pr.Runs, dur(pr.Duration))
				}
				p("")
				p("%s.", pr.Top.Samples)
				p("")
				p("| where the time goes | function | cum |")
				p("| --- | --- | ---: |")
				for _, sh := range shareRows[pr.Kind] {
					share, ok := pr.Top.Shares[sh.fn]
					if !ok {
						p("| %s | `%s` | not sampled |", sh.label, shortFunc(sh.fn))
						continue
					}
					p("| %s | `%s` | %.1f%% |", sh.label, shortFunc(sh.fn), share)
				}
				p("")
				p("<details><summary>pprof -top -cum</summary>")
				p("")
				p("```")
				b.WriteString(strings.TrimRight(pr.Top.Cum, "\n") + "\n")
				p("```")
				p("")
				p("</details>")
				p("")
				p("<details><summary>pprof -top (flat)</summary>")
				p("")
				p("```")
				b.WriteString(strings.TrimRight(pr.Top.Flat, "\n") + "\n")
				p("```")
				p("")
				p("</details>")
				p("")
			}
		}
	}

	p("## Findings")
	p("")
	p("<!-- notes -->")
	if r.Notes != "" {
		b.WriteString(r.Notes)
	} else {
		p("(none yet)")
	}
	p("<!-- /notes -->")
	p("")

	if r.HotPaths != "" {
		p("## Go benchmarks of the hot paths")
		p("")
		p("`go test -run '^$' -bench . -benchmem ./bench/` (bench/hotpath_test.go, on a generated corpus of 1,000 questions):")
		p("")
		p("```")
		b.WriteString(strings.TrimRight(r.HotPaths, "\n") + "\n")
		p("```")
		p("")
	}

	p("## Workload")
	p("")
	p("%d queries made from the corpus's own text with seed %d, the same for both engines:", r.Config.Queries, r.Config.Seed)
	p("")
	p("| kind | share | qdex query | FTS5 MATCH |")
	p("| --- | ---: | --- | --- |")
	for _, k := range Kinds {
		p("| %s | %d%% | %s | %s |", k.Name, k.Share, kindQdex[k.Name], kindFTS[k.Name])
	}
	p("")
	_, err := w.Write(b.Bytes())
	return err
}

var kindQdex = map[string]string{
	"keyword":  "1–3 words of a question (and its answer), ending with a space: `goroutine leak `",
	"phrase":   "2–3 consecutive words of an answer, quoted: `\"the event loop\"`",
	"typo":     "a word of 6+ letters with one swap, deletion, substitution or insertion, sometimes after a correct word",
	"prefix":   "search as you type: a word and the first 3–5 letters of another, no trailing space",
	"code":     "an identifier of a code block (camelCase, snake_case, pkg.Func), bare or as `code:ident`",
	"filtered": "1–2 words with `framework:`, `difficulty:` or `lang:`, typed or as a request filter",
}

var kindFTS = map[string]string{
	"keyword":  "each word quoted, implicit AND",
	"phrase":   "the phrase quoted",
	"typo":     "the words as typed (FTS5 has no fuzzy matching)",
	"prefix":   "`\"word\" \"pre\"*`",
	"code":     "the identifier's words as a phrase, in column `code` for `code:`",
	"filtered": "words as for keyword, and `framework = ?`, `difficulty = ?` or a LIKE on the languages",
}

func ftsOr(e Engine, f func() string) string {
	if e.Err != "" {
		return "—"
	}
	return f()
}

func errNote(e string) string {
	if e == "" {
		return ""
	}
	return " (" + strings.ReplaceAll(e, "|", "/") + ")"
}

func ratio(a, b float64) string {
	if a <= 0 || b <= 0 {
		return "—"
	}
	r := a / b
	switch {
	case r >= 100:
		return fmt.Sprintf("%.0f×", r)
	case r >= 10:
		return fmt.Sprintf("%.1f×", r)
	}
	return fmt.Sprintf("%.2f×", r)
}

func pct(n, of int) string {
	if of == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(n)/float64(of))
}

// num formats a number with thousands separators, or one decimal when small.
func num(f float64) string {
	if f < 100 {
		return fmt.Sprintf("%.1f", f)
	}
	s := fmt.Sprintf("%.0f", f)
	var out []byte
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// dur formats a duration with three significant digits.
func dur(d time.Duration) string {
	switch {
	case d <= 0:
		return "—"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/1e3)
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2f ms", float64(d)/1e6)
	case d < time.Second:
		return fmt.Sprintf("%.1f ms", float64(d)/1e6)
	case d < time.Minute:
		return fmt.Sprintf("%.2f s", d.Seconds())
	}
	return d.Round(time.Second).String()
}

type shareRow struct{ label, fn string }

// shareRows are the functions whose cumulative share tells where a profile's time goes.
var shareRows = map[string][]shareRow{
	"search": {
		{"all of qdex's Search", "qdex/search.(*Index).Search"},
		{"direct evaluation: words and filters as bitmaps, BM25, facets", "qdex/search.(*directPlan).run"},
		{"direct evaluation: BM25 of the matches", "qdex/search.(*directPlan).score"},
		{"facet counting: the matches in the facet table", "qdex/search.(*facetCounter).addDocs"},
		{"bleve searches (phrases, newest first)", "github.com/blevesearch/bleve/v2.(*indexImpl).SearchInContext"},
		{"phrase matching (qdex's phrase searcher)", "qdex/search.(*phraseSearcher).Next"},
		{"terms looked up in the segments' dictionaries", "github.com/blevesearch/zapx/v17.(*Dictionary).PostingsList"},
		{"typo candidates from the vocabulary", "qdex/search.(*vocabulary).near"},
		{"qdex: adjacent pairs rerank the best 50", "qdex/search.(*Index).rerank"},
		{"qdex: match locations of the page's hits", "qdex/search.(*hitSegments).locate"},
		{"qdex: stored fields of the page's hits", "qdex/search.(*hitSegments).loadFields"},
		{"qdex: relaxed second search (some words)", "qdex/search.(*request).relax"},
		{"qdex: disjunctive facet searches", "qdex/search.(*request).facets"},
		{"qdex: spelling suggestion", "qdex/search.(*Index).suggest"},
		{"qdex: hits (names from the catalog)", "qdex/search.(*Index).hit"},
		{"qdex: highlight fragments", "qdex/search.highlights"},
		{"qdex: query plan", "qdex/search.(*Index).plan"},
		{"memory allocation", "runtime.mallocgc"},
		{"garbage collection", "runtime.gcBgMarkWorker"},
	},
	"build": {
		{"Build's own goroutine (the batch workers run beside it)", "qdex/indexer.Build"},
		{"batch workers: documents and bleve Batch calls", "golang.org/x/sync/errgroup.(*Group).Go.func1"},
		{"Markdown to text (goldmark)", "qdex/indexer.ExtractText"},
		{"analysis workers (tokenizer and filters)", "github.com/blevesearch/bleve/v2/index/scorch.analyze"},
		{"qdex identifier filter", "qdex/indexer.IdentFilter.Filter"},
		{"Porter stemmer", "github.com/blevesearch/bleve/v2/analysis/token/porter.(*PorterStemmer).Filter"},
		{"new segments from batches (postings, dictionaries)", "github.com/blevesearch/zapx/v17.(*interim).convert"},
		{"persisting segments", "github.com/blevesearch/bleve/v2/index/scorch.(*Scorch).persisterLoop"},
		{"merging segments", "github.com/blevesearch/bleve/v2/index/scorch.(*Scorch).mergerLoop"},
		{"memory allocation", "runtime.mallocgc"},
		{"garbage collection", "runtime.gcBgMarkWorker"},
	},
	"open": {
		{"all of Open", "qdex/search.Open"},
		{"reading the catalog", "qdex/indexer.ReadCatalog"},
		{"opening bleve", "github.com/blevesearch/bleve/v2.openIndexUsing"},
		{"vocabulary file", "qdex/indexer.ReadVocabulary"},
		{"spelling vocabulary from it", "qdex/search.newVocabulary"},
		{"facet table from the postings", "qdex/search.buildFacetTable"},
		{"JSON decoding", "encoding/json.Unmarshal"},
		{"memory allocation", "runtime.mallocgc"},
		{"garbage collection", "runtime.gcBgMarkWorker"},
	},
}

// shortFunc drops the module paths from a function name.
func shortFunc(fn string) string {
	for _, p := range []string{"github.com/blevesearch/bleve/v2/", "github.com/blevesearch/", "qdex/"} {
		if strings.HasPrefix(fn, p) {
			return strings.TrimPrefix(fn, p)
		}
	}
	return fn
}
