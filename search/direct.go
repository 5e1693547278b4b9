package search

import (
	"cmp"
	"container/heap"
	"context"
	"math/bits"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Most queries are words, each matching any of a few dozen terms (its fields, forms,
// completions, typo candidates), and filters. For those, bleve's searchers walk every
// term's postings in step, document by document, through several layers of
// interfaces: most of a search's time. direct evaluates the same query term by term
// instead: the matching documents are the intersection of the words' postings as
// bitmaps, their count and facets come from that set, and each term's postings are
// read once to add its BM25 score to the documents of the set. Scores are bleve's, to
// the last bit (TestDirectMatchesBleve); queries with phrases, or sorted by date, go
// to bleve.

// directLeaf is a leaf of the plan, scored as bleve's term searcher scores it in an
// unnormalised query.
type directLeaf struct {
	leaf
	id int // the term's index among the plan's distinct terms (set by run)
}

// directClause matches the documents with every one of its terms (one, or the terms of
// a word that analyses to several) and scores their sum, as bleve's conjunction does.
type directClause []directLeaf

// directUnit matches the documents any of its clauses match. A sum scores the sum of
// the clauses matched; a disjunction (a filter's values) scales it by the share of
// clauses matched, as bleve's disjunction does.
type directUnit struct {
	clauses     []directClause
	coordinated bool
}

// directPlan is a plan's query in that form.
type directPlan struct {
	all    []directUnit // every one must match
	any    []directUnit // relaxed: at least one must match, scored as relaxCoverage says
	should []directUnit // optional, with bleve's coordination of optional clauses
	not    []directUnit
}

// newDirectPlan lays the plan out for the direct evaluation, relaxed or not, with
// the filters; ok is false when a unit has an alternative it does not evaluate (a
// phrase, a multi-word synonym's span) or there is nothing to match.
func newDirectPlan(p *plan, filters map[string][]string, relaxed bool) (*directPlan, bool) {
	d := &directPlan{}
	words, ok := directUnits(p.words)
	if !ok {
		return nil, false
	}
	if relaxed {
		d.any = words
	} else {
		d.all = words
	}
	must, ok := directUnits(p.required)
	if !ok {
		return nil, false
	}
	fs, _ := directUnits(filterUnits(filters, ""))
	d.all = append(append(d.all, must...), fs...)
	if len(d.all) == 0 && len(d.any) == 0 {
		return nil, false
	}
	if d.should, ok = directUnits(p.optional); !ok {
		return nil, false
	}
	if d.not, ok = directUnits(p.excluded); !ok {
		return nil, false
	}
	return d, true
}

func directUnits(us []unit) ([]directUnit, bool) {
	out := make([]directUnit, len(us))
	for i, u := range us {
		if !u.termsOnly() {
			return nil, false
		}
		du := directUnit{clauses: make([]directClause, len(u.alts)), coordinated: u.coordinated}
		for j, a := range u.alts {
			c := make(directClause, len(a.terms))
			for k, l := range a.terms {
				c[k] = directLeaf{leaf: l}
			}
			du.clauses[j] = c
		}
		out[i] = du
	}
	return out, true
}

// scoreBuffers are score arrays, one per evaluation running, reused between them.
var scoreBuffers = sync.Pool{New: func() any { return new([]float64) }}

// directResult is what a direct evaluation found.
type directResult struct {
	total uint64
	hits  []*match // the best, best first, with their numbers and scores
	lists *termLists
}

// run evaluates the plan on the snapshot: the number of matches, each match counted
// by counter (when not nil), and the k best when scored.
func (d *directPlan) run(ctx context.Context, snap *scorch.IndexSnapshot, scored bool, k int, counter *facetCounter) (*directResult, error) {
	segs := snap.Segments()
	docs, err := snap.DocCount()
	if err != nil {
		return nil, err
	}
	// One pass over the segments for the terms' postings lists: scores need each
	// term's document frequency over the whole snapshot first.
	var leaves []fieldTerm
	ids := map[fieldTerm]int{}
	for _, group := range [][]directUnit{d.all, d.any, d.should, d.not} {
		for _, u := range group {
			for _, c := range u.clauses {
				for li := range c {
					ft := fieldTerm{c[li].field, c[li].term}
					id, ok := ids[ft]
					if !ok {
						id = len(leaves)
						ids[ft] = id
						leaves = append(leaves, ft)
					}
					c[li].id = id
				}
			}
		}
	}
	perSeg, df, err := segmentPostings(snap, leaves)
	if err != nil {
		return nil, err
	}
	var maxSize uint64
	for _, s := range segs {
		maxSize = max(maxSize, s.Segment().Count())
	}
	stats := make([]termStats, len(leaves))
	if scored {
		for id, l := range leaves {
			avg, err := bm25AvgLength(snap, l.field, docs)
			if err != nil {
				return nil, err
			}
			stats[id] = termStats{idf: bm25IDF(int(docs), int(df[id])), avgLength: avg}
		}
	}
	var scoreBuf []float64 // reused from segment to segment
	if scored {
		buf := scoreBuffers.Get().(*[]float64)
		if uint64(cap(*buf)) < maxSize {
			*buf = make([]float64, maxSize)
		}
		scoreBuf = (*buf)[:maxSize]
		defer scoreBuffers.Put(buf)
	}

	res := &directResult{}
	best := &hitHeap{}
	var offset uint64
	for si, s := range segs {
		if err := ctx.Err(); err != nil {
			return nil, err // the search's deadline, as bleve's collector checks it
		}
		base := offset
		offset += s.Segment().Count()
		lists := perSeg[si]
		// A unit's documents, and those of each clause of several terms (a clause of
		// one term is its postings: sets[i] stays nil).
		unitSet := func(u directUnit) (*roaring.Bitmap, []*roaring.Bitmap) {
			set := roaring.New()
			sets := make([]*roaring.Bitmap, len(u.clauses))
			for i, c := range u.clauses {
				if len(c) == 1 {
					if pl := lists[c[0].id]; pl != nil {
						orInto(pl, set)
					}
					continue
				}
				var cs *roaring.Bitmap
				for _, l := range c {
					bm := roaring.New()
					if pl := lists[l.id]; pl != nil {
						orInto(pl, bm)
					}
					if cs == nil {
						cs = bm
					} else {
						cs.And(bm)
					}
				}
				sets[i] = cs
				set.Or(cs)
			}
			return set, sets
		}
		// The required units, the smallest first: once the matches are few, a unit's
		// terms are only looked up at them rather than gathered whole.
		estimate := func(u directUnit) uint64 {
			var n uint64
			for _, c := range u.clauses {
				if pl := lists[c[0].id]; pl != nil {
					n += pl.Count()
				}
			}
			return n
		}
		order := make([]int, len(d.all))
		sizes := make([]uint64, len(d.all))
		for i, u := range d.all {
			order[i], sizes[i] = i, estimate(u)
		}
		slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(sizes[a], sizes[b]) })
		var matches *roaring.Bitmap
		allSets := make([][]*roaring.Bitmap, len(d.all))
		var pit segment.PostingsIterator
		for _, i := range order {
			u := d.all[i]
			if matches != nil && matches.GetCardinality()*8 < sizes[i] {
				var set *roaring.Bitmap
				set, allSets[i], pit = unitAt(u, matches, lists, pit)
				matches.And(set)
				continue
			}
			set, sets := unitSet(u)
			allSets[i] = sets
			if matches == nil {
				matches = set
			} else {
				matches.And(set)
			}
		}
		anySets := make([][]*roaring.Bitmap, len(d.any))
		anyOf := make([]*roaring.Bitmap, len(d.any))
		if len(d.any) > 0 {
			union := roaring.New()
			for i, u := range d.any {
				anyOf[i], anySets[i] = unitSet(u)
				union.Or(anyOf[i])
			}
			if matches == nil {
				matches = union
			} else {
				matches.And(union)
			}
		}
		if del := s.Deleted(); del != nil {
			matches.AndNot(del) // zap's bitmaps still hold deleted documents
		}
		for _, u := range d.not {
			set, _ := unitSet(u)
			matches.AndNot(set)
		}
		n := matches.GetCardinality()
		res.total += n
		if n == 0 {
			continue
		}
		if counter != nil {
			var buf [256]uint32
			for it := matches.ManyIterator(); ; {
				got := it.NextMany(buf[:])
				if got == 0 {
					break
				}
				counter.addDocs(base, buf[:got])
			}
		}
		if !scored || k <= 0 {
			continue
		}
		// Scores of the matches, term by term, into arrays by document number.
		size := s.Segment().Count()
		in := newBitset(size, matches)
		scores := scoreBuf[:size]
		clear(scores)
		for i, u := range d.all {
			if err := d.score(u, allSets[i], in, n, lists, stats, scores); err != nil {
				return nil, err
			}
		}
		if len(d.any) > 0 {
			// The words' sum, scaled by the share of them matched (relaxCoverage).
			sum, words := make([]float64, size), make([]int32, size)
			for i, u := range d.any {
				if err := d.score(u, anySets[i], in, n, lists, stats, sum); err != nil {
					return nil, err
				}
				it := anyOf[i].Iterator()
				for it.HasNext() {
					if doc := it.Next(); in.has(doc) {
						words[doc]++
					}
				}
			}
			for doc, w := range words {
				if w > 0 {
					scores[doc] += sum[doc] * coverageFactor(int(w), len(d.any), relaxCoverage)
				}
			}
		}
		if len(d.should) > 0 {
			// bleve's optional clauses: their sum, scaled by the share of them matched.
			sum, hit := make([]float64, size), make([]int32, size)
			part := make([]float64, size)
			for _, u := range d.should {
				set, sets := unitSet(u)
				clear(part)
				if err := d.score(u, sets, in, n, lists, stats, part); err != nil {
					return nil, err
				}
				it := set.Iterator()
				for it.HasNext() {
					if doc := it.Next(); in.has(doc) {
						sum[doc] += part[doc]
						hit[doc]++
					}
				}
			}
			for doc := range sum {
				if hit[doc] > 0 {
					scores[doc] += sum[doc] * float64(hit[doc]) / float64(len(d.should))
				}
			}
		}
		it := matches.Iterator()
		for it.HasNext() {
			doc := it.Next()
			best.offer(base+uint64(doc), scores[doc], k)
		}
	}
	res.hits = best.sorted()
	res.lists = newTermLists(snap, ids, perSeg)
	return res, nil
}

