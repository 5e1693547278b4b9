package indexer

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"qdex/corpus"
)

// sourcesDir, in a build directory, holds the bytes of every corpus file the build
// read, gzipped and named by their SHA-256 digest: when a file is broken later, the
// next build reads the version this one indexed instead (corpus.Options.LastGood),
// so that one writer's mistake does not take their page out of the index.
const sourcesDir = "sources"

// writeSources stores the corpus's files in buildDir: a hard link to the previous
// build's copy when it has the same digest (a kept file's only copy is there), or the
// file read again from the corpus directory, kept only if its digest has not
// changed since it was loaded.
func writeSources(buildDir, prevDir string, c *corpus.Corpus) error {
	dir := filepath.Join(buildDir, sourcesDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("index: %w", err)
	}
	for p, digest := range c.Files {
		dst := filepath.Join(dir, digest)
		if _, err := os.Lstat(dst); err == nil {
			continue // two files with the same bytes
		}
		if prevDir != "" {
			src := filepath.Join(prevDir, sourcesDir, digest)
			if err := os.Link(src, dst); err == nil {
				continue
			}
			if data, err := readSource(src); err == nil && digestOf(data) == digest {
				if err := writeSource(dst, data); err != nil {
					return fmt.Errorf("index: %w", err)
				}
				continue
			}
		}
		if c.Root == "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(c.Root, filepath.FromSlash(p)))
		if err != nil || digestOf(data) != digest {
			continue // changed or gone since it was read: the next build reads it again
		}
		if err := writeSource(dst, data); err != nil {
			return fmt.Errorf("index: %w", err)
		}
	}
	return nil
}

// writeSource stores a file's bytes gzipped: Markdown shrinks to a quarter, and a
// build copies the whole corpus.
func writeSource(path string, data []byte) error {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func readSource(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(zr, corpus.MaxFileBytes+1))
}

// LastGood returns what corpus.Options.LastGood wants for the live index at dir: the
// bytes of a file at the version that index was built from, if it kept them. It is
// nil when there is no index. An index of another schema version serves too: the
// bytes are the corpus's, whatever the index made of them.
func LastGood(dir string) func(path string) ([]byte, bool) {
	live, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil
	}
	m, err := readManifest(live)
	if err != nil {
		return nil
	}
	return func(p string) ([]byte, bool) {
		digest, ok := m.Files[p]
		if !ok {
			return nil, false
		}
		data, err := readSource(filepath.Join(live, sourcesDir, digest))
		if err != nil || digestOf(data) != digest {
			return nil, false
		}
		return data, true
	}
}

func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
