package facet

import (
	"slices"
	"testing"

	"qdex/indexer"
)

// TestTable: no two facets share a name, field, alias, parameter or JSON key (one
// would shadow the other), and every facet has a parameter and a title.
func TestTable(t *testing.T) {
	seen := map[string]string{}
	claim := func(kind, v, by string) {
		t.Helper()
		if prev, ok := seen[kind+" "+v]; ok {
			t.Errorf("%s %q of %s is %s's too", kind, v, by, prev)
		}
		seen[kind+" "+v] = by
	}
	for _, f := range All {
		claim("query name", f.Name, f.Name)
		for _, a := range f.Aliases {
			claim("query name", a, f.Name)
		}
		claim("field", f.Field, f.Name)
		claim("JSON key", f.JSONKey, f.Name)
		for _, p := range f.Params {
			claim("parameter", p, f.Name)
		}
		if len(f.Params) == 0 || f.Title == "" || f.JSONKey == "" {
			t.Errorf("%s: a facet needs a parameter, a title and a JSON key", f.Name)
		}
		if f.Ordered && len(f.Values) == 0 {
			t.Errorf("%s: ordered, but by no values", f.Name)
		}
		if got, ok := Named(f.Name); !ok || got.Field != f.Field {
			t.Errorf("Named(%q) = %+v, %v", f.Name, got, ok)
		}
	}
	if !slices.Equal(Names(), []string{"framework", "topic", "difficulty", "lang", "type"}) {
		t.Errorf("Names() = %v", Names())
	}
}

func TestLabel(t *testing.T) {
	for _, tt := range []struct {
		labels      Labels
		value, want string
	}{
		{Verbatim, "go", "go"},
		{Capitalized, "medium", "Medium"},
		{Capitalized, "", ""},
		{LanguageNames, "cpp", "C++"},
		{LanguageNames, "javascript", "JavaScript"},
		{LanguageNames, "go", "Go"},
		{DocTypeNames, indexer.TypeQuestion, "Questions"},
		{DocTypeNames, indexer.TypeArticle, "Articles"},
		{DocTypeNames, "other", "other"},
		{FrameworkNames, "python", "python"}, // named by search, from the catalog
		{TopicNames, "async", "async"},
	} {
		if got := tt.labels.Label(tt.value); got != tt.want {
			t.Errorf("%d.Label(%q) = %q, want %q", tt.labels, tt.value, got, tt.want)
		}
	}
}
