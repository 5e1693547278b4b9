package search

import (
	"math/bits"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"

	"qdex/indexer"
)

// vocabulary is the index's own words with their document frequencies: the source of
// typo expansions, completions and "did you mean" corrections. It is kept as sorted
// arrays rather than maps: at 100k questions it holds about a million words.
type vocabulary struct {
	words []string // every word, in byte order
	freq  []int32  // freq[i]: documents with words[i], summed over the fields
	masks []uint64 // masks[i]: letterMask(words[i])
	// stems[i] is the stem of words[i] when it is a plain word ("" otherwise), and
	// byStem the indexes of those words in order of stem: the forms of a word that
	// an answer may use (answers are indexed unstemmed).
	stems  []string
	byStem []int32
	// answerDF[i] is the number of answers with words[i]; docs the number of
	// documents. They weigh a stem's forms as the stem (see forms), and with
	// questionDF the words of adjacent pairs (see rerank).
	answerDF, questionDF []int32
	docs                 int
	// byFirst and bySecond group the words (as indexes into words) by length in
	// bytes and by their first or second byte, so that a typo is compared only with
	// the words that could be within reach.
	byFirst, bySecond map[startKey][]int32
}

// completions returns up to limit words that start with prefix (the prefix itself
// included when it is a word), the most frequent first.
func (v *vocabulary) completions(prefix string, limit int) []string {
	lo, _ := slices.BinarySearch(v.words, prefix)
	hi := lo
	for hi < len(v.words) && strings.HasPrefix(v.words[hi], prefix) {
		hi++
	}
	if hi-lo <= limit {
		return v.words[lo:hi]
	}
	top := make([]int, 0, hi-lo)
	for i := lo; i < hi; i++ {
		top = append(top, i)
	}
	// Most frequent first; equal ones stay in byte order.
	slices.SortStableFunc(top, func(a, b int) int { return int(v.freq[b]) - int(v.freq[a]) })
	out := make([]string, limit)
	for i := range out {
		out[i] = v.words[top[i]]
	}
	return out
}

// maxVocabWord bounds the length of the words kept (longer ones are not typed).
const maxVocabWord = indexer.MaxVocabularyWord

// vocabulary is the vocabulary read when the index was opened.
func (ix *Index) vocabulary() *vocabulary { return ix.vocab }

// newVocabulary merges the words the index wrote of each field (indexer.ReadVocabulary).
func newVocabulary(fields map[string]indexer.FieldWords, docs int) *vocabulary {
	v := &vocabulary{docs: docs}
	// Each field's words come in byte order: merge them one by one.
	for _, f := range indexer.VocabularyFields {
		fw := fields[f]
		v.words, v.freq = mergeCounts(v.words, v.freq, fw.Words, fw.Counts)
	}
	v.byFirst, v.bySecond = map[startKey][]int32{}, map[startKey][]int32{}
	v.masks = make([]uint64, len(v.words))
	v.stems = make([]string, len(v.words))
	stemmer := porter.NewPorterStemmer()
	for i, w := range v.words {
		v.masks[i] = letterMask(w)
		if isPlainWord(w) {
			v.stems[i] = stemOf(stemmer, w)
			v.byStem = append(v.byStem, int32(i))
		}
		k1, k2 := startKey{len(w), w[0]}, startKey{len(w), w[1]}
		v.byFirst[k1] = append(v.byFirst[k1], int32(i))
		v.bySecond[k2] = append(v.bySecond[k2], int32(i))
	}
	slices.SortStableFunc(v.byStem, func(a, b int32) int { return strings.Compare(v.stems[a], v.stems[b]) })
	// Each word's document frequency in answers and in questions alone.
	v.answerDF = v.alignCounts(fields[indexer.FieldAnswerExact])
	v.questionDF = v.alignCounts(fields[indexer.FieldQuestionExact])
	return v
}

// alignCounts returns one field's counts aligned with v.words, by a merge join.
func (v *vocabulary) alignCounts(fw indexer.FieldWords) []int32 {
	out := make([]int32, len(v.words))
	j := 0
	for i, w := range v.words {
		for j < len(fw.Words) && fw.Words[j] < w {
			j++
		}
		if j < len(fw.Words) && fw.Words[j] == w {
			out[i] = fw.Counts[j]
		}
	}
	return out
}

// fieldDF is the number of documents with the word in the field, for the fields it
// keeps counts of; ok is false for other fields and words it does not hold.
func (v *vocabulary) fieldDF(field, w string) (df int, ok bool) {
	var counts []int32
	switch field {
	case indexer.FieldAnswerExact:
		counts = v.answerDF
	case indexer.FieldQuestionExact:
		counts = v.questionDF
	default:
		return 0, false
	}
	i, found := slices.BinarySearch(v.words, w)
	if !found {
		return 0, false
	}
	return int(counts[i]), true
}

// stemOf is the Porter stem of a plain lower-case word, as the prose analyzer makes
// it; the word itself (not a copy) when stemming leaves it unchanged.
func stemOf(stemmer *porter.PorterStemmer, w string) string {
	toks := stemmer.Filter(analysis.TokenStream{{Term: []byte(w)}})
	if string(toks[0].Term) == w {
		return w
	}
	return string(toks[0].Term)
}

