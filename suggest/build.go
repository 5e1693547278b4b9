package suggest

import (
	"cmp"
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
		text := strings.Join(strings.Fields(canonical(q.Text)), " ")
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
	slices.SortFunc(entries, func(a, b entry) int {
		return cmp.Or(cmp.Compare(a.cand.class(), b.cand.class()), cmp.Compare(a.cand.pop, b.cand.pop), cmp.Compare(a.cand.tie, b.cand.tie))
	})

	// The vocabulary: every word and part of a compound short enough to type.
	ids := make(map[string]int32)
	for i := range entries {
		e := &entries[i]
		e.words = withParts(e.words)
		for _, w := range e.words {
			if _, ok := ids[w.norm]; !ok && utf8.RuneCountInString(w.norm) <= maxWordRunes {
				ids[w.norm] = 0
			}
		}
	}
	words := make([]string, 0, len(ids))
	for w := range ids {
		words = append(words, w)
	}
	slices.Sort(words)
	for i, w := range words {
		ids[w] = int32(i)
	}

	s := &Suggester{vocab: newVocabulary(words), cands: make([]candidate, len(entries))}
	counts := make([]int32, len(words)+1) // counts[w+1]: candidates with word w
	for i := range entries {
		e := &entries[i]
		c := e.cand
		c.tokLo = int32(len(s.tokens))
		pos := -1
		for _, w := range e.words {
			if !w.part {
				pos++ // parts follow their compound, at its position
			}
			id, ok := ids[w.norm]
			if !ok || pos > 1<<14 {
				continue // too long to be typed
			}
			s.tokens = append(s.tokens, token{word: id, pos: int16(pos), part: w.part})
			s.spans = append(s.spans, span{int32(w.start), int32(w.end)})
		}
		c.tokHi = int32(len(s.tokens))
		toks := s.tokens[c.tokLo:c.tokHi]
		for k, t := range toks {
			if !repeated(toks, k, t.word) {
				counts[t.word+1]++
			}
		}
		s.cands[i] = c
	}
	// Postings, laid out as one array: count, sum, fill.
	for w := 1; w < len(counts); w++ {
		counts[w] += counts[w-1]
	}
	s.postStart = slices.Clone(counts)
	s.posts = make([]int32, counts[len(words)])
	for ci, c := range s.cands {
		toks := s.tokens[c.tokLo:c.tokHi]
		for k, t := range toks {
			if !repeated(toks, k, t.word) {
				s.posts[counts[t.word]] = int32(ci)
				counts[t.word]++
			}
		}
	}
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

// repeated reports whether word is among toks[:k].
func repeated(toks []token, k int, word int32) bool {
	for _, t := range toks[:k] {
		if t.word == word {
			return true
		}
	}
	return false
}

// joinWords is the normalised text of a text's words.
func joinWords(ws []word) string {
	if len(ws) == 1 {
		return ws[0].norm
	}
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.norm)
	}
	return b.String()
}
