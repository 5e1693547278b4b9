package suggest

import (
	"slices"
	"sort"
	"strings"
)

// maxWordRunes bounds the words indexed and typed: a longer one is a hash, a URL
// or a paste, never something to complete.
const maxWordRunes = 40

// vocabulary is every word of the candidates, sorted, so that the words with a
// prefix are one run of it, and laid out as a trie for typo searches.
type vocabulary struct {
	words  []string
	runes  []rune  // the words' runes, one after the other
	offs   []int32 // word i is runes[offs[i]:offs[i+1]]
	digits []bool  // digits[i]: words[i] holds a digit
	trie   []node  // in depth-first order; nodes[0] is the root, the last a sentinel
}

// node is one rune of the trie. Its subtree is nodes[i+1:end] and holds the words
// [lo, trie[end].lo), itself first when a word ends at it.
type node struct {
	r     rune
	depth int32
	end   int32
	lo    int32
	word  int32 // the word that ends here, or -1
}

// newVocabulary takes the distinct words, sorted in byte order (which is also
// their order by runes), none longer than maxWordRunes.
func newVocabulary(words []string) *vocabulary {
	total := 0
	for _, w := range words {
		total += len(w) // bytes, at least the runes
	}
	v := &vocabulary{words: words, runes: make([]rune, 0, total), offs: make([]int32, 1, len(words)+1), digits: make([]bool, len(words))}
	for i, w := range words {
		v.runes = append(v.runes, []rune(w)...)
		v.offs = append(v.offs, int32(len(v.runes)))
		v.digits[i] = hasDigit(w)
	}
	v.trie = make([]node, 1, len(v.runes)+2)
	v.trie[0].word = -1
	path := []int32{0} // path[d]: the node of depth d of the last word
	var prev []rune
	for i := range words {
		w := v.runesOf(i)
		l := commonPrefix(prev, w)
		for len(path)-1 > l {
			v.trie[path[len(path)-1]].end = int32(len(v.trie))
			path = path[:len(path)-1]
		}
		for d := l; d < len(w); d++ {
			path = append(path, int32(len(v.trie)))
			v.trie = append(v.trie, node{r: w[d], depth: int32(d + 1), lo: int32(i), word: -1})
		}
		v.trie[path[len(path)-1]].word = int32(i)
		prev = w
	}
	for _, p := range path {
		v.trie[p].end = int32(len(v.trie))
	}
	v.trie = append(v.trie, node{lo: int32(len(words)), word: -1})
	return v
}

func (v *vocabulary) runesOf(i int) []rune { return v.runes[v.offs[i]:v.offs[i+1]] }

// wordRun is the words [lo, hi) of the vocabulary, matched with edits typos.
type wordRun struct {
	lo, hi int32
	edits  uint8
}

// withPrefix is the run of words that start with p.
func (v *vocabulary) withPrefix(p string) (lo, hi int) {
	lo = sort.SearchStrings(v.words, p)
	hi = lo + sort.Search(len(v.words)-lo, func(i int) bool { return !strings.HasPrefix(v.words[lo+i], p) })
	return lo, hi
}

// lookup returns the runs of words that term matches: with prefix set, the words
// that start with term or with a string within maxEdits of it; otherwise the words
// within maxEdits of term. The runs are in order and do not overlap.
func (v *vocabulary) lookup(term []rune, prefix bool, maxEdits int) []wordRun {
	if maxEdits > 0 {
		return v.near(term, prefix, maxEdits)
	}
	t := string(term)
	if prefix {
		if lo, hi := v.withPrefix(t); lo < hi {
			return []wordRun{{int32(lo), int32(hi), 0}}
		}
		return nil
	}
	if i, ok := slices.BinarySearch(v.words, t); ok {
		return []wordRun{{int32(i), int32(i + 1), 0}}
	}
	return nil
}

// row is one row of an edit-distance table: row[j] is the distance from some
// runes of a word to the first j runes of the term.
type row [maxWordRunes + 1]uint8

// advance fills cur, the row of a word's d-th rune c (after the rune before),
// from the two rows above it, and returns its least value. Edits are insertions,
// deletions, substitutions and swaps of adjacent runes (optimal string alignment).
// Only the cells within limit of the diagonal can be within limit: the others are
// left out, those next to the band set to limit+1 for the rows below.
func advance(cur, up, up2 *row, term []rune, d int, c, before rune, limit uint8) uint8 {
	n := len(term)
	lo, hi := max(1, d-int(limit)), min(n, d+int(limit))
	if lo > hi { // the word is longer than the term by more than limit
		cur[n] = limit + 1
		return limit + 1
	}
	cur[0] = uint8(min(d, int(limit)+1))
	if lo > 1 {
		cur[lo-1] = limit + 1
	}
	if hi < n {
		cur[hi+1], cur[n] = limit+1, limit+1
	}
	low := cur[0]
	for j := lo; j <= hi; j++ {
		cost := uint8(1)
		if term[j-1] == c {
			cost = 0
		}
		x := min(up[j]+1, cur[j-1]+1, up[j-1]+cost)
		if d > 1 && j > 1 && c == term[j-2] && before == term[j-1] {
			x = min(x, up2[j-2]+1)
		}
		x = min(x, limit+1)
		cur[j] = x
		low = min(low, x)
	}
	return low
}

