package suggest

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxQueryBytes is the longest past query offered; a longer one is a paste.
const maxQueryBytes = 200

// New builds a suggester. Titles come first: of two titles with the same text
// only the first is kept, and a past query with the text of a title is offered as
// the title, with the query's searches. Queries that differ only in case, spacing
// or punctuation count as one, shown as the most searched. Queries with no results
// or no searches are dropped, and so is every candidate whose text is blocked
// (compared after normalisation, like everything else).
func New(titles []Title, queries []Query, blocked []string) *Suggester {
	block := make(map[string]bool, len(blocked))
	for _, b := range blocked {
		if k := normalize(b); k != "" {
			block[k] = true
		}
	}
	type entry struct {
		cand  candidate
		words []word
		shown int // searches of the query variant shown
	}
	entries := make([]entry, 0, len(titles)+len(queries))
	byKey := make(map[string]int, len(titles)+len(queries))
	// add returns the entry of text, and whether it is new; nil when blocked.
	add := func(text string, ws []word, c candidate) (*entry, bool) {
		c.text, c.norm = text, joinWords(ws)
		if c.norm == "" || block[c.norm] {
			return nil, false
		}
		if i, dup := byKey[c.norm]; dup {
			return &entries[i], false
		}
		byKey[c.norm] = len(entries)
		entries = append(entries, entry{cand: c, words: ws})
		return &entries[len(entries)-1], true
	}
	for _, t := range titles {
		text := strings.TrimSpace(canonical(t.Text))
		add(text, splitWords(text), candidate{kind: KindQuestion, id: t.ID, url: t.URL})
	}
	for _, q := range queries {
		text := collapseSpaces(canonical(q.Text))
		if q.Results <= 0 || q.Searches <= 0 || len(text) > maxQueryBytes {
			continue
		}
		ws := splitWords(text)
		e, isNew := add(text, ws, candidate{kind: KindQuery})
		switch {
		case e == nil:
		case isNew:
			e.cand.searches, e.shown = q.Searches, q.Searches
		default:
			e.cand.searches += q.Searches
			if e.cand.kind == KindQuery && q.Searches > e.shown {
				e.cand.text, e.words, e.shown = text, ws, q.Searches
			}
		}
	}

	// Candidates are numbered by class, then the order that does not depend on
	// the input (see candidate), so that Complete can scan them best first.
	byRank := make([]*candidate, len(entries))
	for i := range entries {
		entries[i].cand.words = len(entries[i].words)
		byRank[i] = &entries[i].cand
	}
	rankStatically(byRank)
	order := make([]int, len(entries))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		ca, cb := &entries[a].cand, &entries[b].cand
		return cmp.Or(cmp.Compare(ca.class(), cb.class()), cmp.Compare(ca.pop, cb.pop), cmp.Compare(ca.tie, cb.tie))
	})
	sorted := make([]entry, len(entries))
	for i, k := range order {
		sorted[i] = entries[k]
	}
	entries = sorted

	// The vocabulary: every word and part of a compound short enough to type,
	// numbered as first met (firstMet holds the entries' words one after the
	// other), then renumbered in sorted order.
	ids := make(map[string]int32)
	var words []string
	var firstMet []int32
	for i := range entries {
		e := &entries[i]
		e.words = withParts(e.words)
		for _, w := range e.words {
			id, ok := ids[w.norm]
			if !ok {
				id = -1
				if len(w.norm) <= maxWordRunes || utf8.RuneCountInString(w.norm) <= maxWordRunes {
					id = int32(len(words))
					words = append(words, w.norm)
				}
				ids[w.norm] = id
			}
			firstMet = append(firstMet, id)
		}
	}
	byText := make([]int32, len(words))
	for i := range byText {
		byText[i] = int32(i)
	}
	slices.SortFunc(byText, func(a, b int32) int { return strings.Compare(words[a], words[b]) })
	renumber := make([]int32, len(words))
	sortedWords := make([]string, len(words))
	for i, id := range byText {
		renumber[id] = int32(i)
		sortedWords[i] = words[id]
	}
	words = sortedWords

	nTokens := 0
	for i := range entries {
		nTokens += len(entries[i].words)
	}
	s := &Suggester{
		vocab:  newVocabulary(words),
		cands:  make([]candidate, len(entries)),
		tokens: make([]token, 0, nTokens),
		spans:  make([]span, 0, nTokens),
	}
	met := firstMet
	seenBy := make([]int32, len(words)) // seenBy[w] = c+1: candidate c is listed under word w
	all, atPos := make([]pair, 0, nTokens), make([]pair, 0, nTokens)
	for i := range entries {
		e := &entries[i]
		c := e.cand
		c.tokLo = int32(len(s.tokens))
		pos := -1
		for _, w := range e.words {
			if !w.part {
				pos++ // parts follow their compound, at its position
			}
			first := met[0]
			met = met[1:]
			if first < 0 || pos > math.MaxInt16 {
				continue // a word too long to be typed, or too far to rank
			}
			id := renumber[first]
			s.tokens = append(s.tokens, token{word: id, pos: int16(pos), part: w.part})
			s.spans = append(s.spans, span{int32(w.start), int32(w.end)})
			if seenBy[id] != int32(i+1) {
				seenBy[id] = int32(i + 1)
				all = append(all, pair{id, int32(i)})
			}
			if level := pos + b2i(w.part); c.class() == 2 && level < titleLevels {
				atPos = append(atPos, pair{int32(level*len(words)) + id, int32(i)})
			}
		}
		c.tokHi = int32(len(s.tokens))
		s.cands[i] = c
	}
	s.postings = newPostings(len(words), all)
	s.titlesAt = newPostings(titleLevels*len(words), atPos)
	for i, c := range s.cands {
		s.classEnd[c.class()] = int32(i + 1)
	}
	for k := 1; k < len(s.classEnd); k++ {
		s.classEnd[k] = max(s.classEnd[k], s.classEnd[k-1])
	}
	s.byNorm = make([]int32, len(s.cands))
	for i := range s.byNorm {
		s.byNorm[i] = int32(i)
	}
	slices.SortFunc(s.byNorm, func(a, b int32) int { return strings.Compare(s.cands[a].norm, s.cands[b].norm) })
	words64 := (len(s.cands) + 63) / 64
	s.scratch.New = func() any { return &scratch{bits: make([]uint64, words64)} }
	return s
}

