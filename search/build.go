package search

import (
	"slices"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"qdex/indexer"
)

// Boosts: the question outweighs the answer, the answer the code; an exact word beats
// its stem, a stem beats a prefix, a prefix beats a typo.
const (
	boostQuestionExact = 6
	boostQuestion      = 4
	boostContextExact  = 2
	boostContext       = 1.5
	boostAnswerExact   = 3
	boostAnswer        = 2
	boostCode          = 1.5

	// An unfinished word's completions weigh half an exact word, field by field,
	// and an unknown word's typo candidates a third: question 6 > 4 > 3 > 2.
	boostPrefixQuestion = boostQuestionExact / 2.0
	boostPrefixAnswer   = boostAnswerExact / 2.0
	boostPrefixCode     = boostCode / 2.0

	boostFuzzyQuestion = boostQuestionExact / 3.0
	boostFuzzyAnswer   = boostAnswerExact / 3.0
	boostFuzzyCode     = boostCode / 3.0

	boostStopQuestion = 0.5

	boostPairQuestion = 4
	boostPairAnswer   = 1.5
	boostPhrase       = 1
)

// minFuzzyLen and minFuzzy2Len are the word lengths (in letters) from which a typo of
// one and of two edits is forgiven.
const (
	minFuzzyLen  = 5
	minFuzzy2Len = 9
	// minPrefixLen is the shortest unfinished word expanded as a prefix.
	minPrefixLen = 2
	// maxTypoCandidates bounds the words a typo expands to.
	maxTypoCandidates = 8
	// maxCompletions bounds the words an unfinished word expands to.
	maxCompletions = 30
	// maxForms bounds the forms of a word (sharing its stem) matched in answers.
	maxForms = 16
)

// plan is a parsed query turned into the pieces of a bleve query.
type plan struct {
	units   []query.Query // one per word or synonym span; all must match
	should  []query.Query // optional, for score: stop words
	pairs   []pairClause  // adjacent words, scored on the best hits only (rerank)
	must    []query.Query // phrases and code-only words
	mustNot []query.Query
}

