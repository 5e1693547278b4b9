package search

import "strings"

// synonyms are the groups of data/synonyms.yml, lower-cased, as the query plan reads
// them. Building them is linear in the number of terms: each group is kept once and
// each term records the groups it is in; the terms of a term's groups are merged only
// when a query asks for a term in several groups.
type synonyms struct {
	groups [][]string       // each group's terms, lower-cased, each once, in file order
	of     map[string][]int // the groups each term is in, in file order
}

func newSynonyms(groups [][]string) *synonyms {
	s := &synonyms{groups: make([][]string, 0, len(groups)), of: map[string][]int{}}
	for _, g := range groups {
		i := len(s.groups)
		terms := make([]string, 0, len(g))
		for _, t := range g {
			t = strings.ToLower(t)
			in := s.of[t]
			if len(in) > 0 && in[len(in)-1] == i {
				continue // twice in this group
			}
			s.of[t] = append(in, i)
			terms = append(terms, t)
		}
		s.groups = append(s.groups, terms)
	}
	return s
}

// terms returns the terms of every group t (lower-cased) is in, t included, each
// once, in the order of the groups; nil when t is in none. The slice may be shared:
// callers must not modify it.
func (s *synonyms) terms(t string) []string {
	in := s.of[t]
	switch len(in) {
	case 0:
		return nil
	case 1:
		return s.groups[in[0]]
	}
	first := s.groups[in[0]]
	out := make([]string, len(first), 2*len(first))
	copy(out, first)
	seen := make(map[string]bool, 2*len(first))
	for _, o := range first {
		seen[o] = true
	}
	for _, i := range in[1:] {
		for _, o := range s.groups[i] {
			if !seen[o] {
				seen[o] = true
				out = append(out, o)
			}
		}
	}
	return out
}
