package suggest

// postings lists, for each word of the vocabulary, candidates in increasing
// order, all in one array: those of word w are ids[start[w]:start[w+1]], so that
// those of a run of words are one slice too.
type postings struct {
	start []int32
	ids   []int32
}

// pair is one candidate listed under one word.
type pair struct{ word, cand int32 }

// newPostings lays out pairs given in increasing order of candidate.
func newPostings(words int, pairs []pair) postings {
	p := postings{start: make([]int32, words+1), ids: make([]int32, len(pairs))}
	for _, pr := range pairs {
		p.start[pr.word+1]++
	}
	for w := 1; w <= words; w++ {
		p.start[w] += p.start[w-1]
	}
	next := make([]int32, words)
	copy(next, p.start)
	for _, pr := range pairs {
		p.ids[next[pr.word]] = pr.cand
		next[pr.word]++
	}
	return p
}

// of is the candidates of the words [lo, hi).
func (p *postings) of(lo, hi int32) []int32 { return p.ids[p.start[lo]:p.start[hi]] }
