package search

import (
	"context"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// sumQuery matches the documents that match any of its clauses and scores each by the
// sum of the scores of the clauses it matches. bleve's disjunction multiplies that sum
// by the share of its clauses matched (a coordination factor, which Lucene dropped with
// BM25), so a clause's weight there depends on how many other clauses the query
// happens to have: a word with typo candidates or completions weighed less than one
// without, and every optional clause added devalued the others.
//
// coverage, when above 0, scales the sum by the share of clauses matched raised to
// it: the relaxed search's ranking (see relaxCoverage).
type sumQuery struct {
	clauses  []query.Query
	coverage float64
}

// sumQueryOf sums the queries (one is itself).
func sumQueryOf(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return &sumQuery{clauses: qs}
}

func (q *sumQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s := &sumSearcher{coverage: q.coverage}
	for _, c := range q.clauses {
		cs, err := c.Searcher(ctx, r, m, options)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.children = append(s.children, cs)
	}
	s.current = make([]*bsearch.DocumentMatch, len(s.children))
	return s, nil
}

// sumSearcher walks its children in step. current[i] is child i's next match not yet
// returned (nil once the child is exhausted), and at[i] that match's document number
// (noDoc once exhausted): comparing numbers is cheaper than comparing the IDs' bytes,
// and a word with its expansions has dozens of children.
type sumSearcher struct {
	children []bsearch.Searcher
	current  []*bsearch.DocumentMatch
	at       []uint64
	started  bool
	matched  []int // scratch: the children on the document being returned
	coverage float64
}

const noDoc = ^uint64(0)

func (s *sumSearcher) set(i int, m *bsearch.DocumentMatch) {
	s.current[i] = m
	s.at[i] = noDoc
	if m != nil {
		if n, ok := docNumber(m.IndexInternalID); ok {
			s.at[i] = n
		}
	}
}

func (s *sumSearcher) start(ctx *bsearch.SearchContext) error {
	s.started = true
	s.at = make([]uint64, len(s.children))
	for i, c := range s.children {
		m, err := c.Next(ctx)
		if err != nil {
			return err
		}
		s.set(i, m)
	}
	return nil
}

// Next returns the lowest document any child is on, scored by the sum of the scores of
// the children on it, and moves those children on.
func (s *sumSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.started {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	low := noDoc
	for _, n := range s.at {
		low = min(low, n)
	}
	if low == noDoc {
		return nil, nil
	}
	s.matched = s.matched[:0]
	for i, n := range s.at {
		if n == low {
			s.matched = append(s.matched, i)
		}
	}
	first := s.current[s.matched[0]]
	for _, i := range s.matched {
		m := s.current[i]
		if m != first {
			first.Score += m.Score
			first.FieldTermLocations = bsearch.MergeFieldTermLocationsFromMatch(first.FieldTermLocations, m)
			ctx.DocumentMatchPool.Put(m)
		}
		next, err := s.children[i].Next(ctx)
		if err != nil {
			return nil, err
		}
		s.set(i, next)
	}
	if s.coverage > 0 {
		first.Score *= coverageFactor(len(s.matched), len(s.children), s.coverage)
	}
	return first, nil
}

// Advance moves every child to the first document at or after id.
func (s *sumSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if !s.started {
		if err := s.start(ctx); err != nil {
			return nil, err
		}
	}
	target, ok := docNumber(id)
	for i, m := range s.current {
		if m == nil || (ok && s.at[i] >= target) || (!ok && m.IndexInternalID.Compare(id) >= 0) {
			continue
		}
		ctx.DocumentMatchPool.Put(m)
		next, err := s.children[i].Advance(ctx, id)
		if err != nil {
			return nil, err
		}
		s.set(i, next)
	}
	return s.Next(ctx)
}

func (s *sumSearcher) Close() error {
	var first error
	for _, c := range s.children {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (s *sumSearcher) Weight() float64 {
	w := 0.0
	for _, c := range s.children {
		w += c.Weight()
	}
	return w
}

func (s *sumSearcher) SetQueryNorm(n float64) {
	for _, c := range s.children {
		c.SetQueryNorm(n)
	}
}

// Count is an upper bound, as for bleve's disjunctions.
func (s *sumSearcher) Count() uint64 {
	var n uint64
	for _, c := range s.children {
		n += c.Count()
	}
	return n
}

func (s *sumSearcher) Min() int { return 0 }

func (s *sumSearcher) Size() int {
	n := 64
	for _, c := range s.children {
		n += c.Size()
	}
	return n
}

func (s *sumSearcher) DocumentMatchPoolSize() int {
	n := len(s.children)
	for _, c := range s.children {
		n += c.DocumentMatchPoolSize()
	}
	return n
}

// coverageFactor is (matched/of)^coverage, the same in both evaluations.
func coverageFactor(matched, of int, coverage float64) float64 {
	return math.Pow(float64(matched)/float64(of), coverage)
}
