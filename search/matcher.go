package search

import (
	"slices"

	"qdex/indexer"
)

// Matcher finds a query's matches in arbitrary text the way the index finds them in
// a hit: the terms of the query's plan in each highlight field, in the text as that
// field's analyzer reads it, and phrases where their terms follow each other. The
// answer pages mark matches inside rendered HTML text nodes with it, so what a page
// marks is what the hit's highlights mark: the same derivations (forms, completions,
// typo candidates, synonyms), not a second reading of the query.
type Matcher struct {
	ix     *Index
	l      *locations
	terms  map[fieldTerm]bool
	fields []string // the highlight fields with terms, in a fixed order
}

// NewMatcher prepares the matcher for a user query.
func (ix *Index) NewMatcher(q string) *Matcher {
	l := planLocations(ix.plan(Parse(q)))
	m := &Matcher{ix: ix, l: l, terms: map[fieldTerm]bool{}}
	for _, ft := range l.terms() {
		m.terms[ft] = true
		if !slices.Contains(m.fields, ft.field) {
			m.fields = append(m.fields, ft.field)
		}
	}
	slices.Sort(m.fields)
	return m
}

// Empty reports whether the matcher can match nothing.
func (m *Matcher) Empty() bool { return len(m.terms) == 0 }

// Ranges returns the sorted, non-overlapping byte ranges [start, end) of matches in
// text, in any highlight field: for text whose field is not known.
func (m *Matcher) Ranges(text string) [][2]int {
	return m.ranges(text, m.fields)
}

// The fields each kind of text on a page is matched as, as the hits' highlights
// match them (see highlights): a question's text, an answer's prose, its code.
var (
	questionFields = []string{indexer.FieldQuestion, indexer.FieldQuestionExact}
	answerFields   = []string{indexer.FieldAnswerExact}
	codeFields     = []string{indexer.FieldCode}
)

// Question returns the matches in a question's text.
func (m *Matcher) Question(text string) [][2]int { return m.ranges(text, questionFields) }

// Answer returns the matches in an answer's or article's prose.
func (m *Matcher) Answer(text string) [][2]int { return m.ranges(text, answerFields) }

// Code returns the matches in a code block.
func (m *Matcher) Code(text string) [][2]int { return m.ranges(text, codeFields) }

// ranges is Ranges in the fields given.
func (m *Matcher) ranges(text string, fields []string) [][2]int {
	if m.Empty() || text == "" {
		return nil
	}
	found := map[fieldTerm][]location{}
	for _, f := range fields {
		for _, t := range m.ix.analyzerOf(f).Analyze([]byte(text)) {
			if ft := (fieldTerm{f, string(t.Term)}); m.terms[ft] {
				found[ft] = append(found[ft], location{pos: uint64(t.Position), start: uint64(t.Start), end: uint64(t.End)})
			}
		}
	}
	var rs []byteRange
	for _, locs := range m.l.marked(found) {
		for _, l := range locs {
			rs = append(rs, byteRange{int(l.start), int(l.end)})
		}
	}
	merged := mergeRanges(rs)
	out := make([][2]int, len(merged))
	for i, r := range merged {
		out[i] = [2]int{r.start, r.end}
	}
	return out
}
