package search

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"qdex/eval"
	"qdex/indexer"
)

// TestDirectMatchesBleve: the direct evaluation finds what bleve's searchers find for
// every judged query, alone and with filters, on the first two pages: the same total,
// the same hits in the same order with the same scores, the same facet counts.
func TestDirectMatchesBleve(t *testing.T) {
	ix := openCorpus(t, "../data")
	judged, err := eval.LoadJudged("../eval/testdata/judged")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var reqs []Request
	for _, j := range judged {
		reqs = append(reqs,
			Request{Query: j.Query},
			Request{Query: j.Query, Page: 2},
			Request{Query: j.Query, Filters: map[string][]string{"difficulty": {"medium", "hard"}}},
			Request{Query: j.Query + " lang:python"},
			Request{Query: j.Query + " -the"},
		)
	}
	direct := 0
	for _, r := range reqs {
		ix.bleveOnly = true
		want, err := ix.Search(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		ix.bleveOnly = false
		got, err := ix.Search(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if d, ok := newDirectPlan(ix.plan(got.Parsed), mergeFilters(got.Parsed.Filters, r.Filters), false); ok && d != nil {
			direct++
		}
		label := fmt.Sprintf("%q %v page %d", r.Query, r.Filters, r.Page)
		if got.Total != want.Total || got.Relaxed != want.Relaxed || len(got.Hits) != len(want.Hits) {
			t.Fatalf("%s: total %d relaxed %v hits %d; bleve: %d %v %d", label, got.Total, got.Relaxed, len(got.Hits), want.Total, want.Relaxed, len(want.Hits))
		}
		for i := range want.Hits {
			g, w := got.Hits[i], want.Hits[i]
			if g.ID != w.ID || math.Abs(g.Score-w.Score) > 1e-9*math.Max(1, math.Abs(w.Score)) {
				t.Fatalf("%s: hit %d is %s (%v); bleve's is %s (%v)\ngot  %v\nwant %v", label, i, g.ID, g.Score, w.ID, w.Score, ids(got), ids(want))
			}
		}
		if fmt.Sprint(got.Facets) != fmt.Sprint(want.Facets) {
			t.Fatalf("%s: facets\n%v\nbleve's\n%v", label, got.Facets, want.Facets)
		}
	}
	if direct < len(reqs)/2 {
		t.Errorf("only %d of %d requests evaluated directly", direct, len(reqs))
	}
	t.Logf("%d requests, %d evaluated directly", len(reqs), direct)
}

// TestDirectHonoursDeadline: a search whose context is done fails with the context's
// error on the direct path too, as bleve's collector makes it fail.
func TestDirectHonoursDeadline(t *testing.T) {
	ix := openGood(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, ok := newDirectPlan(ix.plan(Parse("coroutine block")), nil, false); !ok {
		t.Fatal("coroutine block: not evaluated directly")
	}
	if _, err := ix.Search(ctx, Request{Query: "coroutine block"}); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// TestReuseMatchesFreshReads: highlights and reranked scores are the same whether
// they reuse the postings the search read or read them afresh, for every judged query
// alone, on page 2 and filtered.
func TestReuseMatchesFreshReads(t *testing.T) {
	ix := openCorpus(t, "../data")
	judged, err := eval.LoadJudged("../eval/testdata/judged")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, j := range judged {
		for _, r := range []Request{
			{Query: j.Query},
			{Query: j.Query, Page: 2},
			{Query: j.Query, Filters: map[string][]string{"difficulty": {"medium", "hard"}}},
		} {
			var res [2]string
			for i, fresh := range []bool{true, false} {
				ix.freshReads = fresh
				got, err := ix.Search(ctx, r)
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range got.Hits {
					res[i] += fmt.Sprintf("%s %.9g %+v\n", h.ID, h.Score, h.Highlights)
				}
			}
			if res[0] != res[1] {
				t.Fatalf("%q %v page %d: reusing\n%s\nreading afresh\n%s", r.Query, r.Filters, r.Page, res[1], res[0])
			}
		}
	}
}

// TestLocateReusesRerank: the locations the page's highlights take from what rerank
// read are those the postings give when read afresh, for every judged query of two
// words or more; and some are taken, as are some of the search's postings lists, or
// this test and TestReuseMatchesFreshReads would compare nothing.
func TestLocateReusesRerank(t *testing.T) {
	ix := openCorpus(t, "../data")
	judged, err := eval.LoadJudged("../eval/testdata/judged")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rd, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	reused, listed := 0, 0
	for _, j := range judged {
		p := ix.plan(Parse(j.Query))
		if len(p.pairs) == 0 {
			continue
		}
		r := &request{ix: ix, plan: p, rd: rd}
		out, err := r.run(ctx, pass{page: 1, size: 10})
		if err != nil {
			t.Fatal(err)
		}
		hs, err := segmentsOf(rd, out.hits)
		if err != nil {
			t.Fatal(err)
		}
		l := planLocations(p)
		for _, ft := range l.terms() {
			if out.occ.has(out.hits, ft) {
				reused++
			}
			for _, g := range hs.groups {
				if _, ok := out.lists.get(g.snap, ft); ok {
					listed++
				}
			}
		}
		if err := hs.locate(l, out.hits, out.occ); err != nil {
			t.Fatal(err)
		}
		got := make([]map[fieldTerm][]location, len(out.hits))
		for i, h := range out.hits {
			got[i], h.marks = h.marks, nil
		}
		if err := hs.locate(l, out.hits, nil); err != nil {
			t.Fatal(err)
		}
		for i, h := range out.hits {
			if fmt.Sprint(flatten(got[i])) != fmt.Sprint(flatten(h.marks)) {
				t.Fatalf("%q: hit %d: locations\n%v\nread afresh\n%v", j.Query, h.doc, flatten(got[i]), flatten(h.marks))
			}
		}
	}
	if reused == 0 || listed == 0 {
		t.Fatalf("%d terms' locations taken from rerank, %d terms' lists from the search: want some of each", reused, listed)
	}
}

// flatten lists a hit's locations in a stable order, by value.
func flatten(m map[fieldTerm][]location) []string {
	var out []string
	for ft, locs := range m {
		for _, l := range locs {
			out = append(out, fmt.Sprintf("%s:%s@%d[%d:%d]", ft.field, ft.term, l.pos, l.start, l.end))
		}
	}
	slices.Sort(out)
	return out
}

// TestPhraseAdvance: the phrase searcher skipped to a document returns the first
// match at or after it, as bleve's conjunctions expect.
func TestPhraseAdvance(t *testing.T) {
	ix := openCorpus(t, "../data")
	rd, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	ctx := context.Background()
	searcher := func(q query.Query) bsearch.Searcher {
		s, err := q.Searcher(ctx, rd, ix.bleve.Mapping(), bsearch.SearcherOptions{Score: "bm25"})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	sc := &bsearch.SearchContext{DocumentMatchPool: bsearch.NewDocumentMatchPool(10, 0)}
	q := ix.phrase("the event loop", indexer.FieldAnswerExact, 1).compile()
	var all []uint64
	s := searcher(q)
	for m, err := s.Next(sc); m != nil || err != nil; m, err = s.Next(sc) {
		if err != nil {
			t.Fatal(err)
		}
		n, _ := docNumber(m.IndexInternalID)
		all = append(all, n)
	}
	if len(all) < 3 {
		t.Fatalf("%d matches of the phrase: want several", len(all))
	}
	// A fresh searcher skipped to each match, or to the document before it when no
	// match is there, lands on it; so does one skipped from match to match.
	at := func(s bsearch.Searcher, target uint64) uint64 {
		m, err := s.Advance(sc, binary.BigEndian.AppendUint64(nil, target))
		if err != nil || m == nil {
			t.Fatalf("advanced to %d: %v %v (matches %v)", target, m, err, all)
		}
		n, _ := docNumber(m.IndexInternalID)
		return n
	}
	walk := searcher(q)
	for k, n := range all {
		if got := at(searcher(q), n); got != n {
			t.Fatalf("advanced to %d: match %d (matches %v)", n, got, all)
		}
		if k > 0 && all[k-1] < n-1 {
			if got := at(searcher(q), n-1); got != n {
				t.Fatalf("advanced to %d: match %d, want %d (matches %v)", n-1, got, n, all)
			}
		}
		if got := at(walk, n); got != n {
			t.Fatalf("skipped from match to match to %d: match %d (matches %v)", n, got, all)
		}
	}
}