// unitAt is unitSet restricted to the documents of at, found by skipping each term's
// postings to them.
func unitAt(u directUnit, at *roaring.Bitmap, lists []segment.PostingsList, it segment.PostingsIterator) (*roaring.Bitmap, []*roaring.Bitmap, segment.PostingsIterator) {
	docs := at.ToArray()
	leafAt := func(l directLeaf) *roaring.Bitmap {
		bm := roaring.New()
		pl := lists[l.id]
		if pl == nil {
			return bm
		}
		it = pl.Iterator(false, false, false, it)
		var p segment.Posting
		var err error
		for _, d := range docs {
			doc := uint64(d)
			if p == nil || p.Number() < doc {
				if p, err = it.Advance(doc); err != nil || p == nil {
					break
				}
			}
			if p.Number() == doc {
				bm.Add(d)
			}
		}
		return bm
	}
	set := roaring.New()
	sets := make([]*roaring.Bitmap, len(u.clauses))
	for i, c := range u.clauses {
		cs := leafAt(c[0])
		for _, l := range c[1:] {
			cs.And(leafAt(l))
		}
		if len(c) > 1 {
			sets[i] = cs
		}
		set.Or(cs)
	}
	return set, sets, it
}

// score adds the unit's score of each document of in to scores: the sum of its
// clauses matched (sets[i]: the documents clause i matches, nil for a clause of one
// term), scaled by the share of clauses matched when the unit is coordinated.
func (d *directPlan) score(u directUnit, sets []*roaring.Bitmap, in bitset, matched uint64, lists []segment.PostingsList, stats []termStats, scores []float64) error {
	target := scores
	var hit []int32
	if u.coordinated {
		target, hit = make([]float64, len(scores)), make([]int32, len(scores))
	}
	var it segment.PostingsIterator
	for ci, c := range u.clauses {
		for li, l := range c {
			pl := lists[l.id]
			if pl == nil {
				continue
			}
			st := stats[l.id]
			add := func(p segment.Posting) {
				doc := uint32(p.Number())
				if !in.has(doc) || sets[ci] != nil && !sets[ci].Contains(doc) {
					return
				}
				target[doc] += leafScore(p, st, l.boost)
				if hit != nil && li == 0 {
					hit[doc]++
				}
			}
			it = pl.Iterator(true, true, false, it)
			if matched*8 < pl.Count() {
				// Few matches, many postings: skip to each match.
				var p segment.Posting
				var err error
				for w, word := range in {
					for word != 0 {
						doc := uint64(w)*64 + uint64(bits.TrailingZeros64(word))
						word &= word - 1
						if p != nil && p.Number() >= doc {
							if p.Number() == doc {
								add(p)
							}
							continue
						}
						if p, err = it.Advance(doc); err != nil {
							return err
						}
						if p == nil {
							goto next
						}
						if p.Number() == doc {
							add(p)
						}
					}
				}
			next:
				continue
			}
			for {
				p, err := it.Next()
				if err != nil {
					return err
				}
				if p == nil {
					break
				}
				add(p)
			}
		}
	}
	if u.coordinated {
		for doc, n := range hit {
			if n > 0 {
				scores[doc] += target[doc] * float64(n) / float64(len(u.clauses))
			}
		}
	}
	return nil
}

