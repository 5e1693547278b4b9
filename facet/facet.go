// Package facet is the one table of qdex's facets. Each facet is a filter of queries
// and requests and a count beside every result; the index, the query syntax, the
// JSON API, its OpenAPI description and the search page all read it here, so adding
// a facet is one row (and a reindex).
package facet

import (
	"strings"

	"qdex/corpus"
	"qdex/indexer"
)

// Facet is one facet and every name it goes by.
type Facet struct {
	// Name is the facet in the query syntax (lang:go), in search.Request.Filters and
	// in search.Result.Facets.
	Name string
	// Field is the keyword field of the index it counts and restricts.
	Field string
	// Aliases are other names the query syntax accepts (language:go, fw:go).
	Aliases []string
	// Params are the URL parameters of the search page and the API that filter by
	// it; the first is the one the OpenAPI document lists and links carry.
	Params []string
	// JSONKey is its key in the facets object of the JSON response.
	JSONKey string
	// Title heads its values in the search page's sidebar.
	Title string
	// Values are the only values it can take, when they are fixed (the OpenAPI enum).
	Values []string
	// Ordered shows the values in the order of Values rather than by count.
	Ordered bool
	// Labels says how its values are shown.
	Labels Labels
}

// All is every facet, in display order.
var All = []Facet{
	{Name: "framework", Field: indexer.FieldFramework, Aliases: []string{"fw"}, Params: []string{"framework"},
		JSONKey: "framework", Title: "Framework", Labels: FrameworkNames},
	{Name: "topic", Field: indexer.FieldTopic, Params: []string{"topic"},
		JSONKey: "topic", Title: "Topic", Labels: TopicNames},
	{Name: "difficulty", Field: indexer.FieldDifficulty, Aliases: []string{"level"}, Params: []string{"difficulty"},
		JSONKey: "difficulty", Title: "Difficulty", Values: corpus.Difficulties, Ordered: true, Labels: Capitalized},
	// lang, not language, in queries: it is shorter to type; the JSON key and
	// parameter accept the long form, the name of the field.
	{Name: "lang", Field: indexer.FieldLanguage, Aliases: []string{"language"}, Params: []string{"lang", "language"},
		JSONKey: "language", Title: "Language", Labels: LanguageNames},
	{Name: "type", Field: indexer.FieldType, Params: []string{"type"},
		JSONKey: "type", Title: "Type", Values: []string{indexer.TypeQuestion, indexer.TypeArticle}, Labels: DocTypeNames},
}

// Names are the facets' names, in display order.
func Names() []string {
	out := make([]string, len(All))
	for i, f := range All {
		out[i] = f.Name
	}
	return out
}

// Named returns the facet called name (not an alias).
func Named(name string) (Facet, bool) {
	for _, f := range All {
		if f.Name == name {
			return f, true
		}
	}
	return Facet{}, false
}

// Labels is a way of showing a facet's values.
type Labels int

const (
	Verbatim       Labels = iota // the value itself
	FrameworkNames               // the framework's name in the index's catalog
	TopicNames                   // the topic's name in the index's catalog
	Capitalized                  // easy → Easy
	LanguageNames                // javascript → JavaScript, cpp → C++, go → Go
	DocTypeNames                 // question → Questions
)

// Label shows value as the kinds that need no catalog do. FrameworkNames and
// TopicNames return value: their names are in the index's catalog, which search
// reads, and value is what shows when the catalog has no name for it.
func (l Labels) Label(value string) string {
	switch l {
	case Capitalized:
		return capitalize(value)
	case LanguageNames:
		if n, ok := languageNames[value]; ok {
			return n
		}
		return capitalize(value)
	case DocTypeNames:
		switch value {
		case indexer.TypeQuestion:
			return "Questions"
		case indexer.TypeArticle:
			return "Articles"
		}
	}
	return value
}

// languageNames spell the languages that capitalising the value gets wrong.
var languageNames = map[string]string{
	"javascript": "JavaScript", "typescript": "TypeScript", "sql": "SQL", "yaml": "YAML",
	"json": "JSON", "html": "HTML", "css": "CSS", "tsx": "TSX", "jsx": "JSX", "cpp": "C++",
	"csharp": "C#", "graphql": "GraphQL", "toml": "TOML", "hcl": "HCL", "xml": "XML",
}

func capitalize(v string) string {
	if v == "" {
		return v
	}
	return strings.ToUpper(v[:1]) + v[1:]
}
