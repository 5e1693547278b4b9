package search

import (
	"context"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// phraseQuery matches the documents whose field has its slots' terms at consecutive
// positions, scored as bleve scores a phrase: the sum of its terms' scores. bleve's
// own phrase searcher builds a map of every term's locations for each candidate
// document; a phrase of common words ("the value") has thousands of candidates, and
// those maps were most of its time. This one compares position lists.
type phraseQuery struct {
	field string
	slots [][]string // at each position any of these terms; {""} for any word
	boost float64
}

// phrase matches text in the field as a phrase of its analysed terms: a term clause
// when it analyses to one position, nil to none.
func (ix *Index) phrase(text, field string, boost float64) query.Query {
	slots := slotsOf(ix.analyzerOf(field).Analyze([]byte(text)))
	switch len(slots) {
	case 0:
		return nil
	case 1:
		alts := make([]query.Query, len(slots[0]))
		for i, t := range slots[0] {
			alts[i] = term(t, field, boost)
		}
		return newSum(alts...)
	}
	return &phraseQuery{field: field, slots: slots, boost: boost}
}

func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	s := &phraseSearcher{scored: options.Score != "none"}
	docs, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	avgLength, err := bm25AvgLength(r, q.field, docs)
	if err != nil {
		return nil, err
	}
	for _, slot := range q.slots {
		if len(slot) == 1 && slot[0] == "" {
			s.slots = append(s.slots, nil) // a gap
			continue
		}
		var terms []*phraseTerm
		for _, t := range slot {
			tfr, err := r.TermFieldReader(ctx, []byte(t), q.field, true, true, true)
			if err != nil {
				s.Close()
				return nil, fmt.Errorf("phrase %s:%s: %w", q.field, t, err)
			}
			pt := &phraseTerm{reader: tfr, idf: bm25IDF(int(docs), int(tfr.Count())), avgLength: avgLength, boost: q.boost}
			pt.queryWeight = pt.boost * pt.idf
			terms = append(terms, pt)
		}
		s.slots = append(s.slots, terms)
	}
	return s, nil
}

// phraseTerm is one term of a phrase: its postings, where they are, and its weight.
type phraseTerm struct {
	reader index.TermFieldReader
	doc    index.TermFieldDoc
	cur    *index.TermFieldDoc // the posting it is on; nil once exhausted
	// BM25 as bleve's term scorer has it: the score is idf × saturated tf × the query
	// weight (boost × idf × query norm).
	idf, avgLength, boost, queryWeight float64
}

func (t *phraseTerm) next() (err error) {
	t.cur, err = t.reader.Next(t.doc.Reset())
	return err
}

func (t *phraseTerm) advance(id index.IndexInternalID) (err error) {
	t.cur, err = t.reader.Advance(id, t.doc.Reset())
	return err
}

func (t *phraseTerm) score() float64 {
	return bm25(t.cur.Freq, t.cur.Norm, t.idf, t.avgLength, t.queryWeight)
}

func (t *phraseTerm) has(pos uint64) bool {
	for _, v := range t.cur.Vectors {
		if v.Pos == pos {
			return true
		}
	}
	return false
}

type phraseSearcher struct {
	slots   [][]*phraseTerm // nil for a gap
	started bool
	scored  bool
	id      index.IndexInternalID // scratch: the candidate document
}

func (s *phraseSearcher) start() error {
	s.started = true
	for _, slot := range s.slots {
		for _, t := range slot {
			if err := t.next(); err != nil {
				return err
			}
		}
	}
	return nil
}

// low is the lowest document any of the slot's terms is on; nil when all are done.
func low(slot []*phraseTerm) index.IndexInternalID {
	var id index.IndexInternalID
	for _, t := range slot {
		if t.cur != nil && (id == nil || t.cur.ID.Compare(id) < 0) {
			id = t.cur.ID
		}
	}
	return id
}

