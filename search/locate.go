package search

import (
	"fmt"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	"qdex/indexer"
)

// The ranked search does not ask bleve for match locations: bleve would decode them
// for every match, which was a third of a search's time, to cut highlights for ten.
// locate reads them afterwards for the page's hits only, straight from the postings
// of the query's terms.

// highlightFields are the fields highlights are cut from (see highlights).
var highlightFields = map[string]bool{
	indexer.FieldQuestion: true, indexer.FieldQuestionExact: true,
	indexer.FieldAnswerExact: true, indexer.FieldCode: true,
}

// locations are what a page's highlights mark: every occurrence of a word the query
// matches on its own, and only the occurrences that make up a phrase for the words it
// matches in phrases (quoted phrases, adjacent pairs).
type locations struct {
	words   map[fieldTerm]bool
	phrases []phraseClause // their boosts unused
}

// planLocations collects the terms of the plan's words, required and optional units
// and pairs in the highlight fields. Exclusions match nothing in a hit.
func planLocations(p *plan) *locations {
	l := &locations{words: map[fieldTerm]bool{}}
	for _, us := range [][]unit{p.words, p.required, p.optional} {
		for _, u := range us {
			l.addUnit(u)
		}
	}
	for _, c := range p.pairs {
		l.addPhrase(c.field, c.slots)
	}
	return l
}

func (l *locations) addUnit(u unit) {
	for _, a := range u.alts {
		if a.slots != nil && highlightFields[a.terms[0].field] {
			l.addPhrase(a.terms[0].field, a.slots)
		} else {
			for _, t := range a.terms {
				if highlightFields[t.field] {
					l.words[fieldTerm{t.field, t.term}] = true
				}
			}
		}
		if ph := a.phrase; ph != nil && highlightFields[ph.field] {
			l.addPhrase(ph.field, ph.slots)
		}
		for _, su := range a.span {
			l.addUnit(su)
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
		l.phrases = append(l.phrases, phraseClause{field: field, slots: slots})
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

// location is where a term is in a field: its position and its bytes.
type location struct{ pos, start, end uint64 }

// locate sets the hits' marks to where l's terms are in them. The terms occ read in
// every hit are taken from there.
func (hs *hitSegments) locate(l *locations, hits []*match, occ occurrences) error {
	// found[hit][field term]: the term's occurrences in the hit.
	found := make([]map[fieldTerm][]location, len(hits))
	add := func(i int, ft fieldTerm, locs []location) {
		if found[i] == nil {
			found[i] = map[fieldTerm][]location{}
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
		h.marks = l.marked(found[i])
	}
	return nil
}

// locationsOf copies the posting's locations, which are valid only while it is.
func locationsOf(p segment.Posting) []location {
	ls := p.Locations()
	locs := make([]location, len(ls))
	for j, v := range ls {
		locs[j] = location{pos: v.Pos(), start: uint64(v.Start()), end: uint64(v.End())}
	}
	return locs
}

// marked turns one hit's occurrences into the locations to mark: every occurrence of
// a word, and the occurrences of a phrase's terms where they make up the phrase.
func (l *locations) marked(found map[fieldTerm][]location) map[fieldTerm][]location {
	out := map[fieldTerm][]location{}
	add := func(ft fieldTerm, loc location) {
		if !slices.Contains(out[ft], loc) {
			out[ft] = append(out[ft], loc)
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
		// The occurrence of slot k's term i at pos, if any.
		at := func(k, i int, pos uint64) (location, bool) {
			for _, loc := range found[fieldTerm{p.field, p.slots[k][i]}] {
				if loc.pos == pos {
					return loc, true
				}
			}
			return location{}, false
		}
		for _, t := range p.slots[0] {
			for _, loc0 := range found[fieldTerm{p.field, t}] {
				run := []fieldTerm{{p.field, t}}
				locs := []location{loc0}
				ok := phraseFrom(p.slots, loc0.pos, func(k, i int, pos uint64) bool {
					loc, ok := at(k, i, pos)
					if ok {
						run = append(run, fieldTerm{p.field, p.slots[k][i]})
						locs = append(locs, loc)
					}
					return ok
				})
				if ok {
					for j, ft := range run {
						add(ft, locs[j])
					}
				}
			}
		}
	}
	return out
}

// phraseFrom reports whether a phrase whose first slot is at pos follows on: whether
// each later slot k has one of its terms at pos+k (a gap, {""}, takes any word).
// at(k, i, p) reports whether slot k's term i is at position p; phraseFrom asks for
// the slot's terms in order and stops at the first that is there.
func phraseFrom(slots [][]string, pos uint64, at func(k, i int, p uint64) bool) bool {
	for k := 1; k < len(slots); k++ {
		if slots[k][0] == "" {
			continue
		}
		found := false
		for i := range slots[k] {
			if at(k, i, pos+uint64(k)) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
