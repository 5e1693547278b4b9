package search

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	index "github.com/blevesearch/bleve_index_api"

	"qdex/facet"
)

// facetTable holds every document's facet values in memory, keyed by the internal
// document number of the open (read-only, so unchanging) index snapshot. Counting a
// search's facets is then a table lookup per match; bleve's own facets decode each
// match's doc values from compressed chunks, which cost more than the search itself.
type facetTable struct {
	facets []facetColumn // in FacetNames order
}

// facetColumn is one facet: its values, and for each document the ordinals of its
// values (CSR layout: doc d has vals[first[d]:first[d+1]]). A facet with at most one
// value per document keeps single instead, one read per match: single[d] is doc d's
// ordinal plus one, 0 for none.
type facetColumn struct {
	values []string
	first  []uint32
	vals   []uint32
	single []uint32
}

// buildFacetTable reads the postings of every facet field's terms.
func buildFacetTable(ctx context.Context, r index.IndexReader) (*facetTable, error) {
	t := &facetTable{}
	for _, f := range facet.All {
		col, err := readFacetColumn(ctx, r, f.Field)
		if err != nil {
			return nil, fmt.Errorf("facet %s: %w", f.Name, err)
		}
		t.facets = append(t.facets, col)
	}
	return t, nil
}

func readFacetColumn(ctx context.Context, r index.IndexReader, field string) (facetColumn, error) {
	var col facetColumn
	type pair struct{ doc, ord uint32 }
	var pairs []pair
	maxDoc := -1
	dict, err := r.FieldDict(field)
	if err != nil {
		return col, err
	}
	defer dict.Close()
	for de, err := dict.Next(); de != nil || err != nil; de, err = dict.Next() {
		if err != nil {
			return col, err
		}
		ord := uint32(len(col.values))
		col.values = append(col.values, de.Term)
		tfr, err := r.TermFieldReader(ctx, []byte(de.Term), field, false, false, false)
		if err != nil {
			return col, err
		}
		var tfd index.TermFieldDoc
		for d, err := tfr.Next(&tfd); d != nil || err != nil; d, err = tfr.Next(&tfd) {
			if err != nil {
				tfr.Close()
				return col, err
			}
			doc, ok := docNumber(d.ID)
			if !ok {
				tfr.Close()
				return col, fmt.Errorf("internal document id of %d bytes", len(d.ID))
			}
			pairs = append(pairs, pair{uint32(doc), ord})
			maxDoc = max(maxDoc, int(doc))
		}
		tfr.Close()
	}
	slices.SortFunc(pairs, func(a, b pair) int { return cmp.Compare(a.doc, b.doc) })
	col.first = make([]uint32, maxDoc+2)
	col.vals = make([]uint32, len(pairs))
	for i, p := range pairs {
		col.first[p.doc+1]++
		col.vals[i] = p.ord
	}
	multi := false
	for d := 1; d < len(col.first); d++ {
		multi = multi || col.first[d] > 1
		col.first[d] += col.first[d-1]
	}
	if !multi {
		col.single = make([]uint32, maxDoc+1)
		for _, p := range pairs {
			col.single[p.doc] = p.ord + 1
		}
		col.first, col.vals = nil, nil
	}
	return col, nil
}

// maxFacetValues is how many values of one facet a result lists, the most frequent.
const maxFacetValues = 100

// facetCount is one value of a facet and the matches that have it.
type facetCount struct {
	value string
	count int
}

// facetCounter counts the facet values of one search's matches, and keeps their
// numbers when matched is set (hybrid search asks which documents the words matched).
type facetCounter struct {
	t       *facetTable
	counts  [][]int
	matched *roaring.Bitmap
}

func (t *facetTable) counter() *facetCounter {
	c := &facetCounter{t: t, counts: make([][]int, len(t.facets))}
	for i, col := range t.facets {
		c.counts[i] = make([]int, len(col.values))
	}
	return c
}

func (c *facetCounter) add(id index.IndexInternalID) {
	if d, ok := docNumber(id); ok {
		c.addDoc(d)
	}
}