// forms returns up to limit words of the vocabulary with the stem of the plain word w
// (w itself included when it is a word), the most frequent first, and the factor by
// which each one's boost is scaled so that it scores with its stem's rarity: bleve
// weighs a term by its IDF squared, and a form is rarer than its stem (the answers
// with any form, counted as the sum of the forms' counts). nil for other words.
func (v *vocabulary) forms(w string, limit int) ([]string, []float64) {
	if !isPlainWord(w) {
		return nil, nil
	}
	stem := stemOf(porter.NewPorterStemmer(), w)
	lo, _ := slices.BinarySearchFunc(v.byStem, stem, func(i int32, s string) int { return strings.Compare(v.stems[i], s) })
	hi := lo
	stemDF := 0
	for hi < len(v.byStem) && v.stems[v.byStem[hi]] == stem {
		stemDF += int(v.answerDF[v.byStem[hi]])
		hi++
	}
	idx := slices.Clone(v.byStem[lo:hi])
	slices.SortStableFunc(idx, func(a, b int32) int { return int(v.freq[b]) - int(v.freq[a]) })
	words := make([]string, 0, min(limit, len(idx)))
	scale := make([]float64, 0, min(limit, len(idx)))
	stemIDF := bm25IDF(v.docs, min(stemDF, v.docs))
	for _, i := range idx[:min(limit, len(idx))] {
		words = append(words, v.words[i])
		r := stemIDF / bm25IDF(v.docs, int(v.answerDF[i]))
		scale = append(scale, r*r)
	}
	return words, scale
}

// mergeCounts merges two sorted word lists, adding the counts of words in both.
func mergeCounts(aw []string, af []int32, bw []string, bf []int32) ([]string, []int32) {
	words := make([]string, 0, len(aw)+len(bw))
	freq := make([]int32, 0, len(aw)+len(bw))
	i, j := 0, 0
	for i < len(aw) || j < len(bw) {
		switch {
		case j == len(bw) || (i < len(aw) && aw[i] < bw[j]):
			words, freq = append(words, aw[i]), append(freq, af[i])
			i++
		case i == len(aw) || bw[j] < aw[i]:
			words, freq = append(words, bw[j]), append(freq, bf[j])
			j++
		default:
			words, freq = append(words, aw[i]), append(freq, af[i]+bf[j])
			i, j = i+1, j+1
		}
	}
	return words, freq
}

// count is the document frequency of w, 0 for a word the index lacks.
func (v *vocabulary) count(w string) int {
	if i, ok := slices.BinarySearch(v.words, w); ok {
		return int(v.freq[i])
	}
	return 0
}

// known reports whether w is a word of the index.
func (v *vocabulary) known(w string) bool { return v.count(w) > 0 }

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

type candidate struct {
	term string
	dist int
	freq int
}

// near returns up to limit words of the vocabulary within maxEdits of w (an adjacent
// swap counts as one edit), closest first, then most frequent. Words that share
// neither of w's first two letters in their first two are skipped: typos there are
// rare, and the check makes the scan cheap.
func (v *vocabulary) near(w string, maxEdits, limit int, keep func(string) bool) []string {
	if len(w) < 2 {
		return nil
	}
	var cs []candidate
	w0, w1 := w[0], w[1]
	wm := letterMask(w)
	consider := func(i int32) {
		// An edit changes at most two of the letters a word has: a cheap test that
		// spares the edit distance of most words.
		if bits.OnesCount64(wm^v.masks[i]) > 2*maxEdits {
			return
		}
		c := v.words[i]
		if c == w || (keep != nil && !keep(c)) {
			return
		}
		if d := editDistance(w, c, maxEdits); d <= maxEdits {
			cs = append(cs, candidate{c, d, int(v.freq[i])})
		}
	}
	for l := len(w) - maxEdits; l <= len(w)+maxEdits; l++ {
		// The words sharing one of w's first two letters in their first two: those
		// starting with w0 or w1, then those with w0 or w1 second that the first
		// lists did not hold.
		for _, i := range v.byFirst[startKey{l, w0}] {
			consider(i)
		}
		if w1 != w0 {
			for _, i := range v.byFirst[startKey{l, w1}] {
				consider(i)
			}
		}
		for _, i := range v.bySecond[startKey{l, w1}] {
			if c := v.words[i][0]; c != w0 && c != w1 {
				consider(i)
			}
		}
		if w1 != w0 {
			for _, i := range v.bySecond[startKey{l, w0}] {
				if c := v.words[i][0]; c != w0 && c != w1 {
					consider(i)
				}
			}
		}
	}
	slices.SortFunc(cs, func(a, b candidate) int {
		if a.dist != b.dist {
			return a.dist - b.dist
		}
		if a.freq != b.freq {
			return b.freq - a.freq
		}
		return strings.Compare(a.term, b.term)
	})
	out := make([]string, 0, min(limit, len(cs)))
	for _, c := range cs[:min(limit, len(cs))] {
		out = append(out, c.term)
	}
	return out
}

// letterMask has a bit for each byte value (modulo 64) that w contains.
func letterMask(w string) uint64 {
	var m uint64
	for i := 0; i < len(w); i++ {
		m |= 1 << (w[i] & 63)
	}
	return m
}

// startKey is a word's length in bytes and one of its first two bytes.
type startKey struct {
	len  int
	char byte
}

// correct returns the most frequent plain word within the allowed edits of w, or "".
func (v *vocabulary) correct(w string) string {
	maxEdits := 1
	if len(w) >= 7 {
		maxEdits = 2
	}
	if c := v.near(w, maxEdits, 1, isSuggestable); len(c) > 0 {
		return c[0]
	}
	return ""
}

// editDistance is the optimal-string-alignment distance between a and b (insertions,
// deletions, substitutions and adjacent transpositions), giving up once it exceeds
// limit. It works on bytes, which is exact for ASCII and close enough for the rest.
func editDistance(a, b string, limit int) int {
	if len(a) > maxVocabWord*2 || len(b) > maxVocabWord*2 {
		return limit + 1
	}
	var rows [3][maxVocabWord*2 + 1]int
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
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
