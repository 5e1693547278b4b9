package search

import (
	"slices"
	"sort"
	"strings"

	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

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

// The plan of a query is qdex's own: every word with what it stands for (its forms,
// completions, typo candidates, synonyms), as the weighted terms of the fields they
// are matched in. The direct evaluation scores it, compile turns it into bleve
// queries for what bleve still serves, rerank adds its pairs, and the hits'
// highlights and the answer pages' marks read their terms from it.

// fieldTerm is a term of a field of the index.
type fieldTerm struct{ field, term string }

// leaf is one term of one field at a boost: what the index scores.
type leaf struct {
	field, term string
	boost       float64
}

// clause matches the documents with every one of its leaves (one term, or the terms
// a word analyses to in a field) and scores the sum of theirs.
type clause []leaf

// phraseClause matches the documents whose field has a term of each slot at
// consecutive positions ({""} for any word), scored as the sum of those terms.
type phraseClause struct {
	field string
	slots [][]string
	boost float64
}

// alternative is one way a unit matches: a clause of terms, a phrase, or, for a
// multi-word synonym, the span's words each matched as a unit of its own.
type alternative struct {
	terms  clause
	phrase *phraseClause
	span   []unit
	// slots are the positions of a clause of several terms (an identifier and its
	// parts): the highlights mark its terms only where they make up the word.
	slots [][]string
}

// unit matches the documents any of its alternatives match and scores the sum of
// those it matches. A coordinated unit (a filter's values) scales that sum by the
// share of alternatives matched, as bleve's disjunction does.
type unit struct {
	alts        []alternative
	coordinated bool
}

// termsOnly reports whether every alternative is a clause of terms: what the direct
// evaluation reads.
func (u unit) termsOnly() bool {
	for _, a := range u.alts {
		if a.terms == nil {
			return false
		}
	}
	return true
}

// unitBuilder assembles a unit from alternatives and other units. A unit added is
// flattened into it, and single terms on the same field and term become one at the
// sum of their boosts (a term's score is proportional to its boost): a word's exact
// form, its stem's forms, its completions and typo candidates often name the same
// term, and each alternative reads its postings.
type unitBuilder struct {
	u     unit
	terms map[fieldTerm]int // single-term alternatives by field and term
}

func (b *unitBuilder) add(a alternative) {
	if len(a.terms) == 1 {
		l := a.terms[0]
		ft := fieldTerm{l.field, l.term}
		if i, ok := b.terms[ft]; ok {
			b.u.alts[i].terms[0].boost += l.boost
			return
		}
		if b.terms == nil {
			b.terms = map[fieldTerm]int{}
		}
		b.terms[ft] = len(b.u.alts)
		a = alternative{terms: clause{l}}
	}
	b.u.alts = append(b.u.alts, a)
}

func (b *unitBuilder) addUnit(u unit) {
	for _, a := range u.alts {
		b.add(a)
	}
}

// keep adds u's alternatives as they are, merged with none.
func (b *unitBuilder) keep(u unit) {
	b.u.alts = append(b.u.alts, u.alts...)
}

func (b *unitBuilder) addTerm(t, field string, boost float64) {
	b.add(alternative{terms: clause{{field, t, boost}}})
}

// addTerms adds each of the terms, on its own, at the boost.
func (b *unitBuilder) addTerms(terms []string, field string, boost float64) {
	for _, t := range terms {
		b.addTerm(t, field, boost)
	}
}

// sumOf is the unit of the alternatives and units given.
func sumOf(units ...unit) unit {
	var b unitBuilder
	for _, u := range units {
		b.addUnit(u)
	}
	return b.u
}

// word is one content or stop word of the query, with what it stands for.
type word struct {
	queryWord
	prefix bool // still being typed
	expansion
}

// plan is a parsed query as the units to match and score.
type plan struct {
	typed    []word       // the query's words in typed order, with their derivations
	words    []unit       // one per content word or synonym span; all must match (any, relaxed)
	optional []unit       // stop words: they only add to the score
	pairs    []pairClause // adjacent words, scored on the best hits only (rerank)
	required []unit       // phrases and code-only words
	excluded []unit       // a document matching any is left out
}

// empty reports whether the plan has nothing to match: without filters, nothing to
// search for.
func (p *plan) empty() bool { return len(p.words) == 0 && len(p.required) == 0 }

func (ix *Index) plan(q Query) *plan {
	p := &plan{}
	x := &expander{ix: ix, memo: map[string]expansion{}}
	typed := ix.splitWords(q.Words)
	words, stops := ix.contentWords(typed)
	lastIdx := len(typed) - 1
	derive := func(w queryWord) word {
		prefix := q.Prefix && w.index == lastIdx
		return word{queryWord: w, prefix: prefix, expansion: x.expand(w.text, prefix)}
	}
	// Stop words are not required, but a document whose question has them scores a
	// little more (they matter in "unknown vs any" or "write through"). Not in answers
	// and code, where nearly every document has them: the clauses cost a quarter of
	// the time of a natural-language query there and changed no ranking.
	for _, w := range stops {
		p.optional = append(p.optional, ix.matchWord(w.text, indexer.FieldQuestionExact, boostStopQuestion))
	}
	for i := 0; i < len(words); i++ {
		w := words[i]
		// A multi-word synonym starting here (global interpreter lock → gil)?
		if n, group := ix.synonymSpan(words, i); n > 0 {
			span := words[i : i+n]
			var b unitBuilder
			var conj []unit
			for _, sw := range span {
				conj = append(conj, ix.wordUnit(derive(sw)))
			}
			b.add(alternative{span: conj})
			for _, t := range group {
				if t != strings.ToLower(joinWords(span)) {
					b.addUnit(ix.termAlternative(t, x))
				}
			}
			p.words = append(p.words, b.u)
			i += n - 1
			continue
		}
		u := ix.wordUnit(derive(w))
		if group := ix.synonyms.terms(strings.ToLower(w.text)); group != nil {
			var b unitBuilder
			b.addUnit(u)
			for _, t := range group {
				if t != strings.ToLower(w.text) {
					b.addUnit(ix.termAlternative(t, x))
				}
			}
			u = b.u
		}
		p.words = append(p.words, u)
	}
	// Words next to each other in the query score more where they are next to each
	// other in the text (see rerank).
	all := mergeWords(words, stops)
	for _, w := range all {
		p.typed = append(p.typed, derive(w))
	}
	for i := 0; i+1 < len(all); i++ {
		if all[i].stop && all[i+1].stop {
			continue
		}
		a, as := ix.pairTerms(derive(all[i]))
		b, bs := ix.pairTerms(derive(all[i+1]))
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
		p.required = append(p.required, sumOf(
			ix.phrase(ph, indexer.FieldQuestionExact, boostQuestionExact*boostPhrase),
			ix.phrase(ph, indexer.FieldAnswerExact, boostAnswerExact*boostPhrase),
			ix.phrase(ph, indexer.FieldContextExact, boostContextExact*boostPhrase),
			ix.phrase(ph, indexer.FieldCode, boostCode*boostPhrase),
		))
	}
	for i, w := range q.CodeWords {
		prefix := q.Prefix && i == len(q.CodeWords)-1 && len(q.Words) == 0
		var b unitBuilder
		b.keep(ix.matchWord(w, indexer.FieldCode, boostCode))
		if prefix && utf8.RuneCountInString(w) >= minPrefixLen {
			b.addTerms(ix.vocabulary().completions(strings.ToLower(w), maxCompletions), indexer.FieldCode, boostPrefixCode)
		}
		p.required = append(p.required, b.u)
	}
	for _, ph := range q.CodePhrases {
		// A phrase of nothing searchable matches nothing, as bleve's would.
		p.required = append(p.required, ix.phrase(ph, indexer.FieldCode, boostCode))
	}
	for _, w := range append(append([]string{}, q.NotWords...), q.NotPhrases...) {
		for _, f := range []string{indexer.FieldQuestion, indexer.FieldAnswerExact, indexer.FieldCode} {
			if u := ix.phrase(w, f, 1); len(u.alts) > 0 {
				p.excluded = append(p.excluded, u)
			}
		}
		if forms, _ := ix.vocabulary().forms(strings.ToLower(w), maxForms); len(forms) > 0 {
			var b unitBuilder
			b.addTerms(forms, indexer.FieldAnswerExact, 1)
			p.excluded = append(p.excluded, b.u)
		}
	}
	return p
}

// pairTerms lists the terms one word of an adjacent pair may be in the text, with
// their weights: the word first, then the words it stands for when it is unfinished
// or a typo, weighed as in the word's own clauses; nil when the word analyses to
// several terms.
func (ix *Index) pairTerms(w word) ([]string, []float64) {
	toks := ix.exact.Analyze([]byte(w.text))
	if len(toks) != 1 {
		return nil, nil
	}
	lower := string(toks[0].Term)
	terms, scales := []string{lower}, []float64{1}
	for _, c := range w.completions {
		if c != lower {
			terms = append(terms, c)
			scales = append(scales, boostPrefixQuestion/boostQuestionExact)
		}
	}
	for _, c := range w.typos {
		terms = append(terms, c)
		scales = append(scales, boostFuzzyQuestion/boostQuestionExact)
	}
	return terms, scales
}

// splitWords cuts typed words where the index's tokenizer would (write-through →
// write, through), keeping identifiers such as asyncio.gather and command-line flags
// such as -i whole (a flag matches its letters: the index has lsof -i as lsof, i).
func (ix *Index) splitWords(words []string) []string {
	da, ok := ix.exact.(*analysis.DefaultAnalyzer)
	if !ok {
		return words
	}
	var out []string
	for _, w := range words {
		toks := da.Tokenizer.Tokenize([]byte(w))
		if len(toks) == 1 && (toks[0].Start == 0 || isFlag(w)) && toks[0].End == len(w) {
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
// prose analyzer removes). A command-line flag is content, whatever its letters
// (-i, -a). When every word is a stop word, they all count as content. Words that
// analyse to nothing at all (punctuation) are dropped.
func (ix *Index) contentWords(words []string) (content, stops []queryWord) {
	for i, w := range words {
		if len(ix.exact.Analyze([]byte(w))) == 0 {
			continue
		}
		if isFlag(w) || len(ix.text.Analyze([]byte(w))) > 0 && !connectives[strings.ToLower(w)] {
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

// wordUnit matches one typed word: exactly, by stem, and by its expansions (as a
// prefix, with typos).
func (ix *Index) wordUnit(w word) unit {
	var b unitBuilder
	b.addUnit(ix.matchWord(w.text, indexer.FieldQuestionExact, boostQuestionExact))
	b.addUnit(ix.matchWord(w.text, indexer.FieldContextExact, boostContextExact))
	b.addUnit(ix.matchWord(w.text, indexer.FieldAnswerExact, boostAnswerExact))
	b.addUnit(ix.matchWord(w.text, indexer.FieldCode, boostCode))
	if len(ix.text.Analyze([]byte(w.text))) > 0 {
		b.addUnit(ix.matchWord(w.text, indexer.FieldQuestion, boostQuestion))
		b.addUnit(ix.matchWord(w.text, indexer.FieldContext, boostContext))
		// Answers are indexed unstemmed: the word's stem is matched there as the
		// index's words that share it, each weighed as the stem would be.
		for i, f := range w.forms {
			b.addTerm(f, indexer.FieldAnswerExact, boostAnswer*w.formScales[i])
		}
	}
	// Expansions weigh less than the word as typed, field by field.
	if cs := w.completions; len(cs) > 0 {
		b.addTerms(cs, indexer.FieldQuestionExact, boostPrefixQuestion)
		b.addTerms(cs, indexer.FieldAnswerExact, boostPrefixAnswer)
		b.addTerms(cs, indexer.FieldCode, boostPrefixCode)
	}
	if cs := w.typos; len(cs) > 0 {
		b.addTerms(cs, indexer.FieldQuestionExact, boostFuzzyQuestion)
		b.addTerms(cs, indexer.FieldAnswerExact, boostFuzzyAnswer)
		b.addTerms(cs, indexer.FieldCode, boostFuzzyCode)
		// A typo stands for the word it corrects to, stem included: "denormalizaton"
		// finds "denormalize" as "denormalization" would, at the typo's weight.
		for _, c := range cs {
			b.addUnit(ix.matchWord(c, indexer.FieldQuestion, boostQuestion/3))
		}
		for i, f := range w.typoForms {
			b.addTerm(f, indexer.FieldAnswerExact, boostFuzzyAnswer*w.typoFormScales[i])
		}
	}
	return b.u
}

// expansion is what a typed word stands for besides itself.
type expansion struct {
	completions []string // unfinished: its most frequent completions
	typos       []string // unknown to the index: the index's words within reach
	forms       []string // the index's words with its stem, for the answer field
	formScales  []float64
	// typoForms are the index's words that share a typo candidate's stem, the
	// candidates themselves left out, for the answer field.
	typoForms      []string
	typoFormScales []float64
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
		seen := map[string]bool{}
		for _, c := range e.typos {
			seen[c] = true
		}
		for _, c := range e.typos {
			fs, scales := ix.vocabulary().forms(c, maxForms)
			for i, f := range fs {
				if !seen[f] {
					seen[f] = true
					e.typoForms = append(e.typoForms, f)
					e.typoFormScales = append(e.typoFormScales, scales[i])
				}
			}
		}
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
func (ix *Index) termAlternative(t string, x *expander) unit {
	if !strings.Contains(t, " ") {
		return ix.wordUnit(word{queryWord: queryWord{text: t}, expansion: x.expand(t, false)})
	}
	return sumOf(
		ix.phrase(t, indexer.FieldQuestionExact, boostQuestionExact),
		ix.phrase(t, indexer.FieldContextExact, boostContextExact),
		ix.phrase(t, indexer.FieldAnswerExact, boostAnswerExact),
	)
}

// synonymSpan finds a multi-word synonym term made of words[i:i+n].
func (ix *Index) synonymSpan(words []queryWord, i int) (int, []string) {
	for n := min(4, len(words)-i); n >= 2; n-- {
		if g := ix.synonyms.terms(strings.ToLower(joinWords(words[i : i+n]))); g != nil {
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

// matchWord matches a typed word in the field: as a term when it analyses to one (so
// that it merges with the word's expansions), else as all its terms; an empty unit
// when it analyses to none.
func (ix *Index) matchWord(w, field string, boost float64) unit {
	toks := ix.analyzerOf(field).Analyze([]byte(w))
	if len(toks) == 0 {
		return unit{}
	}
	c := make(clause, len(toks))
	for i, t := range toks {
		c[i] = leaf{field, string(t.Term), boost}
	}
	a := alternative{terms: c}
	if len(c) > 1 {
		a.slots = slotsOf(toks)
	}
	return unit{alts: []alternative{a}}
}

// phrase matches text in the field as a phrase of its analysed terms: as terms when
// it analyses to one position, as nothing when to none.
func (ix *Index) phrase(text, field string, boost float64) unit {
	slots := slotsOf(ix.analyzerOf(field).Analyze([]byte(text)))
	switch len(slots) {
	case 0:
		return unit{}
	case 1:
		var b unitBuilder
		b.addTerms(slots[0], field, boost)
		return b.u
	}
	return unit{alts: []alternative{{phrase: &phraseClause{field: field, slots: slots, boost: boost}}}}
}
