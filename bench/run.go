package bench

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"time"

	"qdex/corpus"
	"qdex/gen"
	"qdex/indexer"
	"qdex/search"
)

// Config says what to measure.
type Config struct {
	Sizes   []int  // corpus sizes in questions
	Seed    uint64 // for the corpora and the workloads
	Queries int    // queries in the mixed workload
	// SearchBudget caps the time of one engine's in-process latency run;
	// SearchBudgetLarge is the same for corpora of LargeSize questions or more.
	SearchBudget      time.Duration
	SearchBudgetLarge time.Duration
	// Clients are the HTTP concurrency levels; HTTPDuration is how long each runs,
	// HTTPDurationLarge the same for corpora of LargeSize questions or more.
	Clients           []int
	HTTPDuration      time.Duration
	HTTPDurationLarge time.Duration
	LargeSize         int
	// ProfileSizes are the sizes at which qdex's search loop is CPU-profiled for
	// ProfileDuration; BuildProfileSizes and OpenProfileSizes those at which a second
	// index build and repeated opens are.
	ProfileSizes      []int
	ProfileDuration   time.Duration
	BuildProfileSizes []int
	OpenProfileSizes  []int
	// QdexBinary is a built qdex, run as `qdex serve` for the HTTP figures; empty
	// skips them.
	QdexBinary string
	// WorkDir holds the corpora and indexes; each size's files are removed after it.
	WorkDir string
	// Log receives progress.
	Log io.Writer
}

// Stats summarises latencies.
type Stats struct {
	N                        int
	P50, P95, P99, Mean, Max time.Duration
	ZeroHits, Errors         int
	FirstError               string
	totalHits                int64
	MeanHits                 float64
	durations                []time.Duration
}

