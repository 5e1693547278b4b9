package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// phraseQuery is a phrase clause as a bleve query, scored as bleve scores a phrase:
// the sum of its terms' scores. bleve's own phrase searcher builds a map of every
// term's locations for each candidate document; a phrase of common words ("the
// value") has thousands of candidates, and those maps were most of its time. This one
// compares position lists, read from the segments' postings directly.
type phraseQuery struct{ phraseClause }

func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, options bsearch.SearcherOptions) (bsearch.Searcher, error) {
	snap := snapshotOf(r)
	if snap == nil {
		return nil, fmt.Errorf("phrase: index reader %T is not scorch's", r)
	}
	s := &phraseSearcher{words: q.slots, scored: options.Score != "none"}
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

	begun     bool // it has moved to a document
	done      bool
	num       uint64 // the document it is on
	freq      uint64
	norm      float64
	positions []uint64
}

type termSegment struct {
	base    uint64 // the number of the segment's first document in the snapshot
	size    uint64
	pl      segment.PostingsList // nil when the term is not in the segment
	deleted *roaring.Bitmap      // the segment's deleted documents, nil for none
}

func newTermPostings(snap *scorch.IndexSnapshot, field, term string) (*termPostings, error) {
	lists, df, err := segmentPostings(snap, []fieldTerm{{field, term}})
	if err != nil {
		return nil, err
	}
	t := &termPostings{count: df[0], si: -1}
	bases := segmentBases(snap)
	for si, s := range snap.Segments() {
		t.segs = append(t.segs, termSegment{base: bases[si], size: bases[si+1] - bases[si], pl: lists[si][0], deleted: s.Deleted()})
	}
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
	t.begun = true
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

// phraseSearcher walks the candidates, the documents with a term of every slot, from
// the terms' bitmaps, and moves the terms' postings to each candidate only: moving a
// term to its next document instead would decode that document's positions too,
// though it is rarely the next candidate.
type phraseSearcher struct {
	words   [][]string      // the phrase's slots
	slots   [][]*phraseTerm // their terms' postings; nil for a gap
	started bool
	scored  bool
	id      uint64 // the candidate document

	cands []segmentCandidates
	ci    int // the segment of cands being walked
	it    roaring.IntPeekable
}

// segmentCandidates are a segment's candidates, numbered in the segment.
type segmentCandidates struct {
	base uint64
	docs *roaring.Bitmap
}

// start gathers each segment's candidates: the intersection over the slots of the
// union of their terms' documents, less the deleted ones.
func (s *phraseSearcher) start() {
	s.started = true
	var first *termPostings
	for _, slot := range s.slots {
		if len(slot) > 0 {
			first = slot[0].postings
			break
		}
	}
	if first == nil {
		return
	}
	for si, seg := range first.segs {
		var docs *roaring.Bitmap
		for _, slot := range s.slots {
			if slot == nil {
				continue
			}
			union := roaring.New()
			for _, t := range slot {
				if pl := t.postings.segs[si].pl; pl != nil {
					orInto(pl, union)
				}
			}
			if docs == nil {
				docs = union
			} else {
				docs.And(union)
			}
			if docs.IsEmpty() {
				break
			}
		}
		if seg.deleted != nil {
			docs.AndNot(seg.deleted) // zap's bitmaps still hold deleted documents
		}
		if !docs.IsEmpty() {
			s.cands = append(s.cands, segmentCandidates{base: seg.base, docs: docs})
		}
	}
	if len(s.cands) > 0 {
		s.it = s.cands[0].docs.Iterator()
	}
}

// candidate moves to the first candidate at or after num, and reports whether there
// is one.
func (s *phraseSearcher) candidate(num uint64) bool {
	for s.ci < len(s.cands) {
		c := s.cands[s.ci]
		if num > c.base {
			s.it.AdvanceIfNeeded(uint32(min(num-c.base, uint64(^uint32(0)))))
		}
		if s.it.HasNext() {
			s.id = c.base + uint64(s.it.Next())
			return true
		}
		s.ci++
		if s.ci < len(s.cands) {
			s.it = s.cands[s.ci].docs.Iterator()
		}
	}
	return false
}

// on reports whether the term is on the candidate document.
func (s *phraseSearcher) on(t *phraseTerm) bool {
	p := t.postings
	return p.begun && !p.done && p.num == s.id
}

func (s *phraseSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	return s.next(ctx, 0)
}

// next returns the first match among the candidates at or after num.
func (s *phraseSearcher) next(ctx *bsearch.SearchContext, num uint64) (*bsearch.DocumentMatch, error) {
	if !s.started {
		s.start()
	}
	for s.candidate(num) {
		num = s.id + 1
		for _, slot := range s.slots {
			for _, t := range slot {
				if p := t.postings; !p.done && (!p.begun || p.num < s.id) {
					if err := p.advance(s.id); err != nil {
						return nil, err
					}
				}
			}
		}
		if m := s.match(ctx); m != nil {
			return m, nil
		}
	}
	return nil, nil
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
			ok := phraseFrom(s.words, pos, func(k, i int, p uint64) bool {
				t := s.slots[k][i]
				return s.on(t) && slices.Contains(t.postings.positions, p)
			})
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
	num, ok := docNumber(id)
	if !ok {
		return nil, fmt.Errorf("phrase: internal ID %x", id)
	}
	return s.next(ctx, num)
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
