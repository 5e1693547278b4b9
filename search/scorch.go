package search

import (
	"encoding/binary"
	"fmt"
	"maps"
	"slices"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// Everything qdex reads from bleve below its public API is here: the scorch snapshot
// behind an index reader, its document numbers, and the zap segments' dictionaries
// and postings. A bleve upgrade has this file to read.

// reader is a reader of the open index, which does not change: the document numbers
// of one search's hits hold for another reader.
func (ix *Index) reader() (index.IndexReader, error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// snapshotOf is the scorch snapshot behind a reader, nil for another kind of index.
func snapshotOf(r index.IndexReader) *scorch.IndexSnapshot {
	snap, _ := r.(*scorch.IndexSnapshot)
	return snap
}

// docNumber decodes scorch's internal document ID: the document's number in the
// snapshot, big-endian. scorch numbers a snapshot's documents segment after segment,
// each segment counting its deleted documents too.
func docNumber(id index.IndexInternalID) (uint64, bool) {
	if len(id) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(id), true
}

// zapSegments lists the reader's segments, for advising the kernel about them; none
// for an index that is not scorch's.
func zapSegments(r index.IndexReader) []segment.Segment {
	snap := snapshotOf(r)
	if snap == nil {
		return nil
	}
	var segs []segment.Segment
	for _, s := range snap.Segments() {
		segs = append(segs, s.Segment())
	}
	return segs
}

// segmentPostings looks each term up in every segment of the snapshot: lists[s][t] is
// term t's postings in segment s without its deleted documents (nil where the term is
// not), and df[t] the term's document frequency over the snapshot.
func segmentPostings(snap *scorch.IndexSnapshot, terms []fieldTerm) (lists [][]segment.PostingsList, df []uint64, err error) {
	segs := snap.Segments()
	lists = make([][]segment.PostingsList, len(segs))
	df = make([]uint64, len(terms))
	for si, s := range segs {
		lists[si] = make([]segment.PostingsList, len(terms))
		dicts := map[string]segment.TermDictionary{}
		for ti, ft := range terms {
			dict, ok := dicts[ft.field]
			if !ok {
				if dict, err = s.Segment().Dictionary(ft.field); err != nil {
					return nil, nil, err
				}
				dicts[ft.field] = dict
			}
			if dict == nil {
				continue
			}
			pl, err := dict.PostingsList([]byte(ft.term), s.Deleted(), nil)
			if err != nil {
				return nil, nil, err
			}
			if pl != nil && pl.Count() > 0 {
				lists[si][ti] = pl
				df[ti] += pl.Count()
			}
		}
	}
	return lists, df, nil
}

// segmentBases are the snapshot's document numbers at which each segment starts, and
// the total after the last.
func segmentBases(snap *scorch.IndexSnapshot) []uint64 {
	segs := snap.Segments()
	bases := make([]uint64, len(segs)+1)
	for i, s := range segs {
		bases[i+1] = bases[i] + s.Segment().Count()
	}
	return bases
}

// termLists are the postings lists a direct evaluation looked up, by segment and term.
// rerank and the highlights read some of the same terms in a few hits: they need not
// look them up in the segments' dictionaries again.
type termLists struct {
	segs  map[*scorch.SegmentSnapshot]int
	ids   map[fieldTerm]int
	lists [][]segment.PostingsList // by segment and term; nil where the term is not
}

func newTermLists(snap *scorch.IndexSnapshot, ids map[fieldTerm]int, lists [][]segment.PostingsList) *termLists {
	t := &termLists{segs: map[*scorch.SegmentSnapshot]int{}, ids: ids, lists: lists}
	for si, s := range snap.Segments() {
		if s.Deleted() == nil {
			t.segs[s] = si
		}
	}
	return t
}

// get returns the term's postings list in the segment (nil if it is not there), and
// whether it is known. Segments with deletions are not: their lists leave the deleted
// documents out, which costs each iterator a copy of the list's bitmap.
func (t *termLists) get(s *scorch.SegmentSnapshot, ft fieldTerm) (segment.PostingsList, bool) {
	if t == nil {
		return nil, false
	}
	si, ok := t.segs[s]
	if !ok {
		return nil, false
	}
	id, ok := t.ids[ft]
	if !ok {
		return nil, false
	}
	return t.lists[si][id], true
}

// A page's hits are a handful of documents in a few of the index's segments. bleve's
// readers look a term up in every segment, and a document up by its external ID; the
// page's highlights and stored fields need neither, so they are read segment by
// segment from the hits' internal IDs.

// hitSegments are the hits grouped by the segment they are in.
type hitSegments struct {
	groups []hitGroup
	known  *termLists // lists already looked up, if any
}

type hitGroup struct {
	snap *scorch.SegmentSnapshot
	hits []int    // indexes of the hits in this segment, by local number
	nums []uint64 // their document numbers in the segment, ascending
}

// segmentsOf groups hits by segment.
func segmentsOf(r index.IndexReader, hits []*match) (*hitSegments, error) {
	snap := snapshotOf(r)
	if snap == nil {
		return nil, fmt.Errorf("index reader %T is not scorch's", r)
	}
	segs := snap.Segments()
	offsets := segmentBases(snap)
	bySeg := map[int]*hitGroup{}
	for i, h := range hits {
		n := h.doc
		si, _ := slices.BinarySearch(offsets, n+1)
		si-- // the segment whose range holds n
		if si < 0 || si >= len(segs) {
			return nil, fmt.Errorf("hit %s: document %d is in no segment", h.id, n)
		}
		g := bySeg[si]
		if g == nil {
			g = &hitGroup{snap: segs[si]}
			bySeg[si] = g
		}
		g.hits = append(g.hits, i)
		g.nums = append(g.nums, n-offsets[si])
	}
	out := &hitSegments{}
	for _, si := range slices.Sorted(maps.Keys(bySeg)) {
		g := bySeg[si]
		order := make([]int, len(g.hits))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return int(g.nums[a]) - int(g.nums[b]) })
		sorted := hitGroup{snap: g.snap}
		for _, o := range order {
			sorted.hits = append(sorted.hits, g.hits[o])
			sorted.nums = append(sorted.nums, g.nums[o])
		}
		out.groups = append(out.groups, sorted)
	}
	return out, nil
}

