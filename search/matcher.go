package search

import (
	"sort"
	"strings"
)

// Matcher finds a query's words in arbitrary text, the way the index matched them:
// exact words, shared stems, the unfinished last word as a prefix, forgiven typos and
// synonyms. Answer pages use it to mark matches inside rendered HTML text nodes.
type Matcher struct {
	ix    *Index
	exact map[string]bool // lower-cased words, identifiers whole and split
	stems map[string]bool
	// stemStarts holds the first two bytes of every stem: a plain word whose start
	// is not among them cannot stem to one (stemmers change endings only).
	stemStarts map[string]bool
	prefix     []string
	phrases    [][]string // multi-word synonyms and quoted phrases, as exact words
}

// NewMatcher prepares the matcher for a user query.
func (ix *Index) NewMatcher(q string) *Matcher {
	pq := Parse(q)
	m := &Matcher{ix: ix, exact: map[string]bool{}, stems: map[string]bool{}, stemStarts: map[string]bool{}}
	typed := ix.splitWords(append(append([]string{}, pq.Words...), pq.CodeWords...))
	words, _ := ix.contentWords(typed)
	for i, w := range words {
		for _, t := range ix.exact.Analyze([]byte(w.text)) {
			m.exact[string(t.Term)] = true
		}
		for _, t := range ix.text.Analyze([]byte(w.text)) {
			m.stems[string(t.Term)] = true
			if len(t.Term) < 2 {
				m.stemStarts = nil // too short to filter by
			} else if m.stemStarts != nil {
				m.stemStarts[string(t.Term[:2])] = true
			}
		}
		lower := strings.ToLower(w.text)
		if pq.Prefix && i == len(words)-1 && len(lower) >= minPrefixLen && isWordy(lower) {
			m.prefix = append(m.prefix, lower)
		}
		// Typos as the query forgives them: an unknown word stands for the index's
		// words within reach.
		if f := fuzziness(w.text); f > 0 {
			for _, c := range ix.typoCandidates(lower, f) {
				m.exact[c] = true
			}
		}
		for _, s := range ix.synonyms[lower] {
			m.addPhrase(s)
		}
	}
	for _, ph := range append(append([]string{}, pq.Phrases...), pq.CodePhrases...) {
		m.addPhrase(ph)
	}
	return m
}

func (m *Matcher) addPhrase(s string) {
	var ws []string
	for _, t := range m.ix.exact.Analyze([]byte(s)) {
		ws = append(ws, string(t.Term))
	}
	if len(ws) == 1 {
		m.exact[ws[0]] = true
	} else if len(ws) > 1 {
		m.phrases = append(m.phrases, ws)
	}
}

// Empty reports whether the matcher can match nothing.
func (m *Matcher) Empty() bool {
	return len(m.exact) == 0 && len(m.stems) == 0 && len(m.prefix) == 0 && len(m.phrases) == 0
}

// Ranges returns the sorted, non-overlapping byte ranges [start, end) of matches in text.
func (m *Matcher) Ranges(text string) [][2]int {
	if m.Empty() || text == "" {
		return nil
	}
	toks := m.ix.exact.Analyze([]byte(text))
	var rs [][2]int
	// Words at each position, for phrases.
	byPos := map[int][]int{}
	// A word recurs in a text: decide each once.
	decided := map[string]bool{}
	for i, t := range toks {
		if len(m.phrases) > 0 {
			byPos[t.Position] = append(byPos[t.Position], i)
		}
		term := string(t.Term)
		match, ok := decided[term]
		if !ok {
			match = m.matchWord(term)
			decided[term] = match
		}
		if match {
			rs = append(rs, [2]int{t.Start, t.End})
		}
	}
	for _, ph := range m.phrases {
		for i, t := range toks {
			if string(t.Term) != ph[0] {
				continue
			}
			end, ok := t.End, true
			for k := 1; k < len(ph) && ok; k++ {
				ok = false
				for _, j := range byPos[t.Position+k] {
					if string(toks[j].Term) == ph[k] {
						end, ok = toks[j].End, true
						break
					}
				}
			}
			if ok {
				rs = append(rs, [2]int{toks[i].Start, end})
			}
		}
	}
	return mergeRanges(rs)
}

func (m *Matcher) matchWord(term string) bool {
	if m.exact[term] {
		return true
	}
	for _, p := range m.prefix {
		if strings.HasPrefix(term, p) {
			return true
		}
	}
	if len(m.stems) > 0 && (m.stemStarts == nil || !isPlainWord(term) || m.stemStarts[term[:2]]) {
		for _, s := range m.ix.text.Analyze([]byte(term)) {
			if m.stems[string(s.Term)] {
				return true
			}
		}
	}
	return false
}

// isPlainWord reports whether term is two or more lower-case ASCII letters.
func isPlainWord(term string) bool {
	if len(term) < 2 {
		return false
	}
	for i := 0; i < len(term); i++ {
		if term[i] < 'a' || term[i] > 'z' {
			return false
		}
	}
	return true
}

func mergeRanges(rs [][2]int) [][2]int {
	if len(rs) == 0 {
		return nil
	}
	sort.Slice(rs, func(i, j int) bool {
		if rs[i][0] != rs[j][0] {
			return rs[i][0] < rs[j][0]
		}
		return rs[i][1] > rs[j][1]
	})
	out := rs[:1]
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		if r[0] <= last[1] {
			last[1] = max(last[1], r[1])
			continue
		}
		out = append(out, r)
	}
	return out
}