func (ix *Index) plan(q Query) *plan {
	p := &plan{}
	x := &expander{ix: ix, memo: map[string]expansion{}}
	typed := ix.splitWords(q.Words)
	words, stops := ix.contentWords(typed)
	lastIdx := len(typed) - 1
	// Stop words are not required, but a document whose question has them scores a
	// little more (they matter in "unknown vs any" or "write through"). Not in answers
	// and code, where nearly every document has them: the clauses cost a quarter of
	// the time of a natural-language query there and changed no ranking.
	for _, w := range stops {
		p.should = append(p.should,
			matchAll(w.text, indexer.FieldQuestionExact, boostStopQuestion))
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		// A multi-word synonym starting here (global interpreter lock → gil)?
		if n, group := ix.synonymSpan(words, i); n > 0 {
			span := words[i : i+n]
			alts := []query.Query{}
			var conj []query.Query
			for _, sw := range span {
				conj = append(conj, ix.wordQuery(sw.text, x.expand(sw.text, q.Prefix && sw.index == lastIdx)))
			}
			alts = append(alts, query.NewConjunctionQuery(conj))
			for _, t := range group {
				if t != strings.ToLower(joinWords(span)) {
					alts = append(alts, ix.termAlternative(t, x))
				}
			}
			p.units = append(p.units, newSum(alts...))
			i += n - 1
			continue
		}
		unit := ix.wordQuery(w.text, x.expand(w.text, q.Prefix && w.index == lastIdx))
		if group, ok := ix.synonyms[strings.ToLower(w.text)]; ok {
			alts := []query.Query{unit}
			for _, t := range group {
				if t != strings.ToLower(w.text) {
					alts = append(alts, ix.termAlternative(t, x))
				}
			}
			unit = newSum(alts...)
		}
		p.units = append(p.units, unit)
	}
	// Words next to each other in the query score more where they are next to each
	// other in the text (see rerank).
	all := mergeWords(words, stops)
	for i := 0; i+1 < len(all); i++ {
		if all[i].stop && all[i+1].stop {
			continue
		}
		a, as := ix.pairTerms(all[i].text, x.expand(all[i].text, q.Prefix && all[i].index == lastIdx))
		b, bs := ix.pairTerms(all[i+1].text, x.expand(all[i+1].text, q.Prefix && all[i+1].index == lastIdx))
		if a == nil || b == nil {
			// An identifier of several words: its own words make the phrase.
			pair := all[i].text + " " + all[i+1].text
			for _, f := range []struct {
				field string
				boost float64
			}{{indexer.FieldQuestionExact, boostPairQuestion}, {indexer.FieldAnswerExact, boostPairAnswer}} {
				if slots := slotsOf(ix.exact.Analyze([]byte(pair))); len(slots) > 1 {
					p.pairs = append(p.pairs, pairClause{field: f.field, slots: slots, boost: f.boost})
				}
			}
			continue
		}
		// In the question, the pair also stands for the words an unfinished or misspelt
		// word expands to; in answers, long enough for that to be costly, only for the
		// words as typed.
		p.pairs = append(p.pairs,
			pairClause{field: indexer.FieldQuestionExact, slots: [][]string{a, b}, scales: [][]float64{as, bs}, boost: boostPairQuestion},
			pairClause{field: indexer.FieldAnswerExact, slots: [][]string{a[:1], b[:1]}, boost: boostPairAnswer})
	}
	for _, ph := range q.Phrases {
		p.must = append(p.must, newSum(
			ix.phrase(ph, indexer.FieldQuestionExact, boostQuestionExact*boostPhrase),
			ix.phrase(ph, indexer.FieldAnswerExact, boostAnswerExact*boostPhrase),
			ix.phrase(ph, indexer.FieldContextExact, boostContextExact*boostPhrase),
			ix.phrase(ph, indexer.FieldCode, boostCode*boostPhrase),
		))
	}
	for i, w := range q.CodeWords {
		prefix := q.Prefix && i == len(q.CodeWords)-1 && len(q.Words) == 0
		alts := []query.Query{matchAll(w, indexer.FieldCode, boostCode)}
		if prefix && utf8.RuneCountInString(w) >= minPrefixLen {
			if cs := ix.vocabulary().completions(strings.ToLower(w), maxCompletions); len(cs) > 0 {
				alts = append(alts, anyTerm(cs, indexer.FieldCode, boostPrefixCode))
			}
		}
		p.must = append(p.must, newSum(alts...))
	}
	for _, ph := range q.CodePhrases {
		// A phrase of nothing searchable matches nothing, as bleve's would.
		p.must = append(p.must, newSum(ix.phrase(ph, indexer.FieldCode, boostCode)))
	}
	for _, w := range append(append([]string{}, q.NotWords...), q.NotPhrases...) {
		for _, f := range []string{indexer.FieldQuestion, indexer.FieldAnswerExact, indexer.FieldCode} {
			if q := ix.phrase(w, f, 1); q != nil {
				p.mustNot = append(p.mustNot, q)
			}
		}
		if forms, _ := ix.vocabulary().forms(strings.ToLower(w), maxForms); len(forms) > 0 {
			p.mustNot = append(p.mustNot, anyTerm(forms, indexer.FieldAnswerExact, 1))
		}
	}
	return p
}

// pairTerms lists the terms one word of an adjacent pair may be in the text, with
// their weights: the word first, then the words it stands for when it is unfinished
// or a typo, weighed as in the word's own clauses; nil when the word analyses to
// several terms.
func (ix *Index) pairTerms(w string, e expansion) ([]string, []float64) {
	toks := ix.exact.Analyze([]byte(w))
	if len(toks) != 1 {
		return nil, nil
	}
	lower := string(toks[0].Term)
	terms, scales := []string{lower}, []float64{1}
	for _, c := range e.completions {
		if c != lower {
			terms = append(terms, c)
			scales = append(scales, boostPrefixQuestion/boostQuestionExact)
		}
	}
	for _, c := range e.typos {
		terms = append(terms, c)
		scales = append(scales, boostFuzzyQuestion/boostQuestionExact)
	}
	return terms, scales
}

// splitWords cuts typed words where the index's tokenizer would (write-through →
// write, through), keeping identifiers such as asyncio.gather whole.
func (ix *Index) splitWords(words []string) []string {
	da, ok := ix.exact.(*analysis.DefaultAnalyzer)
	if !ok {
		return words
	}
	var out []string
	for _, w := range words {
		toks := da.Tokenizer.Tokenize([]byte(w))
		if len(toks) == 1 && toks[0].Start == 0 && toks[0].End == len(w) {
			out = append(out, w)
			continue
		}
		for _, t := range toks {
			out = append(out, w[t.Start:t.End])
		}
	}
	return out
}

type queryWord struct {
	text  string
	index int  // position among the typed words
	stop  bool // a stop word
}

