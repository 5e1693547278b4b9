package indexer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"qdex/corpus"
)

// Files inside a build directory.
const (
	manifestFile = "manifest.json"
	catalogFile  = "catalog.json"
	bleveDir     = "bleve"
)

// Manifest describes a built index. It is written last, so a build directory without
// one is incomplete.
type Manifest struct {
	SchemaVersion int       `json:"schema_version"`
	BuiltAt       time.Time `json:"built_at"`
	CorpusDigest  string    `json:"corpus_digest"`
	Questions     int       `json:"questions"`
	Articles      int       `json:"articles"`
	Frameworks    int       `json:"frameworks"`
	Subtopics     int       `json:"subtopics"`
	// Files maps each corpus file to its SHA-256 digest, for incremental rebuilds.
	Files map[string]string `json:"files"`
	// BuildSeconds is how long the build took.
	BuildSeconds float64 `json:"build_seconds"`
	// Semantic describes the passage vectors, or says why there are none.
	Semantic *SemanticInfo `json:"semantic,omitempty"`
}

// Documents is the number of documents in the index.
func (m *Manifest) Documents() int { return m.Questions + m.Articles }

// ErrSchemaMismatch means the index was built by another schema version and must be
// rebuilt.
var ErrSchemaMismatch = errors.New("index schema version differs")

// ErrNoIndex means the directory holds no complete index.
var ErrNoIndex = errors.New("no index")

// Resolve follows the live index path (a symlink to a build directory) and checks that
// the build is complete and of this schema version. It returns the build directory and
// its manifest.
func Resolve(dir string) (string, *Manifest, error) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "", nil, fmt.Errorf("%s: %w", dir, ErrNoIndex)
		}
		return "", nil, fmt.Errorf("index %s: %w", dir, err)
	}
	m, err := readManifest(real)
	if err != nil {
		return "", nil, err
	}
	if m.SchemaVersion != SchemaVersion {
		return "", nil, fmt.Errorf("index %s has schema version %d, this qdex reads %d: %w", dir, m.SchemaVersion, SchemaVersion, ErrSchemaMismatch)
	}
	return real, m, nil
}

func readManifest(buildDir string) (*Manifest, error) {
	p := filepath.Join(buildDir, manifestFile)
	data, err := os.ReadFile(p)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s: %w (no manifest)", buildDir, ErrNoIndex)
		}
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return &m, nil
}

// BlevePath is where a build directory keeps its bleve index.
func BlevePath(buildDir string) string { return filepath.Join(buildDir, bleveDir) }

// ReadCatalog reads the corpus structure saved with a build: everything but the
// answers' and articles' Markdown, which live in the index.
func ReadCatalog(buildDir string) (*corpus.Corpus, error) {
	p := filepath.Join(buildDir, catalogFile)
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	var c corpus.Corpus
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	c.Index()
	return &c, nil
}

// catalogOf copies the corpus without Markdown bodies.
func catalogOf(c *corpus.Corpus) *corpus.Corpus {
	cat := *c
	cat.Files = nil
	cat.Subtopics = make([]*corpus.Subtopic, len(c.Subtopics))
	for i, s := range c.Subtopics {
		sc := *s
		sc.Questions = make([]*corpus.Question, len(s.Questions))
		for j, q := range s.Questions {
			qc := *q
			qc.A = ""
			sc.Questions[j] = &qc
		}
		cat.Subtopics[i] = &sc
	}
	cat.Articles = make([]*corpus.Article, len(c.Articles))
	for i, a := range c.Articles {
		ac := *a
		ac.Body = ""
		cat.Articles[i] = &ac
	}
	cat.Index()
	return &cat
}

func writeJSON(p string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