// addDoc counts the facet values of document number d.
func (c *facetCounter) addDoc(d uint64) {
	if c.matched != nil {
		c.matched.Add(uint32(d))
	}
	for i := range c.t.facets {
		col := &c.t.facets[i]
		if col.single != nil {
			if d < uint64(len(col.single)) && col.single[d] != 0 {
				c.counts[i][col.single[d]-1]++
			}
			continue
		}
		if d+1 >= uint64(len(col.first)) {
			continue
		}
		for _, v := range col.vals[col.first[d]:col.first[d+1]] {
			c.counts[i][v]++
		}
	}
}

// addDocs counts the facet values of documents base+d for each d of docs, ascending:
// column by column, each read in order.
func (c *facetCounter) addDocs(base uint64, docs []uint32) {
	if c.matched != nil {
		for _, d := range docs {
			c.matched.Add(uint32(base + uint64(d)))
		}
	}
	for i := range c.t.facets {
		col := &c.t.facets[i]
		counts := c.counts[i]
		if col.single != nil {
			for _, d := range docs {
				if n := base + uint64(d); n < uint64(len(col.single)) {
					if v := col.single[n]; v != 0 {
						counts[v-1]++
					}
				}
			}
			continue
		}
		for _, d := range docs {
			if n := base + uint64(d); n+1 < uint64(len(col.first)) {
				for _, v := range col.vals[col.first[n]:col.first[n+1]] {
					counts[v]++
				}
			}
		}
	}
}

// withCounter returns a context in which bleve hands every match to the counter before
// collecting it as usual.
func withCounter(ctx context.Context, c *facetCounter) context.Context {
	var mk bsearch.MakeDocumentMatchHandler = func(sc *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
		next, loadID, err := collector.MakeTopNDocumentMatchHandler(sc)
		if err != nil {
			return nil, false, err
		}
		return func(d *bsearch.DocumentMatch) error {
			if d != nil {
				c.add(d.IndexInternalID)
			}
			return next(d)
		}, loadID, nil
	}
	return context.WithValue(ctx, bsearch.MakeDocumentMatchHandlerKey, mk)
}

// result lists the facet's values with matches, most first (ties by value), at most
// maxFacetValues.
func (c *facetCounter) result(facet int) []facetCount {
	var out []facetCount
	for ord, n := range c.counts[facet] {
		if n > 0 {
			out = append(out, facetCount{c.t.facets[facet].values[ord], n})
		}
	}
	slices.SortFunc(out, func(a, b facetCount) int {
		if a.count != b.count {
			return b.count - a.count
		}
		return cmp.Compare(a.value, b.value)
	})
	return out[:min(len(out), maxFacetValues)]
}

// filter returns whether a document has, for every filtered facet, one of the values
// allowed: the filters as the index applies them, read from the table.
func (t *facetTable) filter(filters map[string][]string) func(doc uint64) bool {
	type allowed struct {
		col  *facetColumn
		ords map[uint32]bool
	}
	var checks []allowed
	for i, name := range FacetNames {
		vs := filters[name]
		if len(vs) == 0 {
			continue
		}
		a := allowed{col: &t.facets[i], ords: map[uint32]bool{}}
		for ord, v := range a.col.values {
			if slices.Contains(vs, v) {
				a.ords[uint32(ord)] = true
			}
		}
		checks = append(checks, a)
	}
	return func(doc uint64) bool {
		for _, a := range checks {
			if !a.col.has(doc, a.ords) {
				return false
			}
		}
		return true
	}
}

// has reports whether the document has one of the values (by ordinal).
func (col *facetColumn) has(doc uint64, ords map[uint32]bool) bool {
	if col.single != nil {
		return doc < uint64(len(col.single)) && col.single[doc] != 0 && ords[col.single[doc]-1]
	}
	if doc+1 >= uint64(len(col.first)) {
		return false
	}
	for _, v := range col.vals[col.first[doc]:col.first[doc+1]] {
		if ords[v] {
			return true
		}
	}
	return false
}
