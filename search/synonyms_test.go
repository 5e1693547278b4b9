package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"qdex/corpus"
	"qdex/indexer"
)

func TestSynonymTerms(t *testing.T) {
	s := newSynonyms([][]string{
		{"GC", "garbage collection", "gc"},
		{"gc", "GC pause", "stop the world"},
		{"STW", "stop the world"},
		{},
	})
	tests := []struct {
		term string
		want []string
	}{
		{"gc", []string{"gc", "garbage collection", "gc pause", "stop the world"}}, // two groups, twice in the first
		{"garbage collection", []string{"gc", "garbage collection"}},
		{"gc pause", []string{"gc", "gc pause", "stop the world"}},
		{"stop the world", []string{"gc", "gc pause", "stop the world", "stw"}},
		{"stw", []string{"stw", "stop the world"}},
		{"GC", nil}, // callers look terms up lower-cased
		{"pause", nil},
	}
	for _, tt := range tests {
		if got := s.terms(tt.term); !slices.Equal(got, tt.want) {
			t.Errorf("terms(%q) = %q, want %q", tt.term, got, tt.want)
		}
	}
	// The merged terms of a term in several groups are a copy: changing them leaves
	// the groups as they were.
	s.terms("gc")[1] = "changed"
	if got := s.terms("garbage collection"); !slices.Equal(got, []string{"gc", "garbage collection"}) {
		t.Errorf("a group changed: %q", got)
	}
}

// TestSynonymTermsMatchPairwise compares the terms with those of the definition
// (every term of every group a term is in, each once, in the order of the groups) on
// many overlapping groups.
func TestSynonymTermsMatchPairwise(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	words := make([]string, 100)
	for i := range words {
		words[i] = fmt.Sprintf("word%d", i)
	}
	var groups [][]string
	for range 50 {
		g := make([]string, 1+r.IntN(20))
		for j := range g {
			g[j] = words[r.IntN(len(words))]
			if r.IntN(4) == 0 {
				g[j] = strings.ToUpper(g[j])
			}
		}
		groups = append(groups, g)
	}
	want := map[string][]string{}
	for _, g := range groups {
		for _, a := range g {
			a = strings.ToLower(a)
			for _, b := range g {
				if b = strings.ToLower(b); !slices.Contains(want[a], b) {
					want[a] = append(want[a], b)
				}
			}
		}
	}
	s := newSynonyms(groups)
	multi := 0
	for _, w := range words {
		if got := s.terms(w); !slices.Equal(got, want[w]) {
			t.Errorf("terms(%q) = %q, want %q", w, got, want[w])
		}
		if len(s.of[w]) > 1 {
			multi++
		}
	}
	if multi < 10 {
		t.Fatalf("only %d words in several groups: the test compares little", multi)
	}
}

// TestOpenLargeSynonyms opens an index whose synonyms have large groups, and a term
// repeated in one: opening is linear in the synonyms' size (the pairwise expansion
// it replaced took over 30 s on these, on two cores).
func TestOpenLargeSynonyms(t *testing.T) {
	c, err := corpus.Load("../corpus/testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	// Ten groups of 1,000 terms, each group's last term the next one's first.
	for i := range 10 {
		g := make([]string, 1000)
		for j := range g {
			g[j] = fmt.Sprintf("Synonym Term %d-%d", i, j)
		}
		if i > 0 {
			g[0] = c.Synonyms[len(c.Synonyms)-1][999]
		}
		c.Synonyms = append(c.Synonyms, g)
	}
	// A term of 12,000 bytes, 500 times in one group.
	long := strings.Repeat("Lorem ipsum ", 1000)
	c.Synonyms = append(c.Synonyms, slices.Repeat([]string{long}, 500))
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := indexer.Build(context.Background(), c, dir, indexer.Options{}); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	ix := openIndex(t, dir)
	took := time.Since(start)
	t.Logf("open: %v", took)
	if took > 2*time.Second {
		t.Errorf("open took %v", took)
	}

	shared := ix.synonyms.terms("synonym term 0-999")
	if len(shared) != 1999 || shared[0] != "synonym term 0-0" || shared[999] != "synonym term 0-999" || shared[1000] != "synonym term 1-1" || shared[1998] != "synonym term 1-999" {
		t.Errorf("a term of two groups: %d terms, %q … %q", len(shared), shared[:min(2, len(shared))], shared[max(0, len(shared)-2):])
	}
	if got := ix.synonyms.terms("synonym term 0-1"); len(got) != 1000 || got[0] != "synonym term 0-0" {
		t.Errorf("a term of one group: %d terms", len(got))
	}
	if got := ix.synonyms.terms(strings.ToLower(long)); len(got) != 1 {
		t.Errorf("the repeated term: %d terms, want 1", len(got))
	}
}
