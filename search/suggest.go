package search

import (
	"context"
	"strings"
	"unicode/utf8"

	"qdex/indexer"
)

// vocabulary is the index's own words with their document frequencies: the source of
// "did you mean" corrections.
type vocabulary struct {
	freq map[string]int
	// byFirst groups the words by their first byte, to scan fewer candidates.
	byFirst map[byte][]string
}

// suggestFields are the fields whose words may appear in a correction.
var suggestFields = []string{indexer.FieldQuestionExact, indexer.FieldAnswerExact, indexer.FieldContextExact, indexer.FieldCode}

func (ix *Index) vocabulary() *vocabulary {
	ix.vocabOnce.Do(func() {
		v := &vocabulary{freq: map[string]int{}, byFirst: map[byte][]string{}}
		for _, f := range suggestFields {
			d, err := ix.bleve.FieldDict(f)
			if err != nil {
				continue
			}
			for e, err := d.Next(); err == nil && e != nil; e, err = d.Next() {
				if !isSuggestable(e.Term) {
					continue
				}
				if _, ok := v.freq[e.Term]; !ok {
					v.byFirst[e.Term[0]] = append(v.byFirst[e.Term[0]], e.Term)
				}
				v.freq[e.Term] += int(e.Count)
			}
			d.Close()
		}
		ix.vocab = v
	})
	return ix.vocab
}

// known reports whether w is a word of the index.
func (v *vocabulary) known(w string) bool { return v.freq[w] > 0 }

// isSuggestable keeps plain lower-case words of 3 to 30 letters.
func isSuggestable(t string) bool {
	if len(t) < 3 || len(t) > 30 {
		return false
	}
	for _, c := range []byte(t) {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// correct returns the most frequent known word within the allowed edits of w, or "".
func (v *vocabulary) correct(w string) string {
	maxEdits := 1
	if len(w) >= 7 {
		maxEdits = 2
	}
	best, bestDist, bestFreq := "", maxEdits+1, 0
	// Typos rarely hit the first letter, but try all first letters when none is found.
	candidates := v.byFirst[w[0]]
	for pass := 0; pass < 2 && best == ""; pass++ {
		if pass == 1 {
			candidates = nil
			for c, ws := range v.byFirst {
				if c != w[0] {
					candidates = append(candidates, ws...)
				}
			}
		}
		for _, c := range candidates {
			if abs(len(c)-len(w)) > maxEdits {
				continue
			}
			d := editDistance(w, c, bestDist)
			if d < bestDist || (d == bestDist && v.freq[c] > bestFreq) {
				best, bestDist, bestFreq = c, d, v.freq[c]
			}
		}
	}
	if bestDist > maxEdits {
		return ""
	}
	return best
}

// suggest builds a corrected query from the index's own words, when the correction
// finds documents with every word and the query did not, or finds more of them.
func (ix *Index) suggest(ctx context.Context, raw string, q Query, filters map[string][]string, got *Result) string {
	v := ix.vocabulary()
	fixes := map[string]string{}
	for i, w := range q.Words {
		lw := strings.ToLower(w)
		if !isSuggestable(lw) || v.freq[lw] > 0 || len(ix.text.Analyze([]byte(lw))) == 0 {
			continue
		}
		if q.Prefix && i == len(q.Words)-1 && ix.hasPrefix(lw) {
			continue // an unfinished word, not a typo
		}
		if c := v.correct(lw); c != "" && c != lw {
			fixes[w] = c
		}
	}
	if len(fixes) == 0 {
		return ""
	}
	// Replace the misspelt words in what was typed, keeping filters and phrases.
	fields := strings.Fields(raw)
	for i, f := range fields {
		if c, ok := fixes[f]; ok {
			fields[i] = c
		}
	}
	corrected := strings.Join(fields, " ")
	res, err := ix.Search(ctx, Request{Query: corrected, Filters: filters, Size: 1, NoFacets: true, noSuggest: true})
	if err != nil || res.Total == 0 || res.Relaxed {
		return ""
	}
	if !got.Relaxed && res.Total <= got.Total {
		return ""
	}
	return corrected
}

func (ix *Index) hasPrefix(p string) bool {
	for _, f := range suggestFields {
		d, err := ix.bleve.FieldDictPrefix(f, []byte(p))
		if err != nil {
			continue
		}
		e, _ := d.Next()
		d.Close()
		if e != nil {
			return true
		}
	}
	return false
}

// editDistance is the optimal-string-alignment distance between a and b (insertions,
// deletions, substitutions and adjacent transpositions), giving up once it exceeds
// limit.
func editDistance(a, b string, limit int) int {
	if !utf8.ValidString(a) || !utf8.ValidString(b) {
		return limit + 1
	}
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