// mergeWords puts content and stop words back in typed order.
func mergeWords(a, b []queryWord) []queryWord {
	out := append(append([]queryWord{}, a...), b...)
	sort.Slice(out, func(i, j int) bool { return out[i].index < out[j].index })
	return out
}

// contentWords splits the typed words into content words and stop words (words the
// prose analyzer removes). When every word is a stop word, they all count as content.
// Words that analyse to nothing at all (punctuation) are dropped.
func (ix *Index) contentWords(words []string) (content, stops []queryWord) {
	for i, w := range words {
		if len(ix.exact.Analyze([]byte(w))) == 0 {
			continue
		}
		if len(ix.text.Analyze([]byte(w))) > 0 && !connectives[strings.ToLower(w)] {
			content = append(content, queryWord{text: w, index: i})
		} else {
			stops = append(stops, queryWord{text: w, index: i, stop: true})
		}
	}
	if len(content) == 0 {
		for i := range stops {
			stops[i].stop = false
		}
		return stops, nil
	}
	// In a question typed as a sentence, the words that say what kind of question it
	// is (use, work, happen, difference…) are optional too.
	var kept, filler []queryWord
	for _, w := range content {
		if questionFiller[strings.ToLower(w.text)] {
			w.stop = true
			filler = append(filler, w)
		} else {
			kept = append(kept, w)
		}
	}
	if len(filler) == 0 || len(kept) < minWordsForFiller {
		return content, stops
	}
	stops = append(stops, filler...)
	slices.SortFunc(stops, func(a, b queryWord) int { return a.index - b.index })
	return kept, stops
}

// connectives join the subjects of a query without being one ("unknown vs any" asks
// what "the difference between unknown and any" answers): optional, like stop words.
var connectives = map[string]bool{"vs": true, "versus": true}

// minWordsForFiller is how many other content words a query needs before its filler
// words become optional.
const minWordsForFiller = 3

// questionFiller are words of English questions that rarely name the subject.
var questionFiller = map[string]bool{
	"use": true, "used": true, "using": true, "work": true, "works": true, "working": true,
	"happen": true, "happens": true, "mean": true, "means": true, "get": true, "gets": true,
	"make": true, "makes": true, "way": true, "ways": true, "best": true, "good": true,
	"need": true, "want": true, "difference": true, "differences": true, "thing": true,
	"things": true, "keep": true, "keeps": true, "really": true, "actually": true,
}

// wordQuery matches one typed word: exactly, by stem, and by its expansions (as a
// prefix, with typos).
func (ix *Index) wordQuery(w string, e expansion) query.Query {
	textOK := len(ix.text.Analyze([]byte(w))) > 0
	alts := []query.Query{
		ix.matchWord(w, indexer.FieldQuestionExact, boostQuestionExact),
		ix.matchWord(w, indexer.FieldContextExact, boostContextExact),
		ix.matchWord(w, indexer.FieldAnswerExact, boostAnswerExact),
		ix.matchWord(w, indexer.FieldCode, boostCode),
	}
	if textOK {
		alts = append(alts,
			ix.matchWord(w, indexer.FieldQuestion, boostQuestion),
			ix.matchWord(w, indexer.FieldContext, boostContext))
		// Answers are indexed unstemmed: the word's stem is matched there as the
		// index's words that share it, each weighed as the stem would be.
		if len(e.forms) > 0 {
			forms := make([]query.Query, len(e.forms))
			for i, f := range e.forms {
				forms[i] = term(f, indexer.FieldAnswerExact, boostAnswer*e.formScales[i])
			}
			alts = append(alts, newSum(forms...))
		}
	}
	// Expansions weigh less than the word as typed, field by field.
	if cs := e.completions; len(cs) > 0 {
		alts = append(alts,
			anyTerm(cs, indexer.FieldQuestionExact, boostPrefixQuestion),
			anyTerm(cs, indexer.FieldAnswerExact, boostPrefixAnswer),
			anyTerm(cs, indexer.FieldCode, boostPrefixCode))
	}
	if cs := e.typos; len(cs) > 0 {
		alts = append(alts,
			anyTerm(cs, indexer.FieldQuestionExact, boostFuzzyQuestion),
			anyTerm(cs, indexer.FieldAnswerExact, boostFuzzyAnswer),
			anyTerm(cs, indexer.FieldCode, boostFuzzyCode))
	}
	return newSum(alts...)
}

// expansion is what a typed word stands for besides itself.
type expansion struct {
	completions []string // unfinished: its most frequent completions
	typos       []string // unknown to the index: the index's words within reach
	forms       []string // the index's words with its stem, for the answer field
	formScales  []float64
}

