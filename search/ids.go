package search

import (
	"context"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"qdex/indexer"
)

// TopIDs returns the IDs of the first n hits for q as Search ranks them, without
// counting facets or looking for a suggestion: the ranking `qdex eval` measures.
func (ix *Index) TopIDs(ctx context.Context, q string, n int) ([]string, error) {
	return ix.TopIDsAt(nil)(ctx, q, n)
}

// TopIDsAt is TopIDs with the semantic ratio given (nil for the default).
func (ix *Index) TopIDsAt(ratio *float64) func(ctx context.Context, q string, n int) ([]string, error) {
	return func(ctx context.Context, q string, n int) ([]string, error) {
		res, err := ix.Search(ctx, Request{Query: q, Size: n, NoFacets: true, noSuggest: true, SemanticRatio: ratio})
		if err != nil {
			return nil, err
		}
		return ids(res), nil
	}
}

// BaselineIDs returns the IDs of the first n hits of bleve's default match query
// over every text field, with no boosts, typos, prefixes, stems of its own or
// synonyms beyond the mapping's: the plain BM25 ranking that `qdex eval` compares
// TopIDs with.
func (ix *Index) BaselineIDs(ctx context.Context, q string, n int) ([]string, error) {
	var alts []query.Query
	for _, f := range []string{indexer.FieldQuestion, indexer.FieldAnswerExact, indexer.FieldCode, indexer.FieldContext} {
		m := query.NewMatchQuery(q)
		m.SetField(f)
		alts = append(alts, m)
	}
	req := bleve.NewSearchRequestOptions(query.NewDisjunctionQuery(alts), n, 0, false)
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out, nil
}
