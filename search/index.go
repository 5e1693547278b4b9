// Package search answers queries over a qdex index.
//
// A query flows in one direction, through values of the package's own:
//
//   - Parse reads what a person typed into a Query (words, phrases, filters,
//     exclusions); it never fails.
//   - plan (plan.go) derives each word once: its terms in each field, its forms,
//     completions, typo candidates and synonyms (multi-word ones as phrases and
//     spans), each at its weight, as units of alternatives; and the adjacent pairs.
//   - A request (request.go) holds the plan and one index snapshot for every pass:
//     request.direct is the one place that chooses between the direct evaluation
//     (direct.go: postings as bitmaps, BM25 to the last bit) and bleve's searchers
//     (compile.go turns the plan into bleve queries); rerank reorders the best hits
//     by the pairs; relax adds documents with some of the words when few have all.
//   - The page's hits are located and highlighted (locate.go, highlight.go) from the
//     plan's terms, and answer pages mark matches with a Matcher built from the same
//     terms, so a page marks what its hit highlighted.
//
// A new derivation of a word (another kind of expansion) is a new alternative in
// plan.go's units: the evaluators, the highlights and the Matcher read it from there.
// A new kind of retrieval is another pass of a request whose matches are merged into
// the ranked hits before finish. Everything read from bleve below its public API
// (scorch snapshots, zap postings) is in scorch.go.
package search

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"qdex/corpus"
	"qdex/indexer"
)

// Index is an open, read-only qdex index. It is safe for concurrent use.
type Index struct {
	bleve    bleve.Index
	manifest *indexer.Manifest
	catalog  *corpus.Corpus
	dir      string // the build directory actually open

	text, exact, code analysis.Analyzer
	// topicLabels names the topic facet's values: a topic slug shared by several
	// frameworks under different names ("Concurrency", "Concurrency & Parallelism")
	// is labelled from its slug.
	topicLabels map[string]string
	// synonyms give each term of data/synonyms.yml the terms of every group it is
	// in, itself included, lower-cased. The query plan expands them itself: bleve's
	// own expansion cannot see inside a sumQuery, nor match a multi-word term as a
	// phrase.
	synonyms *synonyms

	vocab *vocabulary

	facetTable *facetTable

	sem *semanticSide

	// bleveOnly sends every query through bleve's searchers (tests compare the two).
	bleveOnly bool
	// freshReads makes the highlights and rerank look every term up and read it
	// again, rather than reuse what the search read (tests compare the two).
	freshReads bool
}

// Open opens the index at dir (the live path that `qdex index` maintains) for reading.
func Open(dir string) (*Index, error) {
	buildDir, m, err := indexer.Resolve(dir)
	if err != nil {
		return nil, err
	}
	cat, err := indexer.ReadCatalog(buildDir)
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", dir, err)
	}
	b, err := bleve.OpenUsing(indexer.BlevePath(buildDir), map[string]any{"read_only": true})
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", dir, err)
	}
	ix := &Index{bleve: b, manifest: m, catalog: cat, dir: buildDir}
	if err := ix.load(buildDir); err != nil {
		b.Close()
		return nil, fmt.Errorf("index %s: %w", dir, err)
	}
	return ix, nil
}

// load reads what searches need besides the bleve index: analyzers, the facet table,
// synonyms, the vocabulary and the vectors, from one reader of the index.
func (ix *Index) load(buildDir string) error {
	im := ix.bleve.Mapping()
	ix.text = im.AnalyzerNamed(indexer.TextAnalyzer)
	ix.exact = im.AnalyzerNamed(indexer.ExactAnalyzer)
	ix.code = im.AnalyzerNamed(indexer.CodeAnalyzer)
	if ix.text == nil || ix.exact == nil || ix.code == nil {
		return errors.New("analyzers missing from the mapping")
	}
	rd, err := ix.reader()
	if err != nil {
		return err
	}
	defer rd.Close()
	if err := adviseSegments(rd); err != nil {
		return err
	}
	if ix.facetTable, err = buildFacetTable(context.Background(), rd); err != nil {
		return err
	}
	ix.topicLabels = topicLabels(ix.catalog)
	ix.synonyms = newSynonyms(ix.catalog.Synonyms)
	words, err := indexer.ReadVocabulary(buildDir)
	if err != nil {
		return err
	}
	docs, err := rd.DocCount()
	if err != nil {
		return err
	}
	ix.vocab = newVocabulary(words, int(docs))
	ix.sem, err = openSemantic(buildDir, rd)
	return err
}

// Close releases the index.
func (ix *Index) Close() error { return ix.bleve.Close() }

// Manifest describes the open index.
func (ix *Index) Manifest() *indexer.Manifest { return ix.manifest }

// Catalog is the corpus structure of the open index (no answer bodies).
func (ix *Index) Catalog() *corpus.Corpus { return ix.catalog }

// Dir is the build directory that is open.
func (ix *Index) Dir() string { return ix.dir }

// PageMarkdown returns the Markdown of every document shown on a page
// (framework/topic/subtopic, or blog/<slug>), keyed by document ID.
func (ix *Index) PageMarkdown(ctx context.Context, page string) (map[string]string, error) {
	q := query.NewTermQuery(page)
	q.SetField(indexer.FieldPage)
	req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
	req.Fields = []string{indexer.FieldMarkdown}
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("page %s: %w", page, err)
	}
	out := make(map[string]string, len(res.Hits))
	for _, h := range res.Hits {
		md, _ := h.Fields[indexer.FieldMarkdown].(string)
		out[h.ID] = md
	}
	return out, nil
}

func topicLabels(c *corpus.Corpus) map[string]string {
	names := map[string]map[string]bool{}
	for _, t := range c.Topics {
		if names[t.Slug] == nil {
			names[t.Slug] = map[string]bool{}
		}
		names[t.Slug][t.Name] = true
	}
	labels := make(map[string]string, len(names))
	for slug, ns := range names {
		if len(ns) == 1 {
			for n := range ns {
				labels[slug] = n
			}
			continue
		}
		words := strings.Split(slug, "-")
		for i, w := range words {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
		labels[slug] = strings.Join(words, " ")
	}
	return labels
}

// adviseSegments passes adviseRandom the index's segments.
func adviseSegments(r index.IndexReader) error {
	return adviseRandom(zapSegments(r))
}