// rankStatically sets the candidates' pop and tie (see candidate), reordering cs.
func rankStatically(cs []*candidate) {
	slices.SortFunc(cs, func(a, b *candidate) int { return b.searches - a.searches })
	pop := int32(0)
	for k, c := range cs {
		if k > 0 && c.searches != cs[k-1].searches {
			pop++
		}
		c.pop = pop
	}
	slices.SortFunc(cs, func(a, b *candidate) int {
		return cmp.Or(cmp.Compare(a.words, b.words), cmp.Compare(len(a.norm), len(b.norm)), strings.Compare(a.norm, b.norm))
	})
	for k, c := range cs {
		c.tie = int32(k)
	}
}

// joinWords is the normalised text of a text's words.
func joinWords(ws []word) string {
	if len(ws) == 1 {
		return ws[0].norm
	}
	var b strings.Builder
	b.Grow(ws[len(ws)-1].end - ws[0].start)
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.norm)
	}
	return b.String()
}

// collapseSpaces trims s and turns each run of white space inside it into one
// space.
func collapseSpaces(s string) string {
	clean := true
	for i := 0; i < len(s) && clean; i++ {
		c := s[i]
		clean = c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f' && c < utf8.RuneSelf &&
			(c != ' ' || (i > 0 && i < len(s)-1 && s[i+1] != ' '))
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
