// Package reindex keeps the index a server is serving in step with its corpus: it
// rebuilds on demand or when files change, and swaps the new index in without failing
// a search. A file with errors fails alone: the rest of the corpus is served, and the
// file at its last good version (or not at all, if it never had one).
package reindex

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"qdex/corpus"
	"qdex/indexer"
	"qdex/metrics"
	"qdex/search"
)

// Config wires a Rebuilder.
type Config struct {
	Data   string         // corpus directory; "" when the server has none
	Index  string         // the live index path
	Holder *search.Holder // the index being served
	Logger *slog.Logger
	// Debounce is how long the corpus must be quiet before a watched change rebuilds
	// (default 300ms).
	Debounce time.Duration
	// Model embeds documents when building and queries when searching; nil for
	// lexical search only, and SemanticOff says why.
	Model       Model
	SemanticOff string
}

// Model is a sentence encoder for both sides (package embed).
type Model interface {
	indexer.Embedder
	search.QueryEmbedder
}

// Build is the outcome of one rebuild.
type Build struct {
	Trigger    string    `json:"trigger"` // start, watch or admin
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	// OK is true when the index serves the corpus as loaded: every good file, with
	// the files that have errors kept at their last good version or left out.
	OK      bool   `json:"ok"`
	Summary string `json:"summary"`
	// Errors are the corpus problems (path:line: message) or the build failure.
	Errors []string `json:"errors"`
	// Warnings are problems that left nothing out; Kept are the files served at
	// their last good version, LeftOut those not served, until they are fixed.
	Warnings []string `json:"warnings"`
	Kept     []string `json:"kept"`
	LeftOut  []string `json:"left_out"`
}

// Status is what GET /api/status reports.
type Status struct {
	Serving   *indexer.Manifest `json:"serving"`
	LastBuild *Build            `json:"last_build"`
	Building  bool              `json:"building"`
	Watching  bool              `json:"watching"`
	// Semantic is "on", or "off: " and the reason.
	Semantic string `json:"semantic"`
}

// Rebuilder rebuilds and swaps the served index. Rebuilds never overlap.
type Rebuilder struct {
	cfg Config
	log *slog.Logger

	buildMu sync.Mutex // held for the whole of a rebuild

	mu       sync.Mutex
	last     *Build
	building bool
	watching bool
	openErr  error // why the index could not be opened, until one is
}

// OpenError says why no index could be opened, or nil.
func (r *Rebuilder) OpenError() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.openErr
}

// New returns a Rebuilder.
func New(cfg Config) *Rebuilder {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Debounce <= 0 {
		cfg.Debounce = 300 * time.Millisecond
	}
	return &Rebuilder{cfg: cfg, log: cfg.Logger}
}

// ErrNoCorpus means the server was started without a corpus to rebuild from.
var ErrNoCorpus = errors.New("no corpus directory (--data) to rebuild from")

