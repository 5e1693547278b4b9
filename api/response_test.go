package api

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"qdex/facet"
	"qdex/search"
)

// TestNewResponse: an article's heading goes in title and a question's in question,
// highlights are escaped HTML with marks, absent lists are empty rather than null, and
// every facet has its contract key (language for lang), values or none.
func TestNewResponse(t *testing.T) {
	r := &search.Result{
		Query: "gil", Total: 2, Took: 1500 * time.Microsecond, Page: 1, Size: 10,
		Hits: []search.Hit{
			{ID: "python/concurrency/gil#what", Type: "question", Question: "What is the GIL?",
				Highlights: search.Highlights{Question: []search.Fragment{{{Text: "the "}, {Text: "<GIL>", Match: true}}}}},
			{ID: "blog/gil", Type: "article", Question: "The GIL, explained", Languages: []string{"python"}},
		},
		Facets: map[string][]search.FacetValue{"lang": {{Value: "python", Label: "Python", Count: 2, Selected: true}}},
	}
	resp := NewResponse(r)
	if resp.TookMS != 1.5 || resp.Total != 2 {
		t.Errorf("took_ms %v total %d, want 1.5 and 2", resp.TookMS, resp.Total)
	}
	q, a := resp.Hits[0], resp.Hits[1]
	if q.Question != "What is the GIL?" || q.Title != "" || a.Title != "The GIL, explained" || a.Question != "" {
		t.Errorf("question %q/%q, article %q/%q", q.Question, q.Title, a.Question, a.Title)
	}
	if got := q.Highlights["question"]; len(got) != 1 || got[0] != "the <mark>&lt;GIL&gt;</mark>" {
		t.Errorf("question highlights %q", got)
	}
	if q.Languages == nil || q.Highlights["answer"] == nil {
		t.Error("empty lists must encode as [], not null")
	}
	if got := resp.Facets["language"]; len(got) != 1 || got[0] != (ResponseFacet{Value: "python", Label: "Python", Count: 2, Selected: true}) {
		t.Errorf("facets[language] = %+v", got)
	}
	if _, ok := resp.Facets["lang"]; ok {
		t.Error(`facets has "lang": the contract's key is "language"`)
	}
	b, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "null") {
		t.Errorf("the JSON has a null: %s", b)
	}
	for _, f := range facet.All {
		if _, ok := resp.Facets[f.JSONKey]; !ok {
			t.Errorf("facets has no %q", f.JSONKey)
		}
	}
}
