package search

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"
	"unicode/utf8"

	"qdex/facet"
	"qdex/indexer"
)

// Limits on a request, checked before any search runs.
const (
	MaxQueryBytes = 512
	MaxSize       = 100
	DefaultSize   = 10
	// MaxResultWindow bounds page*size: deep pages cost memory and help nobody.
	MaxResultWindow = 10000
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "newest"
)

// Request is one search: the query as typed plus filters chosen outside it (facet
// checkboxes, API parameters).
type Request struct {
	Query   string
	Filters map[string][]string // keys of FilterFields
	Page    int                 // from 1
	Size    int
	Sort    string
	// NoFacets skips facet counting, for callers that only want hits.
	NoFacets bool
	// SemanticRatio weighs the semantic side against the lexical one, from 0 (lexical
	// only) to 1; nil for DefaultSemanticRatio.
	SemanticRatio *float64
	// noSuggest skips "did you mean" (set when checking a suggestion).
	noSuggest bool
}

// Result is one page of hits with facets.
type Result struct {
	Query      string
	Parsed     Query
	Total      int
	Took       time.Duration
	Page, Size int
	Hits       []Hit
	Facets     map[string][]FacetValue // keyed by facet name (FacetNames)
	Suggestion string                  // a corrected query, when this one found little
	// Relaxed is true when no document had every word and the hits have only some.
	Relaxed bool
	// Semantic says whether the semantic side took part, and why not.
	Semantic Semantic
}

// Hit is one matching document.
type Hit struct {
	ID            string
	Type          string
	Question      string // the question, or the article's title
	Framework     string
	FrameworkName string
	Topic         string
	TopicName     string
	Subtopic      string
	SubtopicName  string
	Difficulty    string
	Languages     []string
	Updated       string
	URL           string
	Score         float64
	Highlights    Highlights
	// Found says which side found the hit: FoundLexical, FoundSemantic or FoundBoth.
	Found string
}

// Which side of a hybrid search found a hit.
const (
	FoundLexical  = "lexical"
	FoundSemantic = "semantic"
	FoundBoth     = "both"
)

// FacetValue is one value of a facet with its count.
type FacetValue struct {
	Value    string
	Label    string
	Count    int
	Selected bool
}

// FacetNames are the facets of every result, in display order; each is also a filter.
// They are facet.All's, the table every package reads.
var FacetNames = facet.Names()

// ErrBadRequest marks a request that is invalid (the caller's fault).
var ErrBadRequest = errors.New("bad request")

// Validate checks and defaults a request's limits.
func (r *Request) Validate() error {
	if len(r.Query) > MaxQueryBytes {
		return fmt.Errorf("%w: q: longer than %d bytes", ErrBadRequest, MaxQueryBytes)
	}
	if !utf8.ValidString(r.Query) {
		return fmt.Errorf("%w: q: not valid UTF-8", ErrBadRequest)
	}
	for k, vs := range r.Filters {
		for _, v := range vs {
			if !utf8.ValidString(v) || len(v) > MaxQueryBytes {
				return fmt.Errorf("%w: %s: not valid UTF-8 or too long", ErrBadRequest, k)
			}
		}
	}
	if r.Page == 0 {
		r.Page = 1
	}
	if r.Size == 0 {
		r.Size = DefaultSize
	}
	if r.Page < 1 {
		return fmt.Errorf("%w: page: must be 1 or more", ErrBadRequest)
	}
	if r.Size < 1 || r.Size > MaxSize {
		return fmt.Errorf("%w: size: must be between 1 and %d", ErrBadRequest, MaxSize)
	}
	if r.Page*r.Size > MaxResultWindow {
		return fmt.Errorf("%w: page: page × size must not exceed %d", ErrBadRequest, MaxResultWindow)
	}
	if s := r.SemanticRatio; s != nil && !(*s >= 0 && *s <= 1) {
		return fmt.Errorf("%w: semantic: must be between 0 and 1", ErrBadRequest)
	}
	switch r.Sort {
	case "":
		r.Sort = SortRelevance
	case SortRelevance, SortNewest:
	default:
		return fmt.Errorf("%w: sort: must be %q or %q", ErrBadRequest, SortRelevance, SortNewest)
	}
	for k := range r.Filters {
		if _, ok := FilterFields[k]; !ok {
			return fmt.Errorf("%w: %s: unknown filter", ErrBadRequest, k)
		}
	}
	return nil
}

func (ix *Index) facetValues(name string, counts []facetCount, selected []string) []FacetValue {
	f, _ := facet.Named(name)
	var vs []FacetValue
	seen := map[string]bool{}
	for _, c := range counts {
		vs = append(vs, FacetValue{Value: c.value, Label: ix.label(f, c.value), Count: c.count, Selected: slices.Contains(selected, c.value)})
		seen[c.value] = true
	}
	// A selected value with no matches still shows, so it can be unticked.
	for _, s := range selected {
		if !seen[s] {
			vs = append(vs, FacetValue{Value: s, Label: ix.label(f, s), Selected: true})
		}
	}
	if f.Ordered {
		sort.SliceStable(vs, func(i, j int) bool {
			return slices.Index(f.Values, vs[i].Value) < slices.Index(f.Values, vs[j].Value)
		})
	}
	return vs
}

// label is the display name of a facet value: from the catalog for the kinds of
// labels that need it, else as the facet table says.
func (ix *Index) label(f facet.Facet, value string) string {
	switch f.Labels {
	case facet.FrameworkNames:
		if fw := ix.catalog.Framework(value); fw != nil {
			return fw.Name
		}
	case facet.TopicNames:
		if l, ok := ix.topicLabels[value]; ok {
			return l
		}
	}
	return f.Labels.Label(value)
}

func (ix *Index) hit(h *match) Hit {
	str := func(f string) string { s, _ := h.fields[f].(string); return s }
	hit := Hit{
		ID:         h.id,
		Type:       str(indexer.FieldType),
		Question:   str(indexer.FieldQuestion),
		Framework:  str(indexer.FieldFramework),
		Topic:      str(indexer.FieldTopic),
		Subtopic:   str(indexer.FieldSubtopic),
		Difficulty: str(indexer.FieldDifficulty),
		Score:      h.score,
		Found:      cmp.Or(h.found, FoundLexical),
		Languages:  stringList(h.fields[indexer.FieldLanguage]),
	}
	if u := str(indexer.FieldUpdated); len(u) >= 10 {
		hit.Updated = u[:10]
	}
	if f := ix.catalog.Framework(hit.Framework); f != nil {
		hit.FrameworkName = f.Name
	}
	if t := ix.catalog.Topic(hit.Framework, hit.Topic); t != nil {
		hit.TopicName = t.Name
	}
	if s := ix.catalog.Subtopic(hit.Framework + "/" + hit.Topic + "/" + hit.Subtopic); s != nil {
		hit.SubtopicName = s.Name
	}
	hit.URL = "/" + h.id
	hit.Highlights = highlights(h, str)
	return hit
}

func stringList(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// ids lists the hits' document IDs in rank order.
func ids(res *Result) []string {
	out := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}