// Rebuild loads the corpus, updates the index incrementally and serves the result.
// Files with errors are served at their last good version or left out, and the
// errors recorded.
func (r *Rebuilder) Rebuild(ctx context.Context, trigger string) *Build {
	r.buildMu.Lock()
	defer r.buildMu.Unlock()
	b := &Build{Trigger: trigger, StartedAt: time.Now().UTC()}
	outcome := "failed" // or partial (corpus errors), ok
	r.setBuilding(true)
	defer func() {
		b.FinishedAt = time.Now().UTC()
		if b.OK && outcome != "partial" {
			outcome = "ok"
		} else if !b.OK {
			outcome = "failed"
		}
		metrics.ObserveBuild(outcome, b.FinishedAt.Sub(b.StartedAt))
		r.mu.Lock()
		r.last, r.building = b, false
		r.mu.Unlock()
	}()
	if r.cfg.Data == "" {
		b.Errors = []string{ErrNoCorpus.Error()}
		return b
	}
	c, err := corpus.LoadWith(r.cfg.Data, corpus.Options{LastGood: indexer.LastGood(r.cfg.Index)})
	if c == nil {
		b.Errors = []string{err.Error()}
		r.log.Error("rebuild failed", "error", err)
		return b
	}
	if es, ok := corpus.AsErrors(err); ok {
		for _, e := range es {
			b.Errors = append(b.Errors, e.Error())
			r.log.Error("corpus error", "error", e.Error())
		}
		outcome = "partial"
	} else if err != nil {
		b.Errors = []string{err.Error()}
		r.log.Error("rebuild failed", "error", err)
		return b
	}
	for _, w := range c.Warnings {
		b.Warnings = append(b.Warnings, w.Error())
	}
	b.Kept, b.LeftOut = c.Kept, c.LeftOut
	rep, err := indexer.Update(ctx, c, r.cfg.Index, false, r.cfg.IndexOptions())
	if err != nil {
		b.Errors = []string{err.Error()}
		r.log.Error("rebuild failed", "error", err)
		return b
	}
	b.Summary = rep.String()
	if len(b.Errors) > 0 {
		b.Summary += fmt.Sprintf("; %d corpus error(s): %d file(s) served at their last good version, %d left out", len(b.Errors), len(b.Kept), len(b.LeftOut))
	}
	if rep.Unchanged && r.cfg.Holder.Ready() {
		b.OK = true
		return b
	}
	if err := r.Reopen(); err != nil {
		b.Errors = append(b.Errors, err.Error())
		outcome = "failed"
		return b
	}
	b.OK = true
	r.log.Info("index rebuilt", "trigger", trigger, "summary", b.Summary)
	return b
}

// Reopen opens the index directory afresh and serves it (after a build, or on SIGHUP
// when a separate `qdex index` run has replaced it).
func (r *Rebuilder) Reopen() error {
	ix, err := search.Open(r.cfg.Index)
	if err != nil {
		r.log.Error("opening index", "index", r.cfg.Index, "error", err)
		r.mu.Lock()
		r.openErr = err
		r.mu.Unlock()
		return err
	}
	ix.SetEmbedder(r.cfg.Model)
	if on, why := ix.Semantic(); !on {
		r.log.Info("semantic search off: lexical only", "reason", why)
	}
	r.cfg.Holder.Swap(ix)
	m := ix.Manifest()
	metrics.SetDocuments(m.Questions, m.Articles)
	r.mu.Lock()
	r.openErr = nil
	r.mu.Unlock()
	r.log.Info("serving index", "dir", ix.Dir(), "questions", m.Questions, "articles", m.Articles, "built_at", m.BuiltAt)
	return nil
}

func (r *Rebuilder) setBuilding(b bool) {
	r.mu.Lock()
	r.building = b
	r.mu.Unlock()
}

// Status reports the serving index and the last build.
func (r *Rebuilder) Status() Status {
	r.mu.Lock()
	st := Status{LastBuild: r.last, Building: r.building, Watching: r.watching}
	r.mu.Unlock()
	st.Serving, st.Semantic = Serving(r.cfg.Holder)
	return st
}

// Serving describes the index the holder serves: its manifest, and "on" or "off: "
// and the reason for its semantic search.
func Serving(h *search.Holder) (*indexer.Manifest, string) {
	ix, release := h.Acquire()
	if ix == nil {
		return nil, "off: no index"
	}
	defer release()
	if on, why := ix.Semantic(); !on {
		return ix.Manifest(), "off: " + why
	}
	return ix.Manifest(), "on"
}

// IndexOptions are the build options of the configuration: its model, or why none.
func (c Config) IndexOptions() indexer.Options {
	o := indexer.Options{SemanticOff: c.SemanticOff}
	if c.Model != nil {
		o.Embedder = c.Model
	}
	return o
}

// Errors returns the errors of the last build: the corpus's, whose files are served
// at their last good version or not at all, or why the build failed.
func (r *Rebuilder) Errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		return nil
	}
	return r.last.Errors
}
