// Package indexer turns a corpus into a bleve index: the analyzers, the static mapping,
// the documents, and a build that never leaves a broken index in place.
package indexer

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"golang.org/x/sync/errgroup"

	"qdex/corpus"
)

// Options tune a build.
type Options struct {
	// Progress receives a progress line every second once a build runs longer than a
	// second; nil for silence.
	Progress io.Writer
	// BatchSize is the number of documents per bleve batch (default 1000).
	BatchSize int
	// Embedder embeds the documents for semantic search; nil builds no vectors, and
	// SemanticOff says why (recorded in the manifest).
	Embedder    Embedder
	SemanticOff string
}

// Build indexes the corpus into a new build directory beside dir, then makes dir point
// at it with an atomic rename. Until that rename the previous index at dir, if any, is
// untouched and keeps serving; a failed build removes its directory. The vectors of
// passages the previous index embedded with the same model are reused.
func Build(ctx context.Context, c *corpus.Corpus, dir string, opts Options) (*Manifest, error) {
	start := time.Now()
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	st, err := newStaging(dir)
	if err != nil {
		return nil, err
	}
	defer st.abort()
	if err := fill(ctx, c, st, opts); err != nil {
		return nil, err
	}
	m := newManifest(c)
	var prev *Vectors
	if live, _, err := Resolve(dir); err == nil {
		prev, _ = ReadVectors(live) // unreadable vectors are embedded again
	}
	vecs, err := embedDocuments(ctx, allPassages(c), prev, opts, m)
	if err != nil {
		return nil, err
	}
	m.BuildSeconds = time.Since(start).Seconds()
	// A build cancelled by now is not swapped in (commit only checks while waiting
	// for the disk).
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := st.commit(ctx, c, m, vecs); err != nil {
		return nil, err
	}
	return m, nil
}

// fill creates the staging build's bleve index and indexes every document of the
// corpus into it.
func fill(ctx context.Context, c *corpus.Corpus, st *staging, opts Options) error {
	im, err := NewMapping()
	if err != nil {
		return err
	}
	// Batches return once bleve has them in memory, not once they are on disk: the
	// build waits for the persister once, at the end (waitPersisted).
	idx, err := bleve.NewUsing(BlevePath(st.buildDir), im, scorch.Name, scorch.Name, map[string]any{"unsafe_batch": true})
	if err != nil {
		return fmt.Errorf("index: creating %s: %w", st.buildDir, err)
	}
	st.idx = idx

	total := c.QuestionCount("") + len(c.Articles)
	var done atomic.Int64
	stop := reportProgress(opts.Progress, total, &done)
	defer stop()

	// Every document, as a function that builds it: the workers run them, so the
	// Markdown extraction is spread over the cores too.
	var docs []func() (string, *document)
	for _, s := range c.Subtopics {
		for i := range s.Questions {
			docs = append(docs, func() (string, *document) { return questionDocument(s, i) })
		}
	}
	for _, a := range c.Articles {
		docs = append(docs, func() (string, *document) { return articleDocument(c, a) })
	}
	// Batches go to bleve from one goroutine per core: turning a batch into a segment
	// runs on the calling goroutine, so one caller leaves the other cores idle.
	chunks := make(chan []func() (string, *document))
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(chunks)
		for from := 0; from < len(docs); from += opts.BatchSize {
			select {
			case chunks <- docs[from:min(len(docs), from+opts.BatchSize)]:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	for range runtime.GOMAXPROCS(0) {
		g.Go(func() error {
			for chunk := range chunks {
				batch := idx.NewBatch()
				for _, build := range chunk {
					if err := gctx.Err(); err != nil {
						return err
					}
					id, doc := build()
					if err := batch.Index(id, doc); err != nil {
						return fmt.Errorf("index: %s: %w", id, err)
					}
				}
				if err := gctx.Err(); err != nil {
					return err
				}
				if err := idx.Batch(batch); err != nil {
					return fmt.Errorf("index: writing batch: %w", err)
				}
				done.Add(int64(len(chunk)))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	// An empty batch last: scorch counts the memory segments at its root (what
	// waitPersisted reads) before it adds the one a batch brings, so without it the
	// last batch's segment is not counted and a one-batch build closed unpersisted.
	batch := idx.NewBatch()
	if err := idx.Batch(batch); err != nil {
		return fmt.Errorf("index: writing batch: %w", err)
	}
	return nil
}

func newManifest(c *corpus.Corpus) *Manifest {
	return &Manifest{
		SchemaVersion: SchemaVersion,
		BuiltAt:       time.Now().UTC(),
		CorpusDigest:  c.Digest(),
		Questions:     c.QuestionCount(""),
		Articles:      len(c.Articles),
		Frameworks:    len(c.Frameworks),
		Subtopics:     len(c.Subtopics),
		Files:         c.Files,
	}
}

// waitPersisted returns once every segment of the index is on disk: closing the index
// earlier would drop the segments still in memory.
func waitPersisted(ctx context.Context, idx bleve.Index) error {
	for {
		m := idx.StatsMap()["index"]
		stats, _ := m.(map[string]any)
		n, ok := stats["num_root_memorysegments"].(uint64)
		if !ok {
			return fmt.Errorf("index: persistence unknown: stats %T", m)
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func reportProgress(w io.Writer, total int, done *atomic.Int64) (stop func()) {
	if w == nil {
		return func() {}
	}
	t := time.NewTicker(time.Second)
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case <-t.C:
				fmt.Fprintf(w, "indexed %d/%d documents\n", done.Load(), total)
			case <-quit:
				return
			}
		}
	}()
	return func() {
		t.Stop()
		close(quit)
		<-finished
	}
}

// swap points dir at buildDir: a symlink is created beside dir and renamed over it,
// which is atomic. An older index that is a plain directory is moved aside first, and
// moved back if the swap fails. Build directories older than the previous one are
// removed.
func swap(dir, buildDir string) (err error) {
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	previous, _ := os.Readlink(dir)
	if st, lerr := os.Lstat(dir); lerr == nil && st.Mode()&os.ModeSymlink == 0 {
		aside := filepath.Join(parent, base+".old-"+time.Now().UTC().Format("20060102T150405.000000000"))
		if err := os.Rename(dir, aside); err != nil {
			return fmt.Errorf("index: moving old index aside: %w", err)
		}
		defer func() {
			if err == nil {
				os.RemoveAll(aside)
			} else if rerr := os.Rename(aside, dir); rerr != nil {
				err = fmt.Errorf("%w; the old index stays at %s: %w", err, aside, rerr)
			}
		}()
	}
	link := filepath.Join(parent, base+".link-tmp")
	os.Remove(link)
	if err := os.Symlink(filepath.Base(buildDir), link); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	if err := os.Rename(link, dir); err != nil {
		os.Remove(link)
		return fmt.Errorf("index: swapping in %s: %w", buildDir, err)
	}
	// Keep the new build and the one it replaced (a server may still be reading it).
	keep := map[string]bool{filepath.Base(buildDir): true, filepath.Base(previous): true}
	old, _ := filepath.Glob(filepath.Join(parent, base+".build-*"))
	for _, o := range old {
		if !keep[filepath.Base(o)] {
			os.RemoveAll(o)
		}
	}
	return nil
}
