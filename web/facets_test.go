package web

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"qdex/facet"
)

// TestSearchJSFacets: the facets search.js draws as you type are the facet table's,
// with its JSON keys, parameters and titles in its order, so that the sidebar it
// builds is the one the server renders.
func TestSearchJSFacets(t *testing.T) {
	js, err := os.ReadFile("static/search.js")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile(`(?s)var FACETS = \[(.*?)\n  \];`).FindSubmatch(js)
	if block == nil {
		t.Fatal("search.js: no FACETS table")
	}
	var got, want [][3]string
	for _, m := range regexp.MustCompile(`\['([^']*)', '([^']*)', '([^']*)'\]`).FindAllSubmatch(block[1], -1) {
		got = append(got, [3]string{string(m[1]), string(m[2]), string(m[3])})
	}
	for _, f := range facet.All {
		want = append(want, [3]string{f.JSONKey, f.Params[0], f.Title})
	}
	if !slices.Equal(got, want) {
		t.Errorf("search.js FACETS:\n%v\nthe facet table's:\n%v", got, want)
	}
}
