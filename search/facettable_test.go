package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"qdex/corpus"
	"qdex/gen"
	"qdex/indexer"
)

// TestFacetCountsMatchHits checks the in-memory facet table against counts made from
// every hit's stored fields, on an index whose segments hold deleted documents (an
// incremental update after small batches), with and without selected filters.
func TestFacetCountsMatchHits(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	if _, err := gen.Generate(ctx, data, gen.Options{Questions: 300, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	// One answer gets code in two more languages, so that a facet has several
	// values in a document.
	pages, _ := filepath.Glob(filepath.Join(data, "qa", "*", "*", "*.md"))
	if len(pages) < 3 {
		t.Fatalf("generated corpus has %d pages", len(pages))
	}
	b, err := os.ReadFile(pages[2])
	if err != nil {
		t.Fatal(err)
	}
	fence := "\n\n      ```"
	if !strings.Contains(string(b), fence) {
		t.Fatalf("%s: no code block to add languages before", pages[2])
	}
	two := "\n\n      ```sql\n      SELECT 1;\n      ```\n\n      ```rust\n      fn main() {}\n      ```"
	if err := os.WriteFile(pages[2], []byte(strings.Replace(string(b), fence, two+fence, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := corpus.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := indexer.Build(ctx, c, dir, indexer.Options{BatchSize: 40}); err != nil {
		t.Fatal(err)
	}
	// Delete one page and rewrite another: their old documents stay in the segments,
	// marked deleted.
	if err := os.Remove(pages[0]); err != nil {
		t.Fatal(err)
	}
	b, err = os.ReadFile(pages[1])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pages[1], append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if c, err = corpus.Load(data); err != nil {
		t.Fatal(err)
	}
	rep, err := indexer.Update(ctx, c, dir, false, indexer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Full {
		t.Fatal("update rebuilt the index; want an incremental update")
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	// Both layouts of a column are counted: one value per document, and several.
	layouts := map[bool]bool{}
	for _, col := range ix.facetTable.facets {
		layouts[col.single != nil] = true
	}
	if len(layouts) != 2 {
		t.Fatalf("facet columns %v single-valued: want both layouts", layouts)
	}

	for _, tt := range []struct {
		q       string
		filters map[string][]string
	}{
		{"", map[string][]string{"type": {"question", "article"}}},
		{"function", nil},
		{"error handling", nil},
		{"data", map[string][]string{"difficulty": {"hard"}}},
		{"the", map[string][]string{"lang": {"go", "python"}, "difficulty": {"easy"}}},
	} {
		t.Run(tt.q, func(t *testing.T) {
			res, err := ix.Search(ctx, Request{Query: tt.q, Filters: tt.filters})
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range FacetNames {
				// The facet's counts are those of the query with every filter but its own.
				others := map[string][]string{}
				for k, v := range tt.filters {
					if k != name {
						others[k] = v
					}
				}
				want := countFromHits(t, ix, tt.q, others, name)
				got := map[string]int{}
				for _, v := range res.Facets[name] {
					if v.Count > 0 {
						got[v.Value] = v.Count
					}
				}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("facet %s:\n got %v\nwant %v", name, got, want)
				}
			}
		})
	}
}

// countFromHits counts the facet's values over every hit of the query, read from the
// hits' stored fields.
func countFromHits(t *testing.T, ix *Index, q string, filters map[string][]string, facet string) map[string]int {
	t.Helper()
	counts := map[string]int{}
	if q == "" && len(filters) == 0 {
		// What a search with nothing left to match counts: every document.
		filters = map[string][]string{"type": {indexer.TypeQuestion, indexer.TypeArticle}}
	}
	for page := 1; ; page++ {
		res, err := ix.Search(context.Background(), Request{Query: q, Filters: filters, Page: page, Size: MaxSize, NoFacets: true, noSuggest: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.Relaxed {
			t.Fatalf("%q: relaxed; pick a query with more matches", q)
		}
		for _, h := range res.Hits {
			switch facet {
			case "framework":
				counts[h.Framework]++
			case "topic":
				counts[h.Topic]++
			case "difficulty":
				counts[h.Difficulty]++
			case "type":
				counts[h.Type]++
			case "lang":
				for _, l := range slices.Compact(slices.Sorted(slices.Values(h.Languages))) {
					counts[l]++
				}
			}
		}
		if page*MaxSize >= res.Total {
			return counts
		}
	}
}
