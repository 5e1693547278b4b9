// Package suggest completes what a reader is typing into the search box: popular
// past queries that found something, and the titles of the questions. A Suggester
// is built in one go from those lists and never changes afterwards, so that it can
// be rebuilt whenever the popular queries change and swapped in while it serves.
package suggest

import (
	"cmp"
	"iter"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Kind says what a suggestion is.
type Kind string

const (
	// KindQuery is a past search: choosing it runs the search.
	KindQuery Kind = "query"
	// KindQuestion is a question of the corpus: choosing it opens the question.
	KindQuestion Kind = "question"
)

// Title is a question of the corpus, offered by its text.
type Title struct {
	Text string // the question as shown
	ID   string // its document ID
	URL  string // where it is read
}

// Query is a past search. Callers should pass only queries searched often enough
// (by more than one reader) to be worth offering to everyone.
type Query struct {
	Text     string
	Searches int // how often it was searched: more ranks higher
	Results  int // how many hits it found: a query with none is never offered
}

// Suggestion is one completion of the input.
type Suggestion struct {
	Text     string
	Kind     Kind
	ID, URL  string // the question's; empty for a query
	Searches int    // times searched verbatim; 0 for a question nobody typed
	Edits    int    // typos forgiven to match it; 0 when every word matched as typed
	Marks    []Span // the words of Text that the input matched, in order
}

// Span is the bytes [Start, End) of a text.
type Span struct{ Start, End int }

// Limits on what Complete reads and returns.
const (
	// MaxInput is how many bytes of the input are read; the rest is ignored.
	MaxInput = 256
	// MaxResults bounds the n of Complete.
	MaxResults = 50
	// maxTerms is the most words an input may have to be completed.
	maxTerms = 16
)

// titleLevels is how many positions titlesAt lists.
const titleLevels = 6

// lazyPostings: once a word of the input occurs in at most this many candidates,
// the input's typo words are checked on those candidates' words instead of being
// looked up in the whole vocabulary.
const lazyPostings = 256

// Suggester completes inputs from a fixed set of candidates. It is safe for
// concurrent use.
type Suggester struct {
	vocab    *vocabulary
	cands    []candidate
	tokens   []token
	spans    []span   // spans[i] is where tokens[i] lies in its candidate's text
	postings postings // the candidates with each word
	// titlesAt lists the titles never searched by their words at each position
	// up to titleLevels (a part of a compound one later): those at position p
	// under p*len(words)+word.
	titlesAt postings
	// Candidates are numbered by class (see candidate.class), then by pop and
	// tie; class k is cands[classEnd[k-1]:classEnd[k]].
	classEnd [3]int32
	byNorm   []int32 // the candidates in order of their normalised text

	scratch sync.Pool // *scratch
}

// candidate is one distinct suggestion, by its normalised text.
type candidate struct {
	text, norm   string
	kind         Kind
	id, url      string
	searches     int
	words        int   // how many words it has, parts of compounds not counted
	tokLo, tokHi int32 // its words are tokens[tokLo:tokHi]
	// pop ranks the candidates by searches, most first, those never searched
	// last; tie orders all of them by words, then length, then text. Both make
	// the ranking's order that does not depend on the input.
	pop, tie int32
}

// class is 0 for a past query, 1 for a title searched verbatim, 2 for another
// title. Within a class, the candidates rank by pop and tie when the input does
// not tell them apart, so that Complete can take them best first.
func (c *candidate) class() int {
	switch {
	case c.searches == 0:
		return 2
	case c.kind == KindQuestion:
		return 1
	}
	return 0
}

// token is one word of a candidate.
type token struct {
	word int32 // index in the vocabulary
	pos  int16 // the word's position in the candidate; parts share their compound's
	part bool
}

type span struct{ start, end int32 }

// scratch is the memory of one Complete call, reused across calls.
type scratch struct {
	bits []uint64 // candidates still to look at: bit c%64 of bits[c/64]
}

// Len is the number of distinct suggestions the suggester holds.
func (s *Suggester) Len() int {
	if s == nil {
		return 0
	}
	return len(s.cands)
}

// Complete returns up to n suggestions for input, the best first.
//
// Every word of the input must match a word of the suggestion, a word of its own,
// in any order; the last one may match only the start of a word, unless the
// input ends in a space. The parts of a compound (asyncio and gather of
// asyncio.gather) match like words. A word of five letters or more may have one
// typo (a swap of adjacent letters counts as one), from nine letters two; the
// last word, when it is a prefix, one typo from five letters. Words with a digit
// (utf8, http2) match exactly.
//
// Ranking, key after key: fewer typos; the suggestion starting with the input's
// words in order; past queries (and titles searched verbatim) before other titles,
// the most searched first; then the words in the input's order, the earliest
// match, the fewest words, the shortest text. A third of the places (n/3) are
// kept for questions when that many match.
func (s *Suggester) Complete(input string, n int) []Suggestion {
	if s == nil || n <= 0 || len(s.cands) == 0 {
		return nil
	}
	n = min(n, MaxResults)
	words, lastIsPrefix := parseInput(input)
	if len(words) == 0 || len(words) > maxTerms {
		return nil
	}
	terms := make([]term, len(words))
	for i, w := range words {
		prefix := lastIsPrefix && i == len(words)-1
		terms[i] = term{runes: []rune(w), prefix: prefix, edits: allowedEdits(w, prefix)}
	}
	driver, ok := s.lookUp(terms)
	if !ok {
		return nil
	}
	// The candidates to look at are those of the term with the fewest.
	sc := s.scratch.Get().(*scratch)
	defer s.scratch.Put(sc)
	clear(sc.bits)
	for _, r := range terms[driver].runs {
		for _, c := range s.postings.of(r.lo, r.hi) {
			sc.bits[c/64] |= 1 << (c % 64)
		}
	}
	top := ranking{n: n}
	s.rankStartingWith(&top, sc.bits, strings.Join(words, " "), lastIsPrefix)
	s.rankOthers(&top, sc.bits, terms)

	hits := top.pick()
	out := make([]Suggestion, len(hits))
	for i, h := range hits {
		c := &s.cands[h.cand]
		var marks []Span
		s.match(h.cand, terms, &marks)
		out[i] = Suggestion{Text: c.text, Kind: c.kind, ID: c.id, URL: c.url, Searches: c.searches, Edits: h.edits, Marks: marks}
	}
	return out
}

// rankStartingWith ranks the candidates whose text starts with head, the input
// as typed, and clears their bits: they outrank all others. They are a run of
// byNorm, and the best of a class are its lowest numbers.
func (s *Suggester) rankStartingWith(top *ranking, bits []uint64, head string, lastIsPrefix bool) {
	lo, hi := s.withNormPrefix(head)
	var best [len(s.classEnd)][]int32
	for _, c := range s.byNorm[lo:hi] {
		if !lastIsPrefix {
			if norm := s.cands[c].norm; len(norm) > len(head) && norm[len(head)] != ' ' {
				continue // the last word is whole, and this one goes on
			}
		}
		bits[c/64] &^= 1 << (c % 64)
		k := s.classOf(c)
		best[k] = insertLowest(best[k], c, top.n)
	}
	for _, cs := range best {
		for _, c := range cs {
			cd := &s.cands[c]
			top.add(hit{cand: c, leading: true, inOrder: true, pop: cd.pop, tie: cd.tie, question: cd.kind == KindQuestion})
		}
	}
}

// rankOthers ranks the candidates left in bits, class by class and best first.
// One is matched only when the best it could score would rank: the fewest typos
// the terms' words allow, its words in order, starting on the first word that a
// term matches. Not starting with the input, the match of a one-word input
// starts on the second word at best. The first candidate that could not rank
// even so ends its class.
func (s *Suggester) rankOthers(top *ranking, bits []uint64, terms []term) {
	minFirst, minEdits := 0, 0
	if len(terms) == 1 {
		minFirst = 1
	}
	for i := range terms {
		minEdits += terms[i].leastEdits()
	}
	for class, end := range s.classEnd {
		start := int32(0)
		if class > 0 {
			start = s.classEnd[class-1]
		}
		from := minFirst
		if class == 2 { // titles, which rank alike but for the input
			from = s.titlesByPosition(top, bits, terms, minEdits, minFirst)
		}
		for c := range setBits(bits, start, end) {
			if !top.wants(s.bestCase(c, minEdits, from)) {
				break
			}
			if !top.wants(s.bestCase(c, minEdits, s.earliest(c, terms))) {
				continue
			}
			if h, ok := s.match(c, terms, nil); ok {
				top.add(h)
			}
		}
	}
}

// parseInput reads the words of an input, and whether the last one is still being
// typed.
func parseInput(s string) (words []string, lastIsPrefix bool) {
	if len(s) > MaxInput {
		i := MaxInput
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s = s[:i]
	}
	s = canonical(s)
	for _, w := range splitWords(s) {
		words = append(words, w.norm)
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	return words, !unicode.IsSpace(last)
}

// allowedEdits is how many typos a typed word may have.
func allowedEdits(w string, prefix bool) int {
	n := utf8.RuneCountInString(w)
	switch {
	case hasDigit(w):
		return 0
	case prefix && n >= 5:
		return 1
	case prefix:
		return 0
	case n >= 9:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}

// term is one word of the input.
type term struct {
	runes  []rune
	prefix bool // the last word, still being typed
	edits  int  // typos allowed
	runs   []wordRun
	// memo is set instead of runs on a term checked lazily: the edits of each word
	// checked so far, -1 for no match.
	memo map[int32]int8
}

// lookUp finds the words that the terms match: the exact terms first (a binary
// search each), then those with one typo allowed, then two (a walk of the trie
// each, a longer word first), until one term occurs in at most lazyPostings
// candidates; the terms left are checked lazily. It returns the term with the fewest candidates, and false when a term
// matches no word at all.
func (s *Suggester) lookUp(terms []term) (driver int, ok bool) {
	order := make([]int, len(terms))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(terms[a].edits, terms[b].edits), cmp.Compare(len(terms[b].runes), len(terms[a].runes)))
	})
	driver, postings := -1, 0
	for _, i := range order {
		t := &terms[i]
		if t.edits > 0 && driver >= 0 && postings <= lazyPostings {
			t.memo = map[int32]int8{}
			continue
		}
		if t.runs = s.vocab.lookup(t.runes, t.prefix, t.edits); len(t.runs) == 0 {
			return 0, false
		}
		if c := s.postingCount(t.runs); driver < 0 || c < postings {
			driver, postings = i, c
		}
	}
	return driver, true
}

