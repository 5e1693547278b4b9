package search

import (
	"slices"
	"testing"
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
	if !v.known("throttle") || v.known("throt") {
		t.Error("known: throttle is a word of the index, throt is not")
	}
}
