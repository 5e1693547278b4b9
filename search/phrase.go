package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// phraseQuery matches the documents whose field has its slots' terms at consecutive
// positions, scored as bleve scores a phrase: the sum of its terms' scores. bleve's
// own phrase searcher builds a map of every term's locations for each candidate
// document; a phrase of common words ("the value") has thousands of candidates, and
// those maps were most of its time. This one compares position lists, read from the
// segments' postings directly.
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
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("phrase: index reader %T is not scorch's", r)
	}
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
			tr, err := newTermPostings(snap, q.field, t)
			if err != nil {
				return nil, fmt.Errorf("phrase %s:%s: %w", q.field, t, err)
			}
			pt := &phraseTerm{postings: tr, idf: bm25IDF(int(docs), int(tr.count)), avgLength: avgLength, boost: q.boost}
			pt.queryWeight = pt.boost * pt.idf
			terms = append(terms, pt)
		}
		s.slots = append(s.slots, terms)
	}
	return s, nil
}

// termPostings walks one term's postings in a field, segment after segment, with the
// documents numbered as in the snapshot and the positions of each.
type termPostings struct {
	segs  []termSegment
	si    int
	it    segment.PostingsIterator
	count uint64 // documents with the term, deleted ones left out

	done      bool
	num       uint64 // the document it is on
	freq      uint64
	norm      float64
	positions []uint64
}

type termSegment struct {
	base uint64 // the number of the segment's first document in the snapshot
	size uint64
	pl   segment.PostingsList // nil when the term is not in the segment
}

func newTermPostings(snap *scorch.IndexSnapshot, field, term string) (*termPostings, error) {
	t := &termPostings{}
	var base uint64
	for _, s := range snap.Segments() {
		ts := termSegment{base: base, size: s.Segment().Count()}
		base += ts.size
		dict, err := s.Segment().Dictionary(field)
		if err != nil {
			return nil, err
		}
		if dict != nil {
			pl, err := dict.PostingsList([]byte(term), s.Deleted(), nil)
			if err != nil {
				return nil, err
			}
			if pl != nil && pl.Count() > 0 {
				ts.pl = pl
				t.count += pl.Count()
			}
		}
		t.segs = append(t.segs, ts)
	}
	t.si = -1
	return t, nil
}

// set takes the posting p of the current segment as the current document.
func (t *termPostings) set(p segment.Posting) {
	t.num = t.segs[t.si].base + p.Number()
	t.freq, t.norm = p.Frequency(), p.Norm()
	t.positions = t.positions[:0]
	for _, l := range p.Locations() {
		t.positions = append(t.positions, l.Pos())
	}
}

// next moves to the next document with the term.
func (t *termPostings) next() error {
	return t.move(func(termSegment) (segment.Posting, error) { return t.it.Next() })
}

// advance moves to the first document at or after num with the term.
func (t *termPostings) advance(num uint64) error {
	return t.move(func(seg termSegment) (segment.Posting, error) {
		if num >= seg.base+seg.size {
			return nil, nil // past this segment
		}
		return t.it.Advance(max(num, seg.base) - seg.base)
	})
}

// move takes the posting step finds in the current segment, or in the next segments
// with the term when it finds none there.
func (t *termPostings) move(step func(termSegment) (segment.Posting, error)) error {
	for !t.done {
		if t.it != nil {
			p, err := step(t.segs[t.si])
			if err != nil {
				return err
			}
			if p != nil {
				t.set(p)
				return nil
			}
		}
		if !t.nextSegment() {
			t.done = true
		}
	}
	return nil
}

// nextSegment moves to the next segment with the term.
func (t *termPostings) nextSegment() bool {
	for t.si+1 < len(t.segs) {
		t.si++
		if pl := t.segs[t.si].pl; pl != nil {
			t.it = pl.Iterator(true, true, true, t.it)
			return true
		}
	}
	t.it = nil
	return false
}

// phraseTerm is one term of a phrase: its postings and its weight.
type phraseTerm struct {
	postings *termPostings
	// BM25 as bleve's term scorer has it: the score is idf × saturated tf × the query
	// weight (boost × idf × query norm).
	idf, avgLength, boost, queryWeight float64
}

func (t *phraseTerm) score() float64 {
	p := t.postings
	return bm25(p.freq, p.norm, t.idf, t.avgLength, t.queryWeight)
}

type phraseSearcher struct {
	slots   [][]*phraseTerm // nil for a gap
	started bool
	scored  bool
	id      uint64 // the candidate document
}

func (s *phraseSearcher) start() error {
	s.started = true
	for _, slot := range s.slots {
		for _, t := range slot {
			if err := t.postings.next(); err != nil {
				return err
			}
		}
	}
	return nil
}

// low is the lowest document any of the slot's terms is on; ok is false when all are
// done.
func low(slot []*phraseTerm) (n uint64, ok bool) {
	for _, t := range slot {
		if p := t.postings; !p.done && (!ok || p.num < n) {
			n, ok = p.num, true
		}
	}
	return n, ok
}

// on reports whether the term is on the candidate document.
func (s *phraseSearcher) on(t *phraseTerm) bool {
	return !t.postings.done && t.postings.num == s.id
}

func (s *phraseSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.started {
		if err := s.start(); err != nil {
			return nil, err
		}
	}
	for {
		// The candidate: the highest of the slots' lowest documents.
		found := false
		for _, slot := range s.slots {
			if slot == nil {
				continue
			}
			l, ok := low(slot)
			if !ok {
				return nil, nil
			}
			if !found || l > s.id {
				s.id, found = l, true
			}
		}
		if !found {
			return nil, nil
		}
		all := true
		for _, slot := range s.slots {
			for _, t := range slot {
				if p := t.postings; !p.done && p.num < s.id {
					if err := p.advance(s.id); err != nil {
						return nil, err
					}
				}
			}
			if slot != nil {
				if l, ok := low(slot); !ok || l != s.id {
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
				if s.on(t) {
					if err := t.postings.next(); err != nil {
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
	found := false
	for _, t0 := range s.slots[0] {
		if !s.on(t0) {
			continue
		}
		for _, pos := range t0.postings.positions {
			ok := true
			for k := 1; k < len(s.slots) && ok; k++ {
				if s.slots[k] == nil {
					continue
				}
				ok = slices.ContainsFunc(s.slots[k], func(t *phraseTerm) bool {
					return s.on(t) && slices.Contains(t.postings.positions, pos+uint64(k))
				})
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
	m.IndexInternalID = m.IndexInternalID[:0]
	m.IndexInternalID = binary.BigEndian.AppendUint64(m.IndexInternalID, s.id)
	if s.scored {
		for _, slot := range s.slots {
			for _, t := range slot {
				if s.on(t) {
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
	num, ok := docNumber(id)
	if !ok {
		return nil, fmt.Errorf("phrase: internal ID %x", id)
	}
	for _, slot := range s.slots {
		for _, t := range slot {
			if p := t.postings; !p.done && p.num < num {
				if err := p.advance(num); err != nil {
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
			c += t.postings.count
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

func (s *phraseSearcher) Close() error { return nil }
