package search

import (
	"fmt"
	"maps"
	"slices"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

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

// segmentsOf groups hits by segment. scorch numbers a snapshot's documents segment
// after segment, each segment counting its deleted documents too.
func segmentsOf(r index.IndexReader, hits []*bsearch.DocumentMatch) (*hitSegments, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("index reader %T is not scorch's", r)
	}
	segs := snap.Segments()
	offsets := make([]uint64, len(segs)+1)
	for i, s := range segs {
		offsets[i+1] = offsets[i] + s.Segment().Count()
	}
	bySeg := map[int]*hitGroup{}
	for i, h := range hits {
		n, ok := docNumber(h.IndexInternalID)
		if !ok {
			return nil, fmt.Errorf("hit %s: internal ID %x", h.ID, h.IndexInternalID)
		}
		si, _ := slices.BinarySearch(offsets, n+1)
		si-- // the segment whose range holds n
		if si < 0 || si >= len(segs) {
			return nil, fmt.Errorf("hit %s: document %d is in no segment", h.ID, n)
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

// loadFields sets each hit's Fields to its stored values of the named fields, as
// bleve's search result would have them: text as strings, a repeated field as a
// list, dates in RFC 3339.
func (s *hitSegments) loadFields(hits []*bsearch.DocumentMatch, names []string) error {
	for _, g := range s.groups {
		for i, num := range g.nums {
			h := hits[g.hits[i]]
			err := g.snap.VisitDocument(num, func(name string, typ byte, val []byte, _ []uint64) bool {
				if !slices.Contains(names, name) {
					return true
				}
				switch typ {
				case 't':
					h.AddFieldValue(name, string(val))
				case 'd':
					if t, layout, err := document.NewDateTimeFieldFromBytes(name, nil, val).DateTime(); err == nil {
						if layout == "" {
							layout = "2006-01-02T15:04:05Z07:00"
						}
						h.AddFieldValue(name, t.Format(layout))
					}
				}
				return true
			})
			if err != nil {
				return fmt.Errorf("%s: stored fields: %w", h.ID, err)
			}
		}
	}
	return nil
}

// externalIDs sets the hits' IDs from their internal IDs.
func externalIDs(r index.IndexReader, hits []*bsearch.DocumentMatch) error {
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
			hits[g.hits[i]].ID = string(id)
		}
	}
	return nil
}