// bitset is a set of a segment's document numbers.
type bitset []uint64

func newBitset(size uint64, of *roaring.Bitmap) bitset {
	b := make(bitset, (size+63)/64)
	it := of.Iterator()
	for it.HasNext() {
		d := it.Next()
		b[d/64] |= 1 << (d % 64)
	}
	return b
}

func (b bitset) has(d uint32) bool { return int(d/64) < len(b) && b[d/64]&(1<<(d%64)) != 0 }

// orInto adds the documents of the postings list to bm: from zap's bitmap directly,
// or by walking the postings.
func orInto(pl segment.PostingsList, bm *roaring.Bitmap) {
	if o, ok := pl.(interface{ OrInto(*roaring.Bitmap) }); ok {
		o.OrInto(bm)
		return
	}
	it := pl.Iterator(false, false, false, nil)
	for p, err := it.Next(); p != nil && err == nil; p, err = it.Next() {
		bm.Add(uint32(p.Number()))
	}
}

// leafScore is the posting's BM25 score for a term at a boost.
func leafScore(p segment.Posting, st termStats, boost float64) float64 {
	return bm25(p.Frequency(), p.Norm(), st.idf, st.avgLength, boost*st.idf)
}

// hitHeap keeps the k best documents: highest score first, then lowest number, as
// bleve's collector orders equal scores.
type hitHeap []scoredDoc