// postingCount is how many (word, candidate) pairs the runs of words hold.
func (s *Suggester) postingCount(runs []wordRun) int {
	total := 0
	for _, r := range runs {
		total += len(s.postings.of(r.lo, r.hi))
	}
	return total
}

// leastEdits is the fewest edits with which the term matches any word: 0 when
// it is checked lazily.
func (t *term) leastEdits() int {
	if t.memo != nil {
		return 0
	}
	least := uint8(255)
	for _, r := range t.runs {
		least = min(least, r.edits)
	}
	return int(least)
}

// checkLazily matches a lazy term against word id.
func (t *term) checkLazily(v *vocabulary, id int32) (uint8, bool) {
	if m, ok := t.memo[id]; ok {
		return uint8(m), m >= 0
	}
	e, ok := within(t.runes, v.runesOf(int(id)), t.prefix, t.edits)
	ok = ok && (e == 0 || !v.digits[id])
	m := int8(e)
	if !ok {
		m = -1
	}
	t.memo[id] = m
	return e, ok
}

// match matches every term against candidate c, each to its word with the fewest
// edits (the earliest of those) that no term before it took. With marks set, it
// also collects the spans of those words.
func (s *Suggester) match(c int32, terms []term, marks *[]Span) (hit, bool) {
	cd := &s.cands[c]
	toks := s.tokens[cd.tokLo:cd.tokHi]
	var chosen [maxTerms]int
	var edits [maxTerms]uint8
	var atPos [maxTerms]int // edits+1 of term i on the candidate's i-th word, 0 for none
	for ti := range terms {
		t := &terms[ti]
		best := -1
	tokens:
		for k, tk := range toks {
			var e uint8
			var ok bool
			switch {
			case t.memo != nil:
				e, ok = t.checkLazily(s.vocab, tk.word)
			case len(t.runs) == 1:
				e, ok = t.runs[0].edits, tk.word >= t.runs[0].lo && tk.word < t.runs[0].hi
			default:
				e, ok = find(t.runs, tk.word)
			}
			if !ok {
				continue
			}
			for _, taken := range chosen[:ti] {
				if taken == k {
					continue tokens
				}
			}
			if !tk.part && int(tk.pos) == ti {
				atPos[ti] = int(e) + 1
			}
			if best < 0 || e < edits[ti] {
				best, edits[ti] = k, e
			}
		}
		if best < 0 {
			return hit{}, false
		}
		chosen[ti] = best
	}
	h := hit{cand: c, pop: cd.pop, tie: cd.tie, question: cd.kind == KindQuestion, leading: true, inOrder: true, first: 1 << 15}
	last := -1
	for ti := range terms {
		tk := toks[chosen[ti]]
		p := int(tk.pos)
		if tk.part {
			p++ // a match inside a compound counts one word late
		}
		h.edits += int(edits[ti])
		h.leading = h.leading && atPos[ti] == int(edits[ti])+1
		h.first = min(h.first, p)
		h.inOrder = h.inOrder && p > last
		last = p
		if marks != nil {
			sp := s.spans[int(cd.tokLo)+chosen[ti]]
			*marks = append(*marks, Span{int(sp.start), int(sp.end)})
		}
	}
	if h.leading { // each term on its own word: in order, from the first
		h.inOrder, h.first = true, 0
	}
	if marks != nil {
		slices.SortFunc(*marks, func(a, b Span) int { return a.Start - b.Start })
		*marks = slices.Compact(*marks)
	}
	return h, true
}