func (s *phraseSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	for {
		// The candidate: the highest of the slots' lowest documents.
		s.id = s.id[:0]
		for _, slot := range s.slots {
			if slot == nil {
				continue
			}
			l := low(slot)
			if l == nil {
				return nil, nil
			}
			if len(s.id) == 0 || l.Compare(s.id) > 0 {
				s.id = append(s.id[:0], l...)
			}
		}
		if len(s.id) == 0 {
			return nil, nil
		}
		all := true
		for _, slot := range s.slots {
			for _, t := range slot {
				if t.cur != nil && t.cur.ID.Compare(s.id) < 0 {
					if err := t.advance(s.id); err != nil {
						return nil, err
					}
				}
			}
			if slot != nil {
				if l := low(slot); l == nil || !l.Equals(s.id) {
					all = false
				}
			}
		}
		if !all {
			continue
		}
		m := s.match(ctx)
		// Move past the candidate.
		for _, slot := range s.slots {
			for _, t := range slot {
				if t.cur != nil && t.cur.ID.Equals(s.id) {
					if err := t.next(); err != nil {
						return nil, err
					}
				}
			}
		}
		if m != nil {
			return m, nil
		}
	}
}

// match checks the candidate's positions: some position of the first slot's terms
// with one of each later slot's terms at the positions after it.
func (s *phraseSearcher) match(ctx *bsearch.SearchContext) *bsearch.DocumentMatch {
	on := func(t *phraseTerm) bool { return t.cur != nil && t.cur.ID.Equals(s.id) }
	found := false
	for _, t0 := range s.slots[0] {
		if !on(t0) {
			continue
		}
		for _, v := range t0.cur.Vectors {
			ok := true
			for k := 1; k < len(s.slots) && ok; k++ {
				if s.slots[k] == nil {
					continue
				}
				ok = slices.ContainsFunc(s.slots[k], func(t *phraseTerm) bool { return on(t) && t.has(v.Pos+uint64(k)) })
			}
			if ok {
				found = true
				break
			}
		}
		if found {
			break
		}
	}
	if !found {
		return nil
	}
	m := ctx.DocumentMatchPool.Get()
	m.IndexInternalID = append(m.IndexInternalID[:0], s.id...)
	if s.scored {
		for _, slot := range s.slots {
			for _, t := range slot {
				if on(t) {
					m.Score += t.score()
				}
			}
		}
	}
	return m
}

func (s *phraseSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	for _, slot := range s.slots {
		for _, t := range slot {
			if t.cur != nil && t.cur.ID.Compare(id) < 0 {
				if err := t.advance(id); err != nil {
					return nil, err
				}
			}
		}
	}
	return s.Next(ctx)
}

func (s *phraseSearcher) Weight() float64 {
	w := 0.0
	for _, slot := range s.slots {
		for _, t := range slot {
			w += (t.boost * t.idf) * (t.boost * t.idf)
		}
	}
	return w
}

func (s *phraseSearcher) SetQueryNorm(n float64) {
	for _, slot := range s.slots {
		for _, t := range slot {
			t.queryWeight = t.boost * t.idf * n
		}
	}
}

// Count is an upper bound: the postings of the rarest slot.
func (s *phraseSearcher) Count() uint64 {
	var n uint64
	first := true
	for _, slot := range s.slots {
		if slot == nil {
			continue
		}
		var c uint64
		for _, t := range slot {
			c += t.reader.Count()
		}
		if first || c < n {
			n, first = c, false
		}
	}
	return n
}

func (s *phraseSearcher) Min() int { return 0 }

func (s *phraseSearcher) Size() int { return 64 + 64*len(s.slots) }

func (s *phraseSearcher) DocumentMatchPoolSize() int { return 1 }

func (s *phraseSearcher) Close() error {
	var first error
	for _, slot := range s.slots {
		for _, t := range slot {
			if err := t.reader.Close(); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}
