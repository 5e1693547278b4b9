package search

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Adjacent query words score more where they are adjacent in the text. As optional
// phrase clauses of the search, the pairs cost a quarter of its time: bleve reads
// the positions of both words in every document that has them, to score documents
// that mostly rank far below the first page. Instead the search ranks without them,
// and rerank adds their weight to the best rerankDepth hits only, reading the two
// words' positions in those documents.

// rerankDepth is how many of the best hits the pairs may reorder.
const rerankDepth = 50

// pairClause is two or more words to find next to each other in a field: at each
// position any of the slot's terms, weighed by its scale (1 when scales is nil).
type pairClause struct {
	field  string
	slots  [][]string
	scales [][]float64
	boost  float64
}

func (c pairClause) scale(slot, i int) float64 {
	if c.scales == nil {
		return 1
	}
	return c.scales[slot][i]
}

// termDoc is one term in one document: what BM25 needs, and where the term is.
type termDoc struct {
	freq uint64
	norm float64
	locs []location // by position
}

// at reports whether the term is at the position in the document.
func (td *termDoc) at(pos uint64) bool {
	return slices.ContainsFunc(td.locs, func(l location) bool { return l.pos == pos })
}

// occurrences are the terms rerank read in the hits it reordered. The page's hits are
// among them, and its highlights need many of the same terms (the pairs' words in the
// exact fields): locate takes their locations from here rather than walk the same
// postings again.
type occurrences map[*match]*hitTerms

type hitTerms struct {
	read  map[fieldTerm]termStats // the terms looked up in the hit (rerank's statistics of them)
	found map[fieldTerm]*termDoc  // those of them the hit has
}

// has reports whether ft was read in every one of hits, and so needs no reading.
func (o occurrences) has(hits []*match, ft fieldTerm) bool {
	for _, h := range hits {
		t := o[h]
		if t == nil {
			return false
		}
		if _, ok := t.read[ft]; !ok {
			return false
		}
	}
	return len(hits) > 0
}

// with is o and more, for the hits of two searches merged.
func (o occurrences) with(more occurrences) occurrences {
	if len(more) == 0 {
		return o
	}
	out := make(occurrences, len(o)+len(more))
	maps.Copy(out, o)
	maps.Copy(out, more)
	return out
}

// termStats are a term's BM25 statistics over the snapshot, as bleve's scorer takes
// them.
type termStats struct {
	idf, avgLength float64
}

// rerank adds to each of the first rerankDepth hits the weight of the pairs it has,
// and sorts those hits again. A pair found in a document weighs what its words weigh
// there, at the pair's boost, as bleve scores a phrase; only the best occurrence
// counts. Scores are comparable because the search is unnormalised (see unnormalized).
func (ix *Index) rerank(ctx context.Context, r index.IndexReader, pairs []pairClause, hits []*match, known *termLists) (occurrences, error) {
	if len(pairs) == 0 || len(hits) < 2 {
		return nil, nil
	}
	top := hits[:min(len(hits), rerankDepth)]
	hs, err := segmentsOf(r, top)
	if err != nil {
		return nil, err
	}
	hs.known = known
	docs, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	byField := map[string][]string{}
	stats := map[fieldTerm]termStats{}
	for _, c := range pairs {
		for _, slot := range c.slots {
			for _, t := range slot {
				ft := fieldTerm{c.field, t}
				if _, done := stats[ft]; done || t == "" {
					continue
				}
				st, err := ix.termStats(ctx, r, ft, docs)
				if err != nil {
					return nil, err
				}
				stats[ft] = st
				byField[c.field] = append(byField[c.field], t)
			}
		}
	}
	// found[hit][field term]: the term in the hit.
	found := make([]map[fieldTerm]*termDoc, len(top))
	for field, terms := range byField {
		err := hs.postings(field, terms, func(i, ti int, p segment.Posting) {
			if found[i] == nil {
				found[i] = map[fieldTerm]*termDoc{}
			}
			found[i][fieldTerm{field, terms[ti]}] = &termDoc{freq: p.Frequency(), norm: p.Norm(), locs: locationsOf(p)}
		})
		if err != nil {
			return nil, fmt.Errorf("pairs in %s: %w", field, err)
		}
	}
	occ := make(occurrences, len(top))
	for i, h := range top {
		occ[h] = &hitTerms{read: stats, found: found[i]}
		sum, n := 0.0, 0
		for _, c := range pairs {
			if w := c.weight(found[i], stats); w > 0 {
				sum += w
				n++
			}
		}
		h.score += sum * float64(n) / float64(len(pairs))
	}
	slices.SortStableFunc(top, func(a, b *match) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	return occ, nil
}

// termStats are a term's BM25 statistics: its document frequency from the vocabulary
// when it keeps the field's counts (looking a term up in every segment costs more
// than reading it in the few hits), else from the index.
func (ix *Index) termStats(ctx context.Context, r index.IndexReader, ft fieldTerm, docs uint64) (termStats, error) {
	df, ok := ix.vocab.fieldDF(ft.field, ft.term)
	if !ok {
		tfr, err := r.TermFieldReader(ctx, []byte(ft.term), ft.field, false, false, false)
		if err != nil {
			return termStats{}, fmt.Errorf("%s:%s: %w", ft.field, ft.term, err)
		}
		df = int(tfr.Count())
		tfr.Close()
	}
	avg, err := bm25AvgLength(r, ft.field, docs)
	if err != nil {
		return termStats{}, err
	}
	return termStats{idf: bm25IDF(int(docs), df), avgLength: avg}, nil
}

// weight is what the pair adds to a document with the terms found: the best of its
// occurrences, each the sum of its terms' BM25 scores at the pair's boost.
func (c pairClause) weight(found map[fieldTerm]*termDoc, stats map[fieldTerm]termStats) float64 {
	best := 0.0
	for i0, t0 := range c.slots[0] {
		td := found[fieldTerm{c.field, t0}]
		if td == nil {
			continue
		}
		for _, loc := range td.locs {
			w := c.scale(0, i0) * td.score(stats[fieldTerm{c.field, t0}])
			ok := phraseFrom(c.slots, loc.pos, func(k, i int, pos uint64) bool {
				ft := fieldTerm{c.field, c.slots[k][i]}
				d := found[ft]
				if d == nil || !d.at(pos) {
					return false
				}
				w += c.scale(k, i) * d.score(stats[ft])
				return true
			})
			if ok {
				best = max(best, w)
			}
		}
	}
	return c.boost * best
}

// score is the term's BM25 score in the document at boost 1, as bleve scores it.
func (td *termDoc) score(st termStats) float64 {
	return bm25(td.freq, td.norm, st.idf, st.avgLength, st.idf)
}

// unnormalized runs a query without bleve's query normalisation, which scales every
// score of a search by one factor that depends on all its clauses: rerank adds
// weights computed apart from the search, which must be on the same scale.
type unnormalized struct{ query.Query }

func (q unnormalized) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s, err := q.Query.Searcher(ctx, r, m, options)
	if err != nil {
		return nil, err
	}
	s.SetQueryNorm(1)
	return s, nil
}