// titlesByPosition matches the titles left in bits that have a word of a term
// at position 0, then 1, and so on, until the best title left could not rank,
// clearing their bits. It returns the earliest position at which a title left
// may match.
func (s *Suggester) titlesByPosition(top *ranking, bits []uint64, terms []term, minEdits, minFirst int) int {
	for i := range terms {
		if terms[i].memo != nil {
			return minFirst // its words are not known: there are few titles to look at anyway
		}
	}
	words := int32(len(s.vocab.words))
	for level := range titleLevels {
		best, ok := firstSet(bits, s.classEnd[1], s.classEnd[2])
		if !ok || !top.wants(s.bestCase(best, minEdits, max(level, minFirst))) {
			return titleLevels // none left, or none that could rank
		}
		base := int32(level) * words
		for i := range terms {
			for _, r := range terms[i].runs {
				for _, c := range s.titlesAt.of(base+r.lo, base+r.hi) {
					if bits[c/64]&(1<<(c%64)) == 0 {
						continue
					}
					bits[c/64] &^= 1 << (c % 64)
					if !top.wants(s.bestCase(c, minEdits, level)) {
						continue
					}
					if h, ok := s.match(c, terms, nil); ok {
						top.add(h)
					}
				}
			}
		}
	}
	return titleLevels
}

