package search

import (
	"math"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// qdex scores some terms itself (phrases, pairs, direct evaluation) beside bleve's
// term searchers, and the scores must add up on one scale. These are bleve's
// formulas, written in its order of operations so that the results are equal to the
// last bit.

// bm25IDF is bleve's BM25 inverse document frequency.
func bm25IDF(docs, df int) float64 {
	return math.Log(1 + (float64(docs)-float64(df)+0.5)/(float64(df)+0.5))
}

// bm25AvgLength is what bleve's BM25 takes as a field's average length: its distinct
// terms per document, rounded up.
func bm25AvgLength(r index.IndexReader, field string, docs uint64) (float64, error) {
	br, ok := r.(index.BM25Reader)
	if !ok || docs == 0 {
		return 0, nil
	}
	n, err := br.FieldCardinality(field)
	if err != nil {
		return 0, err
	}
	return math.Ceil(float64(n) / float64(docs)), nil
}

// bm25 is bleve's BM25 score of a term in a document: the field weight (idf times the
// saturated term frequency) times the query weight, boost × idf in an unnormalised
// query (whose query norm is 1).
func bm25(freq uint64, norm, idf, avgLength, queryWeight float64) float64 {
	if avgLength == 0 || norm == 0 {
		return 0
	}
	tf := math.Sqrt(float64(freq))
	fieldLength := 1 / (norm * norm)
	k1, b := bsearch.BM25_k1, bsearch.BM25_b
	score := idf * (tf * k1) / (tf + k1*(1-b+(b*fieldLength/avgLength)))
	if queryWeight != 1 {
		score *= queryWeight
	}
	return score
}