// postings calls visit with each hit that has one of the terms in the field, the
// term's index in terms, and its posting (valid only during the call). A segment's
// dictionary of the field is read once for the terms not already known.
func (s *hitSegments) postings(field string, terms []string, visit func(hit, term int, p segment.Posting)) error {
	for _, g := range s.groups {
		var dict segment.TermDictionary
		var err error
		var pl, scratch segment.PostingsList
		var it segment.PostingsIterator
		for ti, term := range terms {
			var known bool
			if pl, known = s.known.get(g.snap, fieldTerm{field, term}); !known {
				if dict == nil {
					d, err := g.snap.Segment().Dictionary(field)
					if err != nil {
						return err
					}
					if d == nil {
						break
					}
					dict = d
				}
				if scratch, err = dict.PostingsList([]byte(term), nil, scratch); err != nil {
					return err
				}
				pl = scratch
			}
			if pl == nil || pl.Count() == 0 {
				continue
			}
			it = pl.Iterator(true, true, true, it)
			var p segment.Posting
			for i, num := range g.nums {
				if p == nil || p.Number() < num {
					if p, err = it.Advance(num); err != nil {
						return err
					}
					if p == nil {
						break
					}
				}
				if p.Number() == num {
					visit(g.hits[i], ti, p)
				}
			}
		}
	}
	return nil
}

// loadFields sets each hit's fields to its stored values of the named fields, as
// bleve's search result would have them: text as strings, a repeated field as a
// list, dates in RFC 3339.
func (s *hitSegments) loadFields(hits []*match, names []string) error {
	for _, g := range s.groups {
		for i, num := range g.nums {
			h := hits[g.hits[i]]
			err := g.snap.VisitDocument(num, func(name string, typ byte, val []byte, _ []uint64) bool {
				if !slices.Contains(names, name) {
					return true
				}
				switch typ {
				case 't':
					h.addField(name, string(val))
				case 'd':
					if t, layout, err := document.NewDateTimeFieldFromBytes(name, nil, val).DateTime(); err == nil {
						if layout == "" {
							layout = "2006-01-02T15:04:05Z07:00"
						}
						h.addField(name, t.Format(layout))
					}
				}
				return true
			})
			if err != nil {
				return fmt.Errorf("%s: stored fields: %w", h.id, err)
			}
		}
	}
	return nil
}

// externalIDs sets the hits' IDs from their internal IDs.
func externalIDs(r index.IndexReader, hits []*match) error {
	if len(hits) == 0 {
		return nil
	}
	hs, err := segmentsOf(r, hits)
	if err != nil {
		return err
	}
	for _, g := range hs.groups {
		for i, num := range g.nums {
			id, err := g.snap.DocID(num)
			if err != nil {
				return fmt.Errorf("document %d: %w", num, err)
			}
			hits[g.hits[i]].id = string(id)
		}
	}
	return nil
}
