package indexer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"

	"qdex/corpus"
)

// staging is a build directory beside the live index: created, filled, then either
// committed (swapped in by an atomic rename) or aborted (removed). Build and Update
// share it, so a failed build of either kind leaves no directory and no open index
// behind, and the live index untouched.
type staging struct {
	dir      string      // the live index path
	buildDir string      // the new build, beside it
	idx      bleve.Index // the bleve index being filled, once created or copied
	done     bool        // committed or aborted
}

// newStaging creates an empty build directory beside dir (and dir's parent, if
// missing).
func newStaging(dir string) (*staging, error) {
	dir = filepath.Clean(dir)
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	buildDir, err := os.MkdirTemp(parent, base+".build-")
	if err != nil {
		return nil, fmt.Errorf("index: %w", err)
	}
	s := &staging{dir: dir, buildDir: buildDir}
	if err := os.Chmod(buildDir, 0o755); err != nil {
		s.abort()
		return nil, fmt.Errorf("index: %w", err)
	}
	return s, nil
}

// abort closes the index being filled and removes the build directory, unless the
// build was committed; it may be deferred right after newStaging.
func (s *staging) abort() {
	if s.done {
		return
	}
	s.done = true
	if s.idx != nil {
		s.idx.Close()
	}
	os.RemoveAll(s.buildDir)
}

// commit waits until the index is on disk, writes what the search reads beside it
// (vocabulary, vectors, the corpus files read, catalog, manifest: the manifest last,
// so that a build directory without one is incomplete), and swaps the build in.
func (s *staging) commit(ctx context.Context, c *corpus.Corpus, m *Manifest, vecs *Vectors) error {
	if s.done {
		return errors.New("index: build already committed or aborted")
	}
	if err := waitPersisted(ctx, s.idx); err != nil {
		return err
	}
	if err := writeVocabulary(s.idx, s.buildDir); err != nil {
		return err
	}
	idx := s.idx
	s.idx = nil
	if err := idx.Close(); err != nil {
		return fmt.Errorf("index: closing: %w", err)
	}
	if vecs != nil {
		if err := writeVectors(s.buildDir, vecs); err != nil {
			return fmt.Errorf("index: writing vectors: %w", err)
		}
	}
	prev := ""
	if live, _, err := Resolve(s.dir); err == nil {
		prev = live
	}
	if err := writeSources(s.buildDir, prev, c); err != nil {
		return err
	}
	if err := writeJSON(filepath.Join(s.buildDir, catalogFile), catalogOf(c)); err != nil {
		return fmt.Errorf("index: writing catalog: %w", err)
	}
	if err := writeJSON(filepath.Join(s.buildDir, manifestFile), m); err != nil {
		return fmt.Errorf("index: writing manifest: %w", err)
	}
	// A build cancelled by now (SIGTERM while the files above were written) is not
	// swapped in.
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := swap(s.dir, s.buildDir); err != nil {
		return err
	}
	s.done = true
	return nil
}
