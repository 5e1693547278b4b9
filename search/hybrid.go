package search

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode"

	"github.com/RoaringBitmap/roaring/v2"
)

// Hybrid search: the lexical ranking and the semantic one, fused. The lexical side
// keeps what it is best at: a query with a quoted phrase or a code: word is searched
// lexically only, an excluded word excludes semantic hits too, and when the query
// names an identifier (asyncio.gather, useEffect, --force-with-lease) a document
// found only by meaning ranks below every document the words found, and when it is
// nothing but identifiers the words' ranking stands.

// DefaultSemanticRatio is the weight of the semantic side when a request does not
// set one (0 lexical only, 1 semantic only); measured in the README's table.
const DefaultSemanticRatio = 0.5

// fuseDepth is how many of each side's best hits are fused; the page is cut after.
const fuseDepth = 50

// Semantic says how a result used the semantic side.
type Semantic struct {
	Used   bool
	Ratio  float64
	Reason string // why it was not used
}

// semanticPass is the semantic side of one request.
type semanticPass struct {
	ratio float64
	// near are the documents above the floor, closest first, exclusions left out:
	// each pass takes those within its filters.
	near        []similar
	identifiers bool // some word names code
	// onlyIdentifiers: every word does (ProcessPoolExecutor, asyncio.gather); the
	// words' ranking then stands as it is.
	onlyIdentifiers bool
}

// semantic decides whether the request uses the semantic side and, when it does,
// embeds the query and finds its nearest documents.
func (r *request) semantic(ctx context.Context) (*semanticPass, Semantic, error) {
	ratio := DefaultSemanticRatio
	if r.SemanticRatio != nil {
		ratio = *r.SemanticRatio
	}
	info := Semantic{Ratio: ratio}
	s := r.ix.sem
	s.mu.Lock()
	model, off := s.model, s.off
	s.mu.Unlock()
	switch {
	case model == nil:
		info.Reason = off
	case ratio == 0:
		info.Reason = "semantic ratio 0"
	case r.Sort == SortNewest:
		info.Reason = "sorted by date"
	case len(r.plan.words) == 0:
		info.Reason = "no words to search by meaning"
	case len(r.plan.required) > 0:
		info.Reason = "quoted phrases and code: words are searched exactly"
	}
	if info.Reason != "" {
		return nil, info, nil
	}
	excluded, ok := r.excludedDocs()
	if !ok {
		info.Reason = "an excluded phrase is searched exactly"
		return nil, info, nil
	}
	vec, err := s.embedQuery(ctx, strings.Join(r.parsed.Words, " "))
	if err != nil {
		return nil, info, err
	}
	near := s.vectors.nearest(vec, model.SimilarityFloor(), len(s.vectors.docs), func(doc uint64) bool {
		return excluded == nil || !excluded.Contains(uint32(doc))
	})
	info.Used = true
	sp := &semanticPass{ratio: ratio, near: near, onlyIdentifiers: len(r.parsed.Words) > 0}
	for _, w := range r.parsed.Words {
		id := isIdentifier(w)
		sp.identifiers = sp.identifiers || id
		sp.onlyIdentifiers = sp.onlyIdentifiers && id
	}
	return sp, info, nil
}

// excludedDocs are the documents the query's exclusions match; ok is false when an
// exclusion is a phrase, which only bleve's searchers evaluate.
func (r *request) excludedDocs() (*roaring.Bitmap, bool) {
	if len(r.plan.excluded) == 0 {
		return nil, true
	}
	units, ok := directUnits(r.plan.excluded)
	snap := snapshotOf(r.rd)
	if !ok || snap == nil {
		return nil, false
	}
	docs, err := unionOf(snap, units)
	if err != nil {
		return nil, false
	}
	return docs, true
}

// within are the nearest documents the filters allow, at most k.
func (sp *semanticPass) within(t *facetTable, filters map[string][]string, k int) []similar {
	keep := t.filter(filters)
	var out []similar
	for _, s := range sp.near {
		if len(out) == k {
			break
		}
		if keep(s.doc) {
			out = append(out, s)
		}
	}
	return out
}

// rrfK is reciprocal rank fusion's constant: a hit at rank r (from 0) of a side
// scores weight/(rrfK + r) there. Ranks, not scores: BM25 scores and cosine
// similarities are on scales that a blend of normalised scores mixed badly (judged
// set, all kinds: 0.780 blended, 0.930 fused by rank; README).
const rrfK = 60

// fuse merges the lexical hits (the best of them, ranked; lex.facets.matched holds
// every lexical match) with the nearest documents by reciprocal rank fusion, and
// cuts the page. Documents found only by meaning count in the total and the facets.
func (sp *semanticPass) fuse(lex *found, near []similar, page, size int) {
	type fused struct {
		m       *match
		score   float64
		lexical bool
		rank    int // on the lexical side
	}
	all := make([]fused, 0, len(lex.hits)+len(near))
	seen := map[uint64]int{}
	for rank, h := range lex.hits {
		seen[h.doc] = len(all)
		h.found = FoundLexical
		all = append(all, fused{m: h, score: (1 - sp.ratio) / float64(rrfK+rank), lexical: true, rank: rank})
	}
	for rank, s := range near {
		w := sp.ratio / float64(rrfK+rank)
		if i, ok := seen[s.doc]; ok {
			all[i].score += w
			all[i].m.found = FoundBoth
			continue
		}
		f := fused{m: &match{doc: s.doc, found: FoundSemantic}, score: w}
		if lex.facets.matched.Contains(uint32(s.doc)) {
			// The words match it too, below the lexical hits fused: it is counted.
			f.lexical, f.m.found = true, FoundBoth
		} else {
			lex.total++
			lex.facets.addDoc(s.doc)
		}
		all = append(all, f)
	}
	slices.SortStableFunc(all, func(a, b fused) int {
		if sp.identifiers && a.lexical != b.lexical {
			if a.lexical {
				return -1
			}
			return 1
		}
		if sp.onlyIdentifiers && a.lexical && b.lexical {
			// A query of identifiers only is matched exactly, and by rank fusion an
			// answer naming ProcessPoolExecutor once in passing outranked the one
			// about it: meaning only adds documents after the words' hits.
			return cmp.Compare(a.rank, b.rank)
		}
		return cmp.Compare(b.score, a.score)
	})
	from := min(len(all), (page-1)*size)
	to := min(len(all), from+size)
	lex.hits = lex.hits[:0]
	for _, f := range all[from:to] {
		f.m.score = f.score
		lex.hits = append(lex.hits, f.m)
	}
}

// isIdentifier reports whether a typed word names code: dotted or underscored,
// camelCase, a flag, or with brackets or colons.
func isIdentifier(w string) bool {
	if strings.HasPrefix(w, "-") || strings.ContainsAny(w, "._:()[]<>#$@/\\") {
		return true
	}
	prevLower := false
	for _, c := range w {
		if unicode.IsUpper(c) && prevLower {
			return true
		}
		prevLower = unicode.IsLower(c)
	}
	return false
}
