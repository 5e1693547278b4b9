package search

import (
	"context"
	"slices"
	"testing"

	"qdex/indexer"
)

func TestMergeCounts(t *testing.T) {
	w, f := mergeCounts([]string{"apple", "cherry", "fig"}, []int32{1, 2, 3}, []string{"banana", "cherry", "grape"}, []int32{10, 20, 30})
	if want := []string{"apple", "banana", "cherry", "fig", "grape"}; !slices.Equal(w, want) {
		t.Errorf("words %v, want %v", w, want)
	}
	if want := []int32{1, 10, 22, 3, 30}; !slices.Equal(f, want) {
		t.Errorf("counts %v, want %v", f, want)
	}
}

// TestVocabulary: completions come most frequent first, typo candidates closest
// first, and only words sharing one of the first two letters are candidates.
func TestVocabulary(t *testing.T) {
	ix := openQuestions(t, `  - id: one
    q: What do thread, threads and threading mean?
    a: |
      A thread runs; threads run; threads are threading. Three threads.
  - id: two
    q: What is a throttle?
    a: |
      Throttle the threads.
`)
	v := ix.vocabulary()
	if got := v.completions("thr", 2); !slices.Equal(got, []string{"threads", "thread"}) {
		t.Errorf("completions of thr: %v, want the two most frequent, threads then thread", got)
	}
	if got := v.completions("threa", 10); !slices.Equal(got, []string{"thread", "threading", "threads"}) {
		t.Errorf("completions of threa: %v, want all three in byte order", got)
	}
	if got := v.near("thraed", 1, 5, nil); !slices.Equal(got, []string{"thread"}) {
		t.Errorf("near thraed: %v, want thread (a swap is one edit)", got)
	}
	if got := v.near("hread", 1, 5, nil); !slices.Equal(got, []string{"thread"}) {
		t.Errorf("near hread: %v, want thread (its second letter is h)", got)
	}
	if got := v.near("xhread", 1, 5, nil); !slices.Equal(got, []string{"thread"}) {
		t.Errorf("near xhread: %v, want thread (second letters match)", got)
	}
	got, scales := v.forms("threaded", 10)
	if !slices.Equal(got, []string{"threads", "thread", "threading"}) {
		t.Errorf("forms of threaded: %v, want the words with its stem, most frequent first", got)
	}
	// A form scores with its stem's rarity: the stem is at least as common as any of
	// its forms, so their boosts are scaled down.
	for i, s := range scales {
		if s <= 0 || s > 1 {
			t.Errorf("form %s: scale %.3f, want more than 0 and at most 1", got[i], s)
		}
	}
	if got, _ := v.forms("sync.mutex", 10); got != nil {
		t.Errorf("forms of sync.mutex: %v, want none (not a plain word)", got)
	}
	// Per-field document counts, as the index has them.
	for _, f := range []string{indexer.FieldQuestionExact, indexer.FieldAnswerExact} {
		for _, w := range []string{"threads", "throttle", "three", "mean"} {
			tfr, err := ix.reader()
			if err != nil {
				t.Fatal(err)
			}
			r, err := tfr.TermFieldReader(context.Background(), []byte(w), f, false, false, false)
			if err != nil {
				t.Fatal(err)
			}
			want := int(r.Count())
			r.Close()
			tfr.Close()
			if got, ok := v.fieldDF(f, w); !ok || got != want {
				t.Errorf("fieldDF(%s, %s) = %d, %v; the index has %d", f, w, got, ok, want)
			}
		}
	}
	if _, ok := v.fieldDF(indexer.FieldCode, "threads"); ok {
		t.Error("fieldDF of code: want no count (not kept)")
	}
	if !v.known("throttle") || v.known("throt") {
		t.Error("known: throttle is a word of the index, throt is not")
	}
}

// TestNearMatchesBruteForce: the length, start and letter filters of near drop only
// words that are out of reach: on the shipped corpus, near finds what comparing
// every word would.
func TestNearMatchesBruteForce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the index of data/")
	}
	v := openCorpus(t, "../data").vocabulary()
	for _, w := range []string{"goroutnie", "semaphre", "concurent", "unbufered", "contxt", "bindng", "xhread", "thraed", "idempotncy", "serilaizable"} {
		k := fuzziness(w)
		var want []string
		for _, c := range v.words {
			if c != w && abs(len(c)-len(w)) <= k && (c[0] == w[0] || c[1] == w[1] || c[0] == w[1] || c[1] == w[0]) && editDistance(w, c, k) <= k {
				want = append(want, c)
			}
		}
		got := v.near(w, k, len(v.words), nil)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("near(%q, %d): got %v, want %v", w, k, got, want)
		}
	}
}

func abs(n int) int { return max(n, -n) }