// firstRow is the row of a word's first 0 runes, values capped at limit+1.
func firstRow(n int, limit uint8) row {
	var r row
	for j := 0; j <= n; j++ {
		r[j] = min(uint8(j), limit+1)
	}
	return r
}

// near walks the trie with one row of the edit-distance table per depth, so that
// words sharing a prefix share its rows. A subtree is left as soon as its row holds
// nothing within maxEdits: the least value of a row never falls further down. A
// word with a digit is matched only without edits.
func (v *vocabulary) near(term []rune, prefix bool, maxEdits int) []wordRun {
	n := len(term)
	if n > maxWordRunes {
		return nil
	}
	limit := uint8(maxEdits)
	var rows [maxWordRunes + 1]row
	var path [maxWordRunes + 1]rune
	// best[d]: the least distance from the term to the first d' <= d runes of the
	// word walked; with prefix set, what a word below scores.
	var best [maxWordRunes + 1]uint8
	rows[0] = firstRow(n, limit)
	best[0] = rows[0][n]
	var out []wordRun
	for i := 1; i < len(v.trie)-1; {
		nd := &v.trie[i]
		d := int(nd.depth)
		path[d] = nd.r
		up2 := &rows[0]
		if d > 1 {
			up2 = &rows[d-2]
		}
		low := advance(&rows[d], &rows[d-1], up2, term, d, nd.r, path[d-1], limit)
		best[d] = min(best[d-1], rows[d][n])
		if low > limit {
			if prefix && best[d] <= limit {
				out = v.appendRun(out, int(nd.lo), int(v.trie[nd.end].lo), best[d])
			}
			i = int(nd.end)
			continue
		}
		if nd.word >= 0 {
			e := rows[d][n]
			if prefix {
				e = best[d]
			}
			if e <= limit {
				out = v.appendRun(out, int(nd.word), int(nd.word)+1, e)
			}
		}
		i++
	}
	return out
}

// within returns the edits between term and w (as a prefix of w with prefix set)
// and whether they are at most limit: near for a single word.
func within(term, w []rune, prefix bool, limit int) (uint8, bool) {
	n := len(term)
	if n > maxWordRunes || (!prefix && (len(w) > n+limit || len(w) < n-limit)) {
		return 0, false
	}
	lim := uint8(limit)
	var rows [3]row
	rows[0] = firstRow(n, lim)
	best := rows[0][n]
	for d := 1; d <= len(w); d++ {
		var before rune
		if d > 1 {
			before = w[d-2]
		}
		cur := &rows[d%3]
		low := advance(cur, &rows[(d+2)%3], &rows[(d+1)%3], term, d, w[d-1], before, lim)
		best = min(best, cur[n])
		if low > lim {
			return best, prefix && best <= lim
		}
	}
	e := rows[len(w)%3][n]
	if prefix {
		e = best
	}
	return e, e <= lim
}

// appendRun adds the words [lo, hi) matched with edits, leaving out those with a
// digit when edits > 0, and merging with the previous run where they touch.
func (v *vocabulary) appendRun(out []wordRun, lo, hi int, edits uint8) []wordRun {
	if edits == 0 {
		if k := len(out) - 1; k >= 0 && out[k].hi == int32(lo) && out[k].edits == 0 {
			out[k].hi = int32(hi)
			return out
		}
		return append(out, wordRun{int32(lo), int32(hi), 0})
	}
	for i := lo; i < hi; i++ {
		if v.digits[i] {
			continue
		}
		if k := len(out) - 1; k >= 0 && out[k].hi == int32(i) && out[k].edits == edits {
			out[k].hi++
			continue
		}
		out = append(out, wordRun{int32(i), int32(i + 1), edits})
	}
	return out
}

// commonPrefix is the number of leading runes a and b share.
func commonPrefix(a, b []rune) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// find returns the edits with which runs matches word id, and false when they do
// not.
func find(runs []wordRun, id int32) (uint8, bool) {
	if len(runs) == 1 { // the usual case: the words with an exact prefix
		return runs[0].edits, id >= runs[0].lo && id < runs[0].hi
	}
	lo, hi := 0, len(runs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch {
		case id < runs[m].lo:
			hi = m
		case id >= runs[m].hi:
			lo = m + 1
		default:
			return runs[m].edits, true
		}
	}
	return 0, false
}