type scoredDoc struct {
	doc   uint64
	score float64
}

// worse reports whether a ranks below b.
func worse(a, b scoredDoc) bool {
	if a.score != b.score {
		return a.score < b.score
	}
	return a.doc > b.doc
}

func (h hitHeap) Len() int           { return len(h) }
func (h hitHeap) Less(i, j int) bool { return worse(h[i], h[j]) }
func (h hitHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *hitHeap) Push(x any)        { *h = append(*h, x.(scoredDoc)) }
func (h *hitHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func (h *hitHeap) offer(doc uint64, score float64, k int) {
	d := scoredDoc{doc, score}
	if h.Len() < k {
		heap.Push(h, d)
		return
	}
	if worse((*h)[0], d) {
		(*h)[0] = d
		heap.Fix(h, 0)
	}
}

func (h *hitHeap) sorted() []*match {
	out := make([]*match, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		d := heap.Pop(h).(scoredDoc)
		out[i] = &match{doc: d.doc, score: d.score}
	}
	return out
}

// unionOf is the documents any of the units match, numbered in the snapshot, deleted
// ones left out: the documents a query's exclusions rule out.
func unionOf(snap *scorch.IndexSnapshot, units []directUnit) (*roaring.Bitmap, error) {
	var terms []fieldTerm
	ids := map[fieldTerm]int{}
	for _, u := range units {
		for _, c := range u.clauses {
			for _, l := range c {
				ft := fieldTerm{l.field, l.term}
				if _, ok := ids[ft]; !ok {
					ids[ft] = len(terms)
					terms = append(terms, ft)
				}
			}
		}
	}
	lists, _, err := segmentPostings(snap, terms)
	if err != nil {
		return nil, err
	}
	out := roaring.New()
	bases := segmentBases(snap)
	for si, s := range snap.Segments() {
		seg := roaring.New()
		for _, u := range units {
			for _, c := range u.clauses {
				var cs *roaring.Bitmap
				for _, l := range c {
					bm := roaring.New()
					if pl := lists[si][ids[fieldTerm{l.field, l.term}]]; pl != nil {
						orInto(pl, bm)
					}
					if cs == nil {
						cs = bm
					} else {
						cs.And(bm)
					}
				}
				if cs != nil {
					seg.Or(cs)
				}
			}
		}
		if del := s.Deleted(); del != nil {
			seg.AndNot(del)
		}
		seg.Iterate(func(d uint32) bool {
			out.Add(uint32(bases[si] + uint64(d)))
			return true
		})
	}
	return out, nil
}