// firstSet is the first candidate in [start, end) whose bit is set.
func firstSet(bs []uint64, start, end int32) (int32, bool) {
	for c := range setBits(bs, start, end) {
		return c, true
	}
	return 0, false
}

// classOf is the class of candidate c, by its number.
func (s *Suggester) classOf(c int32) int {
	k := 0
	for k < len(s.classEnd)-1 && c >= s.classEnd[k] {
		k++
	}
	return k
}

// insertLowest adds c to the sorted list, keeping its limit lowest numbers.
func insertLowest(list []int32, c int32, limit int) []int32 {
	if len(list) == limit && c > list[limit-1] {
		return list
	}
	i, _ := slices.BinarySearch(list, c)
	if len(list) < limit {
		list = append(list, 0)
	}
	copy(list[i+1:], list[i:])
	list[i] = c
	return list
}

// setBits yields the candidates in [start, end) whose bit is set, in order.
func setBits(bs []uint64, start, end int32) iter.Seq[int32] {
	return func(yield func(int32) bool) {
		for w := int(start / 64); w < len(bs) && int32(w*64) < end; w++ {
			for b := bs[w]; b != 0; b &= b - 1 {
				c := int32(w*64 + bits.TrailingZeros64(b))
				if c < start {
					continue
				}
				if c >= end || !yield(c) {
					return
				}
			}
		}
	}
}

// bestCase is the best that candidate c could score with that many edits, when
// its first word matched is at position first. Without edits, it cannot start
// with the input: those that do were all taken first.
func (s *Suggester) bestCase(c int32, edits, first int) hit {
	cd := &s.cands[c]
	h := hit{cand: c, edits: edits, inOrder: true, first: first, pop: cd.pop, tie: cd.tie, question: cd.kind == KindQuestion}
	if edits > 0 {
		h.leading, h.first = true, 0
	}
	return h
}

// earliest is the position of the first word of candidate c that a term matches
// (a part of a compound counting one word late), 0 if a term is checked lazily.
func (s *Suggester) earliest(c int32, terms []term) int {
	cd := &s.cands[c]
	for i := range terms {
		if terms[i].memo != nil {
			return 0
		}
	}
	for _, tk := range s.tokens[cd.tokLo:cd.tokHi] {
		for i := range terms {
			if _, ok := find(terms[i].runs, tk.word); ok {
				if tk.part {
					return int(tk.pos) + 1
				}
				return int(tk.pos)
			}
		}
	}
	return 0
}

// withNormPrefix is the run of byNorm whose texts start with p.
func (s *Suggester) withNormPrefix(p string) (lo, hi int) {
	lo = sort.Search(len(s.byNorm), func(i int) bool { return s.cands[s.byNorm[i]].norm >= p })
	hi = lo + sort.Search(len(s.byNorm)-lo, func(i int) bool { return !strings.HasPrefix(s.cands[s.byNorm[lo+i]].norm, p) })
	return lo, hi
}