// expand finds a word's expansions; prefix says it is still being typed.
func (ix *Index) expand(w string, prefix bool) expansion {
	var e expansion
	lower := strings.ToLower(w)
	if prefix && utf8.RuneCountInString(lower) >= minPrefixLen && isWordy(lower) {
		// The unfinished word stands for its most frequent completions in the index:
		// a short prefix could expand to thousands of terms per field.
		e.completions = ix.vocabulary().completions(lower, maxCompletions)
	}
	// A word the index knows is taken as typed; only unknown words may be typos, and
	// they match the index's words within reach (found in memory: cheaper than a
	// Levenshtein automaton per field and query).
	if f := fuzziness(w); f > 0 {
		e.typos = ix.typoCandidates(lower, f)
	}
	e.forms, e.formScales = ix.vocabulary().forms(lower, maxForms)
	return e
}

// expander memoises expand for the words of one query, which the word clauses and
// the adjacent pairs both need.
type expander struct {
	ix   *Index
	memo map[string]expansion
}

func (x *expander) expand(w string, prefix bool) expansion {
	key := w
	if prefix {
		key += "\x00"
	}
	e, ok := x.memo[key]
	if !ok {
		e = x.ix.expand(w, prefix)
		x.memo[key] = e
	}
	return e
}

// typoCandidates returns the index's words that an unknown word of f forgiven edits
// stands for; a known word stands for itself only.
func (ix *Index) typoCandidates(lower string, f int) []string {
	if ix.vocabulary().known(lower) {
		return nil
	}
	return ix.vocabulary().near(lower, f, maxTypoCandidates, nil)
}

// termAlternative matches a synonym: a phrase on the prose fields, or a word.
func (ix *Index) termAlternative(t string, x *expander) query.Query {
	if !strings.Contains(t, " ") {
		return ix.wordQuery(t, x.expand(t, false))
	}
	return newSum(
		ix.phrase(t, indexer.FieldQuestionExact, boostQuestionExact),
		ix.phrase(t, indexer.FieldContextExact, boostContextExact),
		ix.phrase(t, indexer.FieldAnswerExact, boostAnswerExact),
	)
}

// synonymSpan finds a multi-word synonym term made of words[i:i+n].
func (ix *Index) synonymSpan(words []queryWord, i int) (int, []string) {
	for n := min(4, len(words)-i); n >= 2; n-- {
		if g, ok := ix.synonyms[strings.ToLower(joinWords(words[i:i+n]))]; ok {
			return n, g
		}
	}
	return 0, nil
}

func joinWords(ws []queryWord) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.text
	}
	return strings.Join(parts, " ")
}

// fuzziness is the number of typos forgiven in w, by its count of letters: none for
// short words, and none for numbers and identifiers with digits (utf8, sha256, k8s),
// whose every character matters. Identifiers without digits (asyncio.gather,
// useEffect) are forgiven like words.
func fuzziness(w string) int {
	n := 0
	for _, r := range w {
		switch {
		case unicode.IsDigit(r):
			return 0
		case unicode.IsLetter(r):
			n++
		case r == '.' || r == '_' || r == '-':
		default:
			return 0
		}
	}
	switch {
	case n >= minFuzzy2Len:
		return 2
	case n >= minFuzzyLen:
		return 1
	}
	return 0
}

// isWordy reports whether w holds a letter or digit (a prefix of punctuation would
// match everything).
func isWordy(w string) bool {
	return strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0
}

// anyTerm matches any of the terms in the field, each at the boost (bleve ignores the
// boost of a compound query).
func anyTerm(terms []string, field string, boost float64) query.Query {
	qs := make([]query.Query, len(terms))
	for i, t := range terms {
		qs[i] = term(t, field, boost)
	}
	return newSum(qs...)
}

func term(t, field string, boost float64) query.Query {
	q := query.NewTermQuery(t)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// matchWord matches a typed word in the field: as a term when it analyses to one
// (so that newSum can merge it with the word's expansions), else as all its terms;
// nil when it analyses to none.
func (ix *Index) matchWord(w, field string, boost float64) query.Query {
	toks := ix.analyzerOf(field).Analyze([]byte(w))
	switch len(toks) {
	case 0:
		return nil
	case 1:
		return term(string(toks[0].Term), field, boost)
	}
	return matchAll(w, field, boost)
}

func matchAll(text, field string, boost float64) query.Query {
	q := query.NewMatchQuery(text)
	q.SetField(field)
	q.SetOperator(query.MatchQueryOperatorAnd)
	q.SetBoost(boost)
	return q
}
