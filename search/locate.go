package search

import (
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"qdex/indexer"
)

// The ranked search does not ask bleve for match locations: bleve would decode them
// for every match, which was a third of a search's time, to cut highlights for ten.
// locate reads them afterwards for the page's hits only, straight from the postings
// of the query's terms.

// reader is a reader of the open index, which does not change: the internal IDs of
// one search's hits hold for another reader.
func (ix *Index) reader() (index.IndexReader, error) {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// highlightFields are the fields highlights are cut from (see highlights).
var highlightFields = map[string]bool{
	indexer.FieldQuestion: true, indexer.FieldQuestionExact: true,
	indexer.FieldAnswerExact: true, indexer.FieldCode: true,
}

type fieldTerm struct{ field, term string }

// phrase is a sequence of positions, each any of its terms ("" for any word).
type phrase struct {
	field string
	slots [][]string
}

// locations are what a page's highlights mark: every occurrence of a word the query
// matches on its own, and only the occurrences that make up a phrase for the words it
// matches in phrases (quoted phrases, adjacent pairs).
type locations struct {
	words   map[fieldTerm]bool
	phrases []phrase
}

// planLocations collects the terms of the plan's required and optional clauses in the
// highlight fields. Exclusions match nothing in a hit.
func (ix *Index) planLocations(p *plan) *locations {
	l := &locations{words: map[fieldTerm]bool{}}
	for _, qs := range [][]query.Query{p.units, p.must, p.should} {
		for _, q := range qs {
			ix.collectLocations(q, l)
		}
	}
	for _, c := range p.pairs {
		l.addPhrase(c.field, c.slots)
	}
	return l
}

func (ix *Index) collectLocations(q query.Query, l *locations) {
	switch q := q.(type) {
	case *sumQuery:
		for _, c := range q.clauses {
			ix.collectLocations(c, l)
		}
	case *query.ConjunctionQuery:
		for _, c := range q.Conjuncts {
			ix.collectLocations(c, l)
		}
	case *query.DisjunctionQuery:
		for _, c := range q.Disjuncts {
			ix.collectLocations(c, l)
		}
	case *query.BooleanQuery:
		for _, c := range []query.Query{q.Must, q.Should} {
			if c != nil {
				ix.collectLocations(c, l)
			}
		}
	case *query.TermQuery:
		if highlightFields[q.FieldVal] {
			l.words[fieldTerm{q.FieldVal, q.Term}] = true
		}
	case *query.MatchQuery:
		if highlightFields[q.FieldVal] {
			for _, t := range ix.analyzerOf(q.FieldVal).Analyze([]byte(q.Match)) {
				l.words[fieldTerm{q.FieldVal, string(t.Term)}] = true
			}
		}
	case *query.MatchPhraseQuery:
		if highlightFields[q.FieldVal] {
			l.addPhrase(q.FieldVal, slotsOf(ix.analyzerOf(q.FieldVal).Analyze([]byte(q.MatchPhrase))))
		}
	case *phraseQuery:
		if highlightFields[q.field] {
			l.addPhrase(q.field, q.slots)
		}
	case *query.MultiPhraseQuery:
		if highlightFields[q.FieldVal] {
			l.addPhrase(q.FieldVal, q.Terms)
		}
	}
}

func (l *locations) addPhrase(field string, slots [][]string) {
	switch len(slots) {
	case 0:
	case 1:
		for _, t := range slots[0] {
			l.words[fieldTerm{field, t}] = true
		}
	default:
		l.phrases = append(l.phrases, phrase{field, slots})
	}
}

// slotsOf groups analysed tokens by position, as bleve's phrase query does; a
// position no token has (a removed stop word) matches any word.
func slotsOf(toks analysis.TokenStream) [][]string {
	if len(toks) == 0 {
		return nil
	}
	first := toks[0].Position
	var slots [][]string
	for _, t := range toks {
		i := t.Position - first
		for len(slots) <= i {
			slots = append(slots, nil)
		}
		slots[i] = append(slots[i], string(t.Term))
	}
	for i, s := range slots {
		if s == nil {
			slots[i] = []string{""}
		}
	}
	return slots
}

func (ix *Index) analyzerOf(field string) analysis.Analyzer {
	switch field {
	case indexer.FieldQuestion, indexer.FieldContext:
		return ix.text
	case indexer.FieldCode:
		return ix.code
	}
	return ix.exact
}

// terms lists every term to read, once.
func (l *locations) terms() []fieldTerm {
	seen := map[fieldTerm]bool{}
	var out []fieldTerm
	add := func(ft fieldTerm) {
		if ft.term != "" && !seen[ft] {
			seen[ft] = true
			out = append(out, ft)
		}
	}
	for ft := range l.words {
		add(ft)
	}
	for _, p := range l.phrases {
		for _, s := range p.slots {
			for _, t := range s {
				add(fieldTerm{p.field, t})
			}
		}
	}
	return out
}

// locate sets the hits' Locations to where l's terms are in them. The terms occ read
// in every hit are taken from there.
func (ix *Index) locate(hs *hitSegments, l *locations, hits []*bsearch.DocumentMatch, occ occurrences) error {
	// found[hit][field term]: the term's occurrences in the hit.
	found := make([]map[fieldTerm][]*bsearch.Location, len(hits))
	add := func(i int, ft fieldTerm, locs []*bsearch.Location) {
		if found[i] == nil {
			found[i] = map[fieldTerm][]*bsearch.Location{}
		}
		found[i][ft] = locs
	}
	byField := map[string][]string{}
	for _, ft := range l.terms() {
		if !occ.has(hits, ft) {
			byField[ft.field] = append(byField[ft.field], ft.term)
			continue
		}
		for i, h := range hits {
			if td := occ[h].found[ft]; td != nil {
				add(i, ft, td.locs)
			}
		}
	}
	for field, terms := range byField {
		err := hs.postings(field, terms, func(i, ti int, p segment.Posting) {
			add(i, fieldTerm{field, terms[ti]}, locationsOf(p))
		})
		if err != nil {
			return fmt.Errorf("locations in %s: %w", field, err)
		}
	}
	for i, h := range hits {
		h.Locations = l.marked(found[i])
	}
	return nil
}

// locationsOf copies the posting's locations, which are valid only while it is.
func locationsOf(p segment.Posting) []*bsearch.Location {
	ls := p.Locations()
	locs := make([]*bsearch.Location, len(ls))
	for j, v := range ls {
		locs[j] = &bsearch.Location{Pos: v.Pos(), Start: v.Start(), End: v.End()}
	}
	return locs
}

// marked turns one hit's occurrences into the locations to mark.
func (l *locations) marked(found map[fieldTerm][]*bsearch.Location) bsearch.FieldTermLocationMap {
	out := bsearch.FieldTermLocationMap{}
	add := func(ft fieldTerm, loc *bsearch.Location) {
		if out[ft.field] == nil {
			out[ft.field] = bsearch.TermLocationMap{}
		}
		if !slices.Contains(out[ft.field][ft.term], loc) {
			out[ft.field][ft.term] = append(out[ft.field][ft.term], loc)
		}
	}
	for ft, locs := range found {
		if l.words[ft] {
			for _, loc := range locs {
				add(ft, loc)
			}
		}
	}
	for _, p := range l.phrases {
		// at[pos] lists the slot-0 occurrences by position: a phrase starts there
		// when every later slot has one of its terms at the following positions.
		at := func(slot, pos uint64) (fieldTerm, *bsearch.Location) {
			for _, t := range p.slots[slot] {
				ft := fieldTerm{p.field, t}
				for _, loc := range found[ft] {
					if loc.Pos == pos {
						return ft, loc
					}
				}
			}
			return fieldTerm{}, nil
		}
		for _, t := range p.slots[0] {
			ft0 := fieldTerm{p.field, t}
			for _, loc0 := range found[ft0] {
				type hit struct {
					ft  fieldTerm
					loc *bsearch.Location
				}
				run := []hit{{ft0, loc0}}
				ok := true
				for k := 1; k < len(p.slots); k++ {
					if p.slots[k][0] == "" {
						continue
					}
					ft, loc := at(uint64(k), loc0.Pos+uint64(k))
					if loc == nil {
						ok = false
						break
					}
					run = append(run, hit{ft, loc})
				}
				if ok {
					for _, h := range run {
						add(h.ft, h.loc)
					}
				}
			}
		}
	}
	return out
}
