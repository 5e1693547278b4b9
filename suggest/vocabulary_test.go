package suggest

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// osa is the edit distance with adjacent swaps, by the textbook table: the
// reference that the trie walk must agree with.
func osa(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// bruteEdits is what near should find for word w: -1 for no match.
func bruteEdits(term, w []rune, prefix bool, maxEdits int, digits bool) int {
	d := osa(term, w)
	if prefix {
		for j := 0; j <= len(w); j++ {
			d = min(d, osa(term, w[:j]))
		}
	}
	if d > maxEdits || (d > 0 && digits) {
		return -1
	}
	return d
}

func TestNearAndWithinAgreeWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	alphabet := []rune("abcdeü1")
	randWord := func() string {
		w := make([]rune, 1+r.IntN(7))
		for i := range w {
			w[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(w)
	}
	set := map[string]bool{}
	for len(set) < 400 {
		set[randWord()] = true
	}
	var words []string
	for w := range set {
		words = append(words, w)
	}
	sort.Strings(words)
	v := newVocabulary(words)
	for range 300 {
		term := []rune(randWord())
		for _, prefix := range []bool{false, true} {
			for k := 1; k <= 2; k++ {
				runs := v.near(term, prefix, k)
				for i, w := range words {
					want := bruteEdits(term, []rune(w), prefix, k, v.digits[i])
					e, ok := find(runs, int32(i))
					got := int(e)
					if !ok {
						got = -1
					}
					if got != want {
						t.Fatalf("near(%q, prefix=%v, k=%d) gives %q %d edits, want %d", string(term), prefix, k, w, got, want)
					}
					if e, ok := within(term, []rune(w), prefix, k); v.digits[i] && e > 0 {
						// within leaves the digit rule to its caller.
					} else if (ok && int(e) != want) || (!ok && want >= 0) {
						t.Fatalf("within(%q, %q, prefix=%v, k=%d) = %d, %v, want %d", string(term), w, prefix, k, e, ok, want)
					}
				}
				if !slices.IsSortedFunc(runs, func(a, b wordRun) int { return int(a.lo - b.lo) }) {
					t.Fatalf("runs out of order: %v", runs)
				}
			}
		}
	}
}

func TestWithPrefix(t *testing.T) {
	v := newVocabulary([]string{"go", "gopher", "goroutine", "goroutines", "grep"})
	lo, hi := v.withPrefix("gor")
	if got := v.words[lo:hi]; !slices.Equal(got, []string{"goroutine", "goroutines"}) {
		t.Errorf("withPrefix(gor) = %q", got)
	}
	if lo, hi := v.withPrefix("x"); lo != hi {
		t.Errorf("withPrefix(x) = %q", v.words[lo:hi])
	}
}
