package web

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"qdex/api"
	"qdex/facet"
)

// TestOpenAPI checks that api/openapi.yaml parses, that every $ref resolves, and that
// its schemas name exactly the JSON fields the server sends: the description and the
// code cannot drift apart.
func TestOpenAPI(t *testing.T) {
	var doc map[string]any
	if err := yaml.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.") {
		t.Errorf("openapi: %q", v)
	}
	components, _ := doc["components"].(map[string]any)
	schemas, _ := components["schemas"].(map[string]any)
	responses, _ := components["responses"].(map[string]any)

	var refs []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				refs = append(refs, r)
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	for _, r := range refs {
		name, ok := strings.CutPrefix(r, "#/components/schemas/")
		if ok && schemas[name] != nil {
			continue
		}
		if name, ok := strings.CutPrefix(r, "#/components/responses/"); ok && responses[name] != nil {
			continue
		}
		t.Errorf("$ref %s does not resolve", r)
	}

	props := func(schema map[string]any) []string {
		p, _ := schema["properties"].(map[string]any)
		var out []string
		for k := range p {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	schema := func(name string) map[string]any {
		s, _ := schemas[name].(map[string]any)
		if s == nil {
			t.Fatalf("no schema %s", name)
		}
		return s
	}
	questions := schema("Subtopic")["properties"].(map[string]any)["questions"].(map[string]any)["items"].(map[string]any)
	articles := schema("Subtopic")["properties"].(map[string]any)["articles"].(map[string]any)["items"].(map[string]any)
	tests := []struct {
		schema map[string]any
		typ    any
	}{
		{schema("SearchResponse"), api.Response{}},
		{schema("Hit"), api.ResponseHit{}},
		{schema("FacetValue"), api.ResponseFacet{}},
		{schema("Subtopic"), apiSubtopic{}},
		{questions, apiQuestion{}},
		{articles, apiArticle{}},
		{schema("Readiness"), readiness{}},
		{schema("Error"), apiError{}},
	}
	for _, tt := range tests {
		name := reflect.TypeOf(tt.typ).Name()
		want := jsonFields(tt.typ)
		if got := props(tt.schema); !slices.Equal(got, want) {
			t.Errorf("%s: the schema has %v, the JSON has %v", name, got, want)
		}
	}
	hl := schema("Hit")["properties"].(map[string]any)["highlights"].(map[string]any)
	if got := props(hl); !slices.Equal(got, []string{"answer", "code", "question"}) {
		t.Errorf("highlights: %v", got)
	}
}

// TestOpenAPIFacets: the search operation's filter parameters and the response's
// facets object are the facet table's, in its order, with its fixed values as enums
// and its other parameter names mentioned.
func TestOpenAPIFacets(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name        string
				In          string
				Description string
				Schema      struct{ Items struct{ Enum []string } }
			}
		}
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Required   []string
					Properties yaml.Node
				}
			}
		}
	}
	if err := yaml.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	var params []string
	for _, p := range doc.Paths["/api/search"]["get"].Parameters {
		if p.In != "query" || slices.Contains([]string{"q", "page", "size", "sort", "semantic", "src", "corrected"}, p.Name) {
			continue
		}
		params = append(params, p.Name)
		f, ok := facetOfParam(p.Name)
		if !ok {
			continue
		}
		if !slices.Equal(p.Schema.Items.Enum, f.Values) {
			t.Errorf("parameter %s: enum %v, the facet's values %v", p.Name, p.Schema.Items.Enum, f.Values)
		}
		for _, other := range f.Params[1:] {
			if !strings.Contains(p.Description, "`"+other+"`") {
				t.Errorf("parameter %s: the description does not say that %s is accepted too", p.Name, other)
			}
		}
	}
	var wantParams, wantKeys []string
	for _, f := range facet.All {
		wantParams = append(wantParams, f.Params[0])
		wantKeys = append(wantKeys, f.JSONKey)
	}
	if !slices.Equal(params, wantParams) {
		t.Errorf("/api/search filter parameters %v, the facet table's %v", params, wantParams)
	}
	facets := doc.Components.Schemas["SearchResponse"].Properties["facets"]
	var keys []string
	for i := 0; i+1 < len(facets.Properties.Content); i += 2 {
		keys = append(keys, facets.Properties.Content[i].Value)
	}
	if !slices.Equal(keys, wantKeys) || !slices.Equal(facets.Required, wantKeys) {
		t.Errorf("facets: properties %v, required %v; the facet table's keys %v", keys, facets.Required, wantKeys)
	}
}

// facetOfParam is the facet a URL parameter filters by.
func facetOfParam(param string) (facet.Facet, bool) {
	for _, f := range facet.All {
		if slices.Contains(f.Params, param) {
			return f, true
		}
	}
	return facet.Facet{}, false
}

// jsonFields lists the JSON names of a struct's fields, sorted.
func jsonFields(v any) []string {
	typ := reflect.TypeOf(v)
	var out []string
	for i := 0; i < typ.NumField(); i++ {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
