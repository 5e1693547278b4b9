package insights

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Recorder takes events on the request path without ever waiting: they go into a
// bounded queue that one goroutine writes to the store in batches. A full queue, a
// slow disk or a broken database drops events (counted), never a search.
type Recorder struct {
	store     *Store // nil: every event is dropped
	log       *slog.Logger
	retention time.Duration

	queue   chan any
	dropped atomic.Int64
	written atomic.Int64
	lastErr atomic.Value // string
	done    chan struct{}
	mu      sync.RWMutex // held to send on queue, and to close it
	closed  bool
}

// Options tune a Recorder.
type Options struct {
	// Retention is how long events are kept (default 90 days).
	Retention time.Duration
	// Queue is how many events may wait to be written (default 8192).
	Queue int
	// Flush is how often queued events are written (default 1 s).
	Flush time.Duration
	// OnDrop is called with the number of events dropped, for metrics.
	OnDrop func(n int)
}

// DefaultRetention is how long events are kept unless told otherwise.
const DefaultRetention = 90 * 24 * time.Hour

// NewRecorder starts the writer. store may be nil (the database could not be
// opened): events are then counted as dropped.
func NewRecorder(ctx context.Context, store *Store, log *slog.Logger, opts Options) *Recorder {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opts.Retention <= 0 {
		opts.Retention = DefaultRetention
	}
	if opts.Queue <= 0 {
		opts.Queue = 8192
	}
	if opts.Flush <= 0 {
		opts.Flush = time.Second
	}
	r := &Recorder{store: store, log: log, retention: opts.Retention, queue: make(chan any, opts.Queue), done: make(chan struct{})}
	go r.run(ctx, opts)
	return r
}

// Search records a search.
func (r *Recorder) Search(e Search) { r.enqueue(e) }

// Click records a click.
func (r *Recorder) Click(e Click) { r.enqueue(e) }

func (r *Recorder) enqueue(e any) {
	if r == nil {
		return
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		r.dropped.Add(1)
		return
	}
	select {
	case r.queue <- e:
	default:
		r.dropped.Add(1)
	}
}

// Dropped is the number of events lost since start (queue full or store failing).
func (r *Recorder) Dropped() int64 { return r.dropped.Load() }

// Written is the number of events stored since start.
func (r *Recorder) Written() int64 { return r.written.Load() }

// Retention is how long events are kept.
func (r *Recorder) Retention() time.Duration { return r.retention }

// Store is the database written to, or nil.
func (r *Recorder) Store() *Store { return r.store }

// Close writes what is queued and stops the writer.
func (r *Recorder) Close() {
	r.mu.Lock()
	if !r.closed {
		r.closed = true
		close(r.queue)
	}
	r.mu.Unlock()
	<-r.done
}

func (r *Recorder) run(ctx context.Context, opts Options) {
	defer close(r.done)
	tick := time.NewTicker(opts.Flush)
	defer tick.Stop()
	prune := time.NewTicker(time.Hour)
	defer prune.Stop()
	r.prune()
	var b batch
	flush := func() {
		n := len(b.searches) + len(b.clicks)
		if n == 0 {
			return
		}
		var err error
		if r.store == nil {
			err = errNoStore
		} else {
			err = r.store.write(b)
		}
		if err != nil {
			r.dropped.Add(int64(n))
			if opts.OnDrop != nil {
				opts.OnDrop(n)
			}
			if prev, _ := r.lastErr.Load().(string); prev != err.Error() {
				r.log.Error("insights: events dropped", "events", n, "error", err)
				r.lastErr.Store(err.Error())
			}
		} else {
			r.written.Add(int64(n))
			r.lastErr.Store("")
		}
		b = batch{}
	}
	add := func(e any) {
		switch e := e.(type) {
		case Search:
			b.searches = append(b.searches, e)
		case Click:
			b.clicks = append(b.clicks, e)
		}
	}
	for {
		select {
		case e, ok := <-r.queue:
			if !ok {
				flush()
				return
			}
			add(e)
			if len(b.searches)+len(b.clicks) >= 1024 {
				flush()
			}
		case <-tick.C:
			flush()
		case <-prune.C:
			r.prune()
		case <-ctx.Done():
			// Drain what is queued, then stop.
			for {
				select {
				case e, ok := <-r.queue:
					if !ok {
						flush()
						return
					}
					add(e)
				default:
					flush()
					return
				}
			}
		}
	}
}

type noStoreError struct{}

func (noStoreError) Error() string { return "no insights database" }

var errNoStore error = noStoreError{}

// prune enforces the retention.
func (r *Recorder) prune() {
	if r.store == nil {
		return
	}
	n, err := r.store.Prune(time.Now().Add(-r.retention))
	if err != nil {
		r.log.Error("insights: pruning", "error", err)
	} else if n > 0 {
		r.log.Info("insights: events past the retention deleted", "events", n, "retention", r.retention)
	}
}
