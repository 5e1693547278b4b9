// Package suggest completes what a reader is typing into the search box: popular
// past queries that found something, and the titles of the questions. A Suggester
// is built in one go from those lists and never changes afterwards, so that it can
// be rebuilt whenever the popular queries change and swapped in while it serves.
package suggest

import (
	"math/bits"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

// Tuning of Complete's work.
const (
	// lazyPostings: once a word of the input occurs in at most this many
	// candidates, the input's typo words are checked on those candidates' words
	// instead of being looked up in the whole vocabulary.
	lazyPostings = 256
	// broadPostings: an input whose most selective word occurs in more candidates
	// than this (one or two letters, a word like "the") is costly to complete and
	// typed by everyone, so its suggestions are kept.
	broadPostings = 1500
	// maxCached bounds the inputs kept; the cache goes with the suggester.
	maxCached = 4096
)

// Suggester completes inputs from a fixed set of candidates. It is safe for
// concurrent use.
type Suggester struct {
	vocab  *vocabulary
	cands  []candidate
	tokens []token
	spans  []span // spans[i] is where tokens[i] lies in its candidate's text
	// posts[postStart[w]:postStart[w+1]] are the candidates with word w.
	postStart []int32
	posts     []int32
	// Candidates are numbered by class (see candidate.class), then by pop and
	// tie; class k is cands[classEnd[k-1]:classEnd[k]].
	classEnd [3]int32
	byNorm   []int32 // the candidates in order of their normalised text

	scratch sync.Pool // *scratch
	cache   sync.Map  // cache key → []Suggestion, for broad inputs
	cached  atomic.Int32
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

// token is one word of a candidate.
// class groups the candidates that rank alike apart from the input: past
// queries, titles searched verbatim, other titles.
func (c *candidate) class() int {
	switch {
	case c.searches == 0:
		return 2
	case c.kind == KindQuestion:
		return 1
	}
	return 0
}

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
// Every word of the input must match a word of the suggestion, in any order; the
// last one may match only the start of a word, unless the input ends in a space.
// A word of five letters or more may have one typo (a swap of adjacent letters
// counts as one), from nine letters two; the last word, when it is a prefix, one
// typo from five letters. Words with a digit (utf8, http2) match exactly.
//
// Ranking, key after key: fewer typos; the suggestion starting with the input's
// words in order; past queries (and titles searched verbatim) before other titles,
// the most searched first; then the words in the input's order, the earliest
// match, the fewest words, the shortest text. A third of the places (n/3) go to
// questions when that many match.
func (s *Suggester) Complete(input string, n int) []Suggestion {
	if s == nil || n <= 0 || len(s.cands) == 0 {
		return nil
	}
	n = min(n, MaxResults)
	words, lastIsPrefix := parseInput(input)
	if len(words) == 0 || len(words) > maxTerms {
		return nil
	}
	key := cacheKey(words, lastIsPrefix, n)
	if v, ok := s.cache.Load(key); ok {
		return cloneSuggestions(v.([]Suggestion))
	}
	terms := make([]term, len(words))
	for i, w := range words {
		prefix := lastIsPrefix && i == len(words)-1
		terms[i] = term{runes: []rune(w), prefix: prefix, edits: allowedEdits(w, prefix)}
	}
	driver, postings, ok := s.lookUp(terms)
	if !ok {
		return nil
	}
	// The terms looked up are checked first: they reject a candidate cheaply.
	order := make([]int, 0, len(terms))
	for i := range terms {
		if terms[i].memo == nil {
			order = append(order, i)
		}
	}
	for i := range terms {
		if terms[i].memo != nil {
			order = append(order, i)
		}
	}

	sc := s.scratch.Get().(*scratch)
	defer s.scratch.Put(sc)
	clear(sc.bits)
	for _, r := range terms[driver].runs {
		for _, c := range s.posts[s.postStart[r.lo]:s.postStart[r.hi]] {
			sc.bits[c/64] |= 1 << (c % 64)
		}
	}
	top := ranking{n: n}
	// The suggestions that start with the input as typed outrank all others. They
	// are a run of the candidates in order of text; among them, a class's best are
	// its lowest numbers.
	head := strings.Join(words, " ")
	lo, hi := s.withNormPrefix(head)
	var best [len(s.classEnd)][]int32
	for _, c := range s.byNorm[lo:hi] {
		if !lastIsPrefix {
			if norm := s.cands[c].norm; len(norm) > len(head) && norm[len(head)] != ' ' {
				continue // the last word is whole, and this one goes on
			}
		}
		sc.bits[c/64] &^= 1 << (c % 64)
		k := s.classOf(c)
		best[k] = insertLowest(best[k], c, n)
	}
	for _, cs := range best {
		for _, c := range cs {
			cd := &s.cands[c]
			top.add(hit{cand: c, leading: true, inOrder: true, pop: cd.pop, tie: cd.tie, question: cd.kind == KindQuestion})
		}
	}
	// The others are matched only when the best they could score would rank: no
	// typo, their words in order, starting on their first word if it is one of
	// the input's, else one word later.
	for w, b := range sc.bits {
		for ; b != 0; b &= b - 1 {
			c := int32(w*64 + bits.TrailingZeros64(b))
			cd := &s.cands[c]
			h := hit{cand: c, inOrder: true, first: 1, pop: cd.pop, tie: cd.tie, question: cd.kind == KindQuestion}
			if s.mayStartWith(cd, terms) {
				h.first = 0
			}
			if !top.wants(h) {
				continue
			}
			if h, ok := s.match(c, terms, order, nil); ok {
				top.add(h)
			}
		}
	}

	hits := top.pick()
	out := make([]Suggestion, len(hits))
	for i, h := range hits {
		c := &s.cands[h.cand]
		var marks []Span
		s.match(h.cand, terms, order, &marks)
		out[i] = Suggestion{Text: c.text, Kind: c.kind, ID: c.id, URL: c.url, Searches: c.searches, Edits: h.edits, Marks: marks}
	}
	if postings > broadPostings && s.cached.Add(1) <= maxCached {
		s.cache.Store(key, cloneSuggestions(out))
	}
	return out
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
// search each), then the typo terms longest first (a walk of the trie each), until
// one term occurs in at most lazyPostings candidates; the terms left are checked
// lazily. It returns the term with the fewest candidates and their number, and
// false when a term matches no word at all.
func (s *Suggester) lookUp(terms []term) (driver, postings int, ok bool) {
	order := make([]int, len(terms))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if ea, eb := terms[a].edits > 0, terms[b].edits > 0; ea != eb {
			if ea {
				return 1
			}
			return -1
		}
		return len(terms[b].runes) - len(terms[a].runes)
	})
	driver, postings = -1, 0
	for _, i := range order {
		t := &terms[i]
		if t.edits > 0 && driver >= 0 && postings <= lazyPostings {
			t.memo = map[int32]int8{}
			continue
		}
		if t.runs = s.vocab.lookup(t.runes, t.prefix, t.edits); len(t.runs) == 0 {
			return 0, 0, false
		}
		if c := s.postingCount(t.runs); driver < 0 || c < postings {
			driver, postings = i, c
		}
	}
	return driver, postings, true
}

// postingCount is how many (word, candidate) pairs the runs of words hold.
func (s *Suggester) postingCount(runs []wordRun) int {
	total := 0
	for _, r := range runs {
		total += int(s.postStart[r.hi] - s.postStart[r.lo])
	}
	return total
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
// edits (the earliest of those), checking the terms in order. With marks set, it
// also collects the spans of those words.
func (s *Suggester) match(c int32, terms []term, order []int, marks *[]Span) (hit, bool) {
	cd := &s.cands[c]
	toks := s.tokens[cd.tokLo:cd.tokHi]
	var chosen [maxTerms]int
	var edits [maxTerms]uint8
	var atPos [maxTerms]int // edits+1 of term i on the candidate's i-th word, 0 for none
	for _, ti := range order {
		t := &terms[ti]
		best := -1
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
	if marks != nil {
		slices.SortFunc(*marks, func(a, b Span) int { return a.Start - b.Start })
		*marks = slices.Compact(*marks)
	}
	return h, true
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

// mayStartWith reports whether the first word of cd may be matched by a term:
// it is one of a term's words, or a term is checked lazily.
func (s *Suggester) mayStartWith(cd *candidate, terms []term) bool {
	if cd.tokLo == cd.tokHi {
		return false
	}
	tk := s.tokens[cd.tokLo]
	if tk.pos != 0 || tk.part {
		return false
	}
	for i := range terms {
		if terms[i].memo != nil {
			return true
		}
		if _, ok := find(terms[i].runs, tk.word); ok {
			return true
		}
	}
	return false
}

// withNormPrefix is the run of byNorm whose texts start with p.
func (s *Suggester) withNormPrefix(p string) (lo, hi int) {
	lo = sort.Search(len(s.byNorm), func(i int) bool { return s.cands[s.byNorm[i]].norm >= p })
	hi = lo + sort.Search(len(s.byNorm)-lo, func(i int) bool { return !strings.HasPrefix(s.cands[s.byNorm[lo+i]].norm, p) })
	return lo, hi
}

func cacheKey(words []string, lastIsPrefix bool, n int) string {
	var b strings.Builder
	for _, w := range words {
		b.WriteString(w)
		b.WriteByte(' ')
	}
	if lastIsPrefix {
		b.WriteByte('*')
	}
	b.WriteString(strconv.Itoa(n))
	return b.String()
}

// cloneSuggestions copies ss, marks included, so that no caller shares the cache's.
func cloneSuggestions(ss []Suggestion) []Suggestion {
	out := slices.Clone(ss)
	for i := range out {
		out[i].Marks = slices.Clone(out[i].Marks)
	}
	return out
}