func summarize(ds []time.Duration) Stats {
	s := Stats{N: len(ds), durations: ds}
	if len(ds) == 0 {
		return s
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	at := func(p float64) time.Duration {
		i := int(p*float64(len(sorted))+0.5) - 1
		return sorted[min(max(i, 0), len(sorted)-1)]
	}
	var sum time.Duration
	for _, d := range sorted {
		sum += d
	}
	s.P50, s.P95, s.P99, s.Max = at(0.50), at(0.95), at(0.99), sorted[len(sorted)-1]
	s.Mean = sum / time.Duration(len(sorted))
	return s
}

// Engine is one engine's figures at one size.
type Engine struct {
	Build     time.Duration
	Documents int
	SizeBytes int64
	Open      time.Duration
	Segments  int // qdex: zap segments in the index
	Search    Stats
	ByKind    map[string]Stats
	Err       string // set when the engine could not be measured
}

// HTTPRun is one concurrency level against `qdex serve`.
type HTTPRun struct {
	Clients  int
	Duration time.Duration
	Requests int
	Errors   int
	PerSec   float64
	Latency  Stats
}

// Size is everything measured at one corpus size.
type Size struct {
	Questions int
	Corpus    gen.Stats
	Load      time.Duration
	Workload  int
	Qdex, FTS Engine
	// HTTP figures; ServeReady is from starting the process to /readyz answering.
	ServeReady       time.Duration
	HTTP             []HTTPRun
	RSSOpen, RSSPeak int64 // bytes: after the index opened, and the high-water mark
	// AnonPeak and FilePeak are the highest anonymous (heap, stacks) and file-backed
	// (the index's memory-mapped segments) resident memory seen while sampling.
	AnonPeak, FilePeak int64
	AnonOpen, FileOpen int64
	HTTPErr            string
	Profiles           []*Profile
}

// Profile is a CPU profile of qdex: of the search loop, an index build or opens.
type Profile struct {
	Kind     string // search, build or open
	Path     string
	Duration time.Duration
	Runs     int // searches or opens
	Top      ProfileTop
}

// Run measures every size in turn.
func Run(ctx context.Context, cfg Config) ([]*Size, error) {
	var out []*Size
	for _, n := range cfg.Sizes {
		s, err := runSize(ctx, cfg, n)
		if err != nil {
			return out, fmt.Errorf("%d questions: %w", n, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func (cfg Config) logf(format string, args ...any) {
	if cfg.Log != nil {
		fmt.Fprintf(cfg.Log, "%s  "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
	}
}

func runSize(ctx context.Context, cfg Config, n int) (*Size, error) {
	res := &Size{Questions: n}
	dir := filepath.Join(cfg.WorkDir, fmt.Sprintf("q%d", n))
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	data, ixDir, ftsPath := filepath.Join(dir, "data"), filepath.Join(dir, "index"), filepath.Join(dir, "fts5.db")

	cfg.logf("%d: generating", n)
	st, err := gen.Generate(ctx, data, gen.Options{Questions: n, Seed: cfg.Seed})
	if err != nil {
		return nil, err
	}
	res.Corpus = st
	cfg.logf("%d: %s", n, st)

	start := time.Now()
	c, err := corpus.Load(data)
	if err != nil {
		return nil, err
	}
	res.Load = time.Since(start)
	qs := Workload(c, cfg.Queries, cfg.Seed)
	res.Workload = len(qs)
	cfg.logf("%d: loaded in %s; %d queries", n, res.Load.Round(time.Millisecond), len(qs))

	// Builds. The corpus is released before any search, so that its memory does not
	// weigh on the searches' garbage collection.
	runtime.GC()
	start = time.Now()
	m, err := indexer.Build(ctx, c, ixDir, indexer.Options{})
	if err != nil {
		return nil, err
	}
	res.Qdex.Build, res.Qdex.Documents = time.Since(start), m.Documents()
	buildDir, _, err := indexer.Resolve(ixDir)
	if err != nil {
		return nil, err
	}
	res.Qdex.SizeBytes = diskUsage(buildDir)
	res.Qdex.Segments = countFiles(buildDir, ".zap")
	cfg.logf("%d: qdex built %d documents in %s, %s", n, m.Documents(), res.Qdex.Build.Round(time.Millisecond), mb(res.Qdex.SizeBytes))

	if FTS5Available {
		runtime.GC()
		start = time.Now()
		docs, err := ftsBuild(ctx, c, ftsPath)
		if err != nil {
			res.FTS.Err = err.Error()
		} else {
			res.FTS.Build, res.FTS.Documents = time.Since(start), docs
			res.FTS.SizeBytes = diskUsage(ftsPath)
			cfg.logf("%d: fts5 built %d documents in %s, %s", n, docs, res.FTS.Build.Round(time.Millisecond), mb(res.FTS.SizeBytes))
		}
	} else {
		res.FTS.Err = errNoFTS5Msg
	}
	if slices.Contains(cfg.BuildProfileSizes, n) {
		p := &Profile{Kind: "build", Path: filepath.Join(cfg.WorkDir, fmt.Sprintf("qdex-build-%d.pprof", n)), Runs: 1}
		err := cpuProfile(p, func() error {
			_, err := indexer.Build(ctx, c, filepath.Join(dir, "index-profiled"), indexer.Options{})
			return err
		})
		if err != nil {
			return nil, err
		}
		os.RemoveAll(filepath.Join(dir, "index-profiled"))
		res.Profiles = append(res.Profiles, p)
		cfg.logf("%d: profiled a build into %s", n, p.Path)
	}
	c = nil
	debug.FreeOSMemory() // so that the scavenger does not return the builds' memory during the searches

	// qdex in process.
	var ix *search.Index
	res.Qdex.Open, err = medianOf(3, func() error {
		if ix != nil {
			ix.Close()
		}
		ix, err = search.Open(ixDir)
		return err
	})
	if err != nil {
		return nil, err
	}
	cfg.logf("%d: qdex open in %s; searching", n, res.Qdex.Open.Round(time.Microsecond))
	qdexSearch := func(q Query) (int, error) {
		r, err := ix.Search(ctx, search.Request{Query: q.Text, Filters: q.Filters})
		if err != nil {
			return 0, err
		}
		return r.Total, nil
	}
	budget := cfg.SearchBudget
	if cfg.LargeSize > 0 && n >= cfg.LargeSize && cfg.SearchBudgetLarge > 0 {
		budget = cfg.SearchBudgetLarge
	}
	res.Qdex.Search, res.Qdex.ByKind = measure(ctx, qs, budget, qdexSearch)
	cfg.logf("%d: qdex p50 %s p99 %s over %d searches", n, res.Qdex.Search.P50, res.Qdex.Search.P99, res.Qdex.Search.N)
	if slices.Contains(cfg.ProfileSizes, n) {
		p := &Profile{Kind: "search", Path: filepath.Join(cfg.WorkDir, fmt.Sprintf("qdex-search-%d.pprof", n))}
		start := time.Now()
		err := cpuProfile(p, func() error {
			for time.Since(start) < cfg.ProfileDuration && ctx.Err() == nil {
				qdexSearch(qs[p.Runs%len(qs)])
				p.Runs++
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		res.Profiles = append(res.Profiles, p)
		cfg.logf("%d: profiled %d searches into %s", n, p.Runs, p.Path)
	}
	ix.Close()
	if slices.Contains(cfg.OpenProfileSizes, n) {
		p := &Profile{Kind: "open", Path: filepath.Join(cfg.WorkDir, fmt.Sprintf("qdex-open-%d.pprof", n))}
		err := cpuProfile(p, func() error {
			for p.Runs < 5 {
				ix, err := search.Open(ixDir)
				if err != nil {
					return err
				}
				ix.Close()
				p.Runs++
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		res.Profiles = append(res.Profiles, p)
		cfg.logf("%d: profiled %d opens into %s", n, p.Runs, p.Path)
	}

	// FTS5 in process.
	if res.FTS.Err == "" {
		var f *ftsIndex
		res.FTS.Open, err = medianOf(3, func() error {
			if f != nil {
				f.Close()
			}
			f, err = ftsOpen(ftsPath)
			return err
		})
		if err != nil {
			res.FTS.Err = err.Error()
		} else {
			res.FTS.Search, res.FTS.ByKind = measure(ctx, qs, budget, func(q Query) (int, error) {
				return f.Search(ctx, q, true)
			})
			f.Close()
			cfg.logf("%d: fts5 p50 %s p99 %s over %d searches", n, res.FTS.Search.P50, res.FTS.Search.P99, res.FTS.Search.N)
		}
	}

	// qdex over HTTP.
	if cfg.QdexBinary != "" {
		dur := cfg.HTTPDuration
		if cfg.LargeSize > 0 && n >= cfg.LargeSize {
			dur = cfg.HTTPDurationLarge
		}
		if err := serveBench(ctx, cfg, res, ixDir, qs, dur); err != nil {
			res.HTTPErr = err.Error()
			cfg.logf("%d: http: %v", n, err)
		}
	}
	return res, ctx.Err()
}

const errNoFTS5Msg = "not built in: run with -tags fts5"

// measure runs each query once, in order, after a short warm-up, and stops early when
// the budget is spent.
func measure(ctx context.Context, qs []Query, budget time.Duration, search func(Query) (int, error)) (Stats, map[string]Stats) {
	for _, q := range qs[:min(len(qs), 50)] {
		search(q)
	}
	runtime.GC()
	var all []time.Duration
	kinds := map[string][]time.Duration{}
	zero, errs := map[string]int{}, map[string]int{}
	hits := map[string]int64{}
	var firstErr string
	deadline := time.Now().Add(budget)
	for _, q := range qs {
		if ctx.Err() != nil || (budget > 0 && time.Now().After(deadline)) {
			break
		}
		start := time.Now()
		n, err := search(q)
		d := time.Since(start)
		all = append(all, d)
		kinds[q.Kind] = append(kinds[q.Kind], d)
		switch {
		case err != nil:
			errs[q.Kind]++
			if firstErr == "" {
				firstErr = err.Error()
			}
		case n == 0:
			zero[q.Kind]++
		}
		hits[q.Kind] += int64(n)
	}
	total := summarize(all)
	byKind := map[string]Stats{}
	for k, ds := range kinds {
		s := summarize(ds)
		s.ZeroHits, s.Errors, s.totalHits = zero[k], errs[k], hits[k]
		s.MeanHits = float64(hits[k]) / float64(max(1, len(ds)))
		byKind[k] = s
		total.ZeroHits += zero[k]
		total.Errors += errs[k]
		total.totalHits += hits[k]
	}
	total.MeanHits = float64(total.totalHits) / float64(max(1, total.N))
	total.FirstError = firstErr
	return total, byKind
}

// cpuProfile CPU-profiles work into p.Path and summarises the profile.
func cpuProfile(p *Profile, work func() error) error {
	f, err := os.Create(p.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	start := time.Now()
	err = work()
	pprof.StopCPUProfile()
	p.Duration = time.Since(start)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	p.Top, err = PprofTop(p.Path)
	return err
}

func countFiles(dir, ext string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(p) == ext {
			n++
		}
		return nil
	})
	return n
}

func medianOf(n int, f func() error) (time.Duration, error) {
	var ds []time.Duration
	for range n {
		start := time.Now()
		if err := f(); err != nil {
			return 0, err
		}
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	return ds[len(ds)/2], nil
}

// diskUsage is the size of the files under path.
func diskUsage(path string) int64 {
	var n int64
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
