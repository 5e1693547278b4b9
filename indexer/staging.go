package indexer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"qdex/corpus"
)

// staging is a build directory beside the live index: Build and Update create one,
// fill its bleve index, then commit it (swap it in) or abort it (close and remove it).
// It exists so that the two share one lifecycle: after newStaging, `defer st.abort()`
// cleans up every error path, and the live index is untouched until commit's rename.
type staging struct {
	live      string      // the live index path, a symlink to a build directory
	dir       string      // this build directory, a fresh sibling of live
	idx       bleve.Index // open from create or copyFrom until commit or abort
	committed bool
}

// newStaging creates live's parent directory when missing and a fresh build directory
// beside live.
func newStaging(live string) (*staging, error) {
	live = filepath.Clean(live)
	parent, base := filepath.Dir(live), filepath.Base(live)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	dir, err := os.MkdirTemp(parent, base+".build-")
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	st := &staging{live: live, dir: dir}
	// MkdirTemp makes it 0700; a server running as another user reads it.
	if err := os.Chmod(dir, 0o755); err != nil {
		st.abort()
		return nil, fmt.Errorf("index: %w", err)
	}
	return st, nil
}

// create makes an empty index with qdex's mapping, for a full build. Its batches return
// once bleve has them in memory, not once they are on disk: commit waits for the
// persister once, at the end.
func (st *staging) create() error {
	im, err := NewMapping()
	if err != nil {
		return err
	}
	idx, err := bleve.NewUsing(BlevePath(st.dir), im, scorch.Name, scorch.Name, map[string]any{"unsafe_batch": true})
	if err != nil {
		return fmt.Errorf("index: creating %s: %w", st.dir, err)
	}
	st.idx = idx
	return nil
}

// copyFrom opens a copy of the bleve index of buildDir (the live build), for an
// incremental update.
func (st *staging) copyFrom(buildDir string) error {
	if err := copyTree(BlevePath(buildDir), BlevePath(st.dir)); err != nil {
		return fmt.Errorf("index: copying %s: %w", buildDir, err)
	}
	// The copy inherits the full build's unsafe_batch setting; one batch gains nothing
	// from it, so the update's batch waits until it is on disk.
	idx, err := bleve.OpenUsing(BlevePath(st.dir), map[string]any{"unsafe_batch": false})
	if err != nil {
		return fmt.Errorf("index: opening copy %s: %w", st.dir, err)
	}
	st.idx = idx
	return nil
}

// commit swaps the filled index in as the live one. The order matters: every segment on
// disk before the close (closing earlier drops those still in memory), the vocabulary
// read from the open index, the manifest written last because a build directory
// without one is incomplete, and only then the atomic rename. The manifest is made
// after the close so that BuildSeconds counts the whole build, start being when it
// began.
func (st *staging) commit(ctx context.Context, c *corpus.Corpus, start time.Time) (*Manifest, error) {
	if st.idx == nil {
		return nil, errors.New("index: commit of a staging index that is not open")
	}
	if err := waitPersisted(ctx, st.idx); err != nil {
		return nil, err
	}
	if err := writeVocabulary(st.idx, st.dir); err != nil {
		return nil, err
	}
	idx := st.idx
	st.idx = nil
	if err := idx.Close(); err != nil {
		return nil, fmt.Errorf("index: closing %s: %w", st.dir, err)
	}
	m := newManifest(c)
	m.BuildSeconds = time.Since(start).Seconds()
	if err := writeJSON(filepath.Join(st.dir, catalogFile), catalogOf(c)); err != nil {
		return nil, fmt.Errorf("index: writing catalog: %w", err)
	}
	if err := writeJSON(filepath.Join(st.dir, manifestFile), m); err != nil {
		return nil, fmt.Errorf("index: writing manifest: %w", err)
	}
	if err := swap(st.live, st.dir); err != nil {
		return nil, err
	}
	st.committed = true
	return m, nil
}

// abort closes the index and removes the build directory, unless commit swapped it in.
// It may be called more than once and after commit.
func (st *staging) abort() {
	if st.committed {
		return
	}
	if st.idx != nil {
		st.idx.Close()
		st.idx = nil
	}
	os.RemoveAll(st.dir)
}
