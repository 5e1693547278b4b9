package suggest

import (
	"slices"
	"sort"
)

// hit is how a candidate matched the input, with what ranks it.
type hit struct {
	cand     int32
	edits    int
	leading  bool // its first words are the input's, in order
	inOrder  bool // its matched words come in the input's order
	first    int  // position of its first matched word (a part of a compound one later)
	pop, tie int32
	question bool
}

// before reports whether a ranks above b (see Complete).
func before(a, b hit) bool {
	switch {
	case a.edits != b.edits:
		return a.edits < b.edits
	case a.leading != b.leading:
		return a.leading
	case a.pop != b.pop:
		return a.pop < b.pop
	case a.inOrder != b.inOrder:
		return a.inOrder
	case a.first != b.first:
		return a.first < b.first
	}
	return a.tie < b.tie
}

// ranking keeps the best n hits, and the best n/3 questions among them or not.
type ranking struct {
	n         int
	all       []hit
	questions []hit
}

func (r *ranking) add(h hit) {
	r.all = insert(r.all, h, r.n)
	if h.question {
		r.questions = insert(r.questions, h, r.n/3)
	}
}

// wants reports whether a hit could still enter the ranking.
func (r *ranking) wants(h hit) bool {
	if len(r.all) < r.n || before(h, r.all[r.n-1]) {
		return true
	}
	q := r.n / 3
	return h.question && q > 0 && (len(r.questions) < q || before(h, r.questions[q-1]))
}

// insert puts h into the sorted list, keeping at most limit hits.
func insert(list []hit, h hit, limit int) []hit {
	if limit == 0 || (len(list) == limit && !before(h, list[limit-1])) {
		return list
	}
	i := sort.Search(len(list), func(i int) bool { return before(h, list[i]) })
	if len(list) < limit {
		list = append(list, hit{})
	}
	copy(list[i+1:], list[i:])
	list[i] = h
	return list
}

// pick returns the best n hits, with questions in place of the last queries until
// n/3 are questions or every question is in.
func (r *ranking) pick() []hit {
	out := r.all
	have := 0
	for _, h := range out {
		if h.question {
			have++
		}
	}
	for _, q := range r.questions {
		if have >= len(r.questions) {
			break
		}
		if slices.ContainsFunc(out, func(h hit) bool { return h.cand == q.cand }) {
			continue
		}
		for i := len(out) - 1; i >= 0; i-- {
			if !out[i].question {
				out[i] = q
				have++
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b hit) int {
		if before(a, b) {
			return -1
		}
		if before(b, a) {
			return 1
		}
		return 0
	})
	return out
}
