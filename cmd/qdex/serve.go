package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"qdex/insights"
	"qdex/metrics"
	"runtime/debug"
	"strings"
	"syscall"

	"qdex/embed"
	"qdex/reindex"
	"qdex/search"
	"qdex/web"
)

// serveGCPercent is the GOGC of qdex serve when a memory limit bounds the heap.
const serveGCPercent = 400

// cmdServe serves the web pages and the JSON API from an index directory. A missing or
// broken index does not stop it: it starts, reports not ready at /readyz and answers
// 503 until an index can be opened.
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", "--index DIR --addr HOST:PORT [--data DIR [--watch]] [--dev] [--log-format text|json]", stderr)
	index := fs.String("index", "var/index", "index directory")
	data := fs.String("data", "", "corpus directory to rebuild from (on start when the index is missing or broken, on POST /api/admin/reindex, and with --watch)")
	watch := fs.Bool("watch", false, "rebuild when corpus files change (needs --data)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dev := fs.Bool("dev", false, "read templates and static files from --web on every request")
	webDir := fs.String("web", "web", "the web/ directory of the source tree, for --dev")
	logFormat := fs.String("log-format", "text", "log format: text or json")
	maxSearches := fs.Int("max-searches", 0, "searches running at once; others wait (default 2 × CPUs)")
	memLimit := fs.Int64("memory-limit-mb", 256, "soft memory limit for the Go runtime, in MiB (0: none; GOMEMLIMIT wins when set)")
	model := modelFlag(fs)
	var corsOrigins, proxies repeated
	fs.Var(&corsOrigins, "cors-origin", "an origin (https://site.example) whose pages may call the search and questions API from a browser; repeat for several (default: none)")
	rateLimit := fs.Float64("rate-limit", web.DefaultRateLimit, "requests per second one client may make to the public pages and API, twice that at once (0: no limit)")
	insightsPath := fs.String("insights", "", `events database for the search insights (default: insights.db beside the index; "off" records nothing)`)
	retention := fs.String("insights-retention", "90d", "how long search and click events are kept (days: 90d, or hours: 720h)")
	fs.Var(&proxies, "trusted-proxy", "a proxy address or CIDR range whose X-Forwarded-For names the client, for the rate limit; repeat for several")
	if err := parse(fs, args); err != nil {
		return err
	}
	trusted, err := web.ParseTrustedProxies(proxies)
	if err != nil {
		fmt.Fprintf(stderr, "qdex serve: %v\n", err)
		return errUsage
	}
	for _, o := range corsOrigins {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			fmt.Fprintf(stderr, "qdex serve: --cors-origin %q: want scheme://host[:port], as a browser sends it\n", o)
			return errUsage
		}
	}
	if *rateLimit < 0 {
		fmt.Fprintf(stderr, "qdex serve: --rate-limit must be 0 or more\n")
		return errUsage
	}
	var h slog.Handler
	switch *logFormat {
	case "text":
		h = slog.NewTextHandler(stderr, nil)
	case "json":
		h = slog.NewJSONHandler(stderr, nil)
	default:
		fmt.Fprintf(stderr, "qdex serve: --log-format must be text or json\n")
		return errUsage
	}
	log := slog.New(h)

	if *memLimit > 0 && os.Getenv("GOMEMLIMIT") == "" {
		// The index's pages are memory-mapped and shared; this bounds the Go heap,
		// which otherwise grows with concurrent searches until the next collection.
		debug.SetMemoryLimit(*memLimit << 20)
		if os.Getenv("GOGC") == "" {
			// Under that limit the heap may grow to five times what is live before a
			// collection, not twice: searches allocate a lot that dies at once, and
			// collecting less often left more of the two cores to them (HTTP at 8
			// clients on 10k questions: 335 → 460 searches/s in one A/B run).
			debug.SetGCPercent(serveGCPercent)
		}
	}
	if *watch && *data == "" {
		fmt.Fprintf(stderr, "qdex serve: --watch needs --data\n")
		return errUsage
	}

	// One thread per query: searches run side by side, one per core.
	m, off, err := openModel(*model, embed.Options{})
	if err != nil {
		return err
	}
	rcfg := reindex.Config{Data: *data, Index: *index, Holder: search.NewHolder(nil), Logger: log, SemanticOff: off}
	if m != nil {
		defer m.Close()
		rcfg.Model = m
		log.Info("semantic model loaded", "model", m.ID())
	} else {
		log.Info("semantic search off: lexical only", "reason", off)
	}
	holder := rcfg.Holder
	defer holder.Close()
	rb := reindex.New(rcfg)
	if err := rb.Reopen(); err != nil {
		log.Error("index not available: serving without it", "index", *index, "err", err)
		if *data != "" {
			// Never refuse to start: build from the corpus while /readyz says not ready.
			go rb.Rebuild(ctx, "start")
		}
	}
	if *watch {
		go func() {
			rb.Rebuild(ctx, "start") // catch up with edits made while the server was down
			if err := rb.Watch(ctx); err != nil {
				log.Error("watching corpus", "err", err)
			}
		}()
	}
	// SIGHUP reopens the index directory, for an index built by a separate run.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				log.Info("SIGHUP: reopening the index", "index", *index)
				rb.Reopen()
			}
		}
	}()

	var rec *insights.Recorder
	if *insightsPath != "off" {
		keep, err := insights.ParseAge(*retention)
		if err != nil {
			fmt.Fprintf(stderr, "qdex serve: --insights-retention %v\n", err)
			return errUsage
		}
		path := *insightsPath
		if path == "" {
			path = filepath.Join(filepath.Dir(filepath.Clean(*index)), "insights.db")
		}
		store, err := insights.OpenStore(path, log)
		if err != nil {
			// Search goes on without insights: the events are counted as dropped.
			log.Error("insights off: the events database cannot be opened", "path", path, "error", err)
			store = nil
		}
		rec = insights.NewRecorder(ctx, store, log, insights.Options{Retention: keep, OnDrop: metrics.ObserveEventsDropped})
		defer rec.Close()
	}
	cfg := web.Config{Holder: holder, Insights: rec, Logger: log, Dev: *dev, DevDir: *webDir, AdminToken: os.Getenv("QDEX_ADMIN_TOKEN"), MaxSearches: *maxSearches,
		CORSOrigins: corsOrigins, RateLimit: *rateLimit, TrustedProxies: trusted}
	if *data != "" {
		cfg.Rebuilder = rb
	}
	srv, err := web.New(cfg)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	log.Info("serving", "addr", "http://"+ln.Addr().String(), "pid", os.Getpid())
	return srv.Serve(ctx, ln)
}

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, strings.TrimRight(v, "/")); return nil }
