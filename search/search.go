package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

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
}

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

// Search runs a request.
func (ix *Index) Search(ctx context.Context, r Request) (*Result, error) {
	start := time.Now()
	if err := r.Validate(); err != nil {
		return nil, err
	}
	q := Parse(r.Query)
	filters := mergeFilters(q.Filters, r.Filters)
	p := ix.plan(q)
	res := &Result{Query: r.Query, Parsed: q, Page: r.Page, Size: r.Size}

	if _, ok := p.query(filters, false); !ok {
		res.Took = time.Since(start)
		return res, nil
	}
	rd, err := ix.reader()
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	defer rd.Close()
	first, err := ix.run(ctx, rd, p, filters, false, r, !r.NoFacets)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	sr := &ranked{searched: first}
	if sr.Total < relaxBelow && len(p.units) > 1 {
		// Few documents have every word: list them first, then those with some of the
		// words, best first.
		if sr, err = ix.relax(ctx, rd, p, filters, r, sr); err != nil {
			return nil, fmt.Errorf("search %q: %w", r.Query, err)
		}
		res.Relaxed = sr.relaxed
	}
	res.Total = int(sr.Total)
	if err := ix.finish(rd, p, sr.searched); err != nil {
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	for _, h := range sr.Hits {
		res.Hits = append(res.Hits, ix.hit(h))
	}
	if !r.NoFacets {
		res.Facets, err = ix.facets(ctx, rd, p, filters, sr.facets, sr.relaxedQuery)
		if err != nil {
			return nil, fmt.Errorf("search %q: facets: %w", r.Query, err)
		}
	}
	if (res.Total < 3 || res.Relaxed) && q.HasText() && !r.noSuggest {
		res.Suggestion = ix.suggest(ctx, r.Query, q, filters, res)
	}
	res.Took = time.Since(start)
	return res, nil
}

func mergeFilters(a, b map[string][]string) map[string][]string {
	out := map[string][]string{}
	for _, m := range []map[string][]string{a, b} {
		for k, vs := range m {
			for _, v := range vs {
				v = strings.ToLower(strings.TrimSpace(v))
				if v != "" && !slices.Contains(out[k], v) {
					out[k] = append(out[k], v)
				}
			}
		}
	}
	return out
}

// query assembles the bleve query; relaxed turns "every word" into "any word". ok is
// false when there is nothing to search for.
func (p *plan) query(filters map[string][]string, relaxed bool) (query.Query, bool) {
	return p.build(filters, relaxed, true)
}

// matches is query without the clauses that only add to scores: the same documents,
// for counting them.
func (p *plan) matches(filters map[string][]string, relaxed bool) (query.Query, bool) {
	return p.build(filters, relaxed, false)
}

func (p *plan) build(filters map[string][]string, relaxed, scored bool) (query.Query, bool) {
	b := query.NewBooleanQuery(nil, nil, nil)
	hasMust := false
	if len(p.units) > 0 {
		switch {
		case relaxed && !scored:
			b.AddMust(newSum(p.units...))
		case relaxed:
			// A document with more of the words ranks above one with fewer, whatever
			// their scores: each word it has adds wordWeight.
			covered := make([]query.Query, len(p.units))
			for i, u := range p.units {
				all := query.NewMatchAllQuery()
				all.SetBoost(wordWeight)
				covered[i] = query.NewConjunctionQuery([]query.Query{u, all})
			}
			b.AddMust(newSum(covered...))
		default:
			b.AddMust(p.units...)
		}
		hasMust = true
	}
	if len(p.must) > 0 {
		b.AddMust(p.must...)
		hasMust = true
	}
	for _, f := range filterQueries(filters, "") {
		b.AddMust(f)
		hasMust = true
	}
	if !hasMust {
		return nil, false
	}
	if scored && len(p.should) > 0 {
		b.AddShould(p.should...)
	}
	if b.Should != nil {
		b.Should.(*query.DisjunctionQuery).SetMin(0)
	}
	if len(p.mustNot) > 0 {
		b.AddMustNot(p.mustNot...)
	}
	return b, true
}

// filterQueries returns one query per filter field (values OR-ed), leaving out skip.
func filterQueries(filters map[string][]string, skip string) []query.Query {
	var qs []query.Query
	for _, name := range FacetNames {
		vs := filters[name]
		if name == skip || len(vs) == 0 {
			continue
		}
		var alts []query.Query
		for _, v := range vs {
			t := query.NewTermQuery(v)
			t.SetField(FilterFields[name])
			alts = append(alts, t)
		}
		qs = append(qs, query.NewDisjunctionQuery(alts))
	}
	return qs
}

var storedFields = []string{
	indexer.FieldQuestion, indexer.FieldAnswer, indexer.FieldCode, indexer.FieldLanguage,
	indexer.FieldFramework, indexer.FieldTopic, indexer.FieldSubtopic, indexer.FieldDifficulty,
	indexer.FieldType, indexer.FieldUpdated,
}

// searched is one bleve search and, when asked for, its facet counts.
type searched struct {
	*bleve.SearchResult
	facets *facetCounter
	occ    occurrences // what rerank read in the hits
	lists  *termLists  // the postings lists the direct evaluation looked up
}

// run runs the plan's query (relaxed or not) with the filters: directly when it can
// (see direct), else through bleve.
func (ix *Index) run(ctx context.Context, rd index.IndexReader, p *plan, filters map[string][]string, relaxed bool, r Request, facets bool) (*searched, error) {
	from, size := (r.Page-1)*r.Size, r.Size
	rerank := len(p.pairs) > 0 && r.Sort != SortNewest
	if rerank {
		// The pairs may reorder the best rerankDepth hits: fetch them all, and cut
		// the page after.
		from, size = 0, max(from+size, rerankDepth)
	}
	out := &searched{}
	if facets {
		out.facets = ix.facetTable.counter()
	}
	snap, isScorch := rd.(*scorch.IndexSnapshot)
	if d, ok := ix.direct(p, filters, relaxed); ok && isScorch && !ix.bleveOnly && r.Sort != SortNewest {
		res, err := d.run(ctx, snap, true, from+size, out.facets)
		if err != nil {
			return nil, err
		}
		hits := res.hits[min(len(res.hits), from):]
		if err := externalIDs(rd, hits); err != nil {
			return nil, err
		}
		out.SearchResult = &bleve.SearchResult{Total: res.total, Hits: hits}
		if !ix.freshReads {
			out.lists = res.lists
		}
	} else {
		q, _ := p.query(filters, relaxed)
		if err := ix.runBleve(ctx, q, from, size, r.Sort, out); err != nil {
			return nil, err
		}
	}
	if rerank {
		occ, err := ix.rerank(ctx, rd, p.pairs, out.Hits, out.lists)
		if err != nil {
			return nil, fmt.Errorf("pairs: %w", err)
		}
		if !ix.freshReads {
			out.occ = occ
		}
		lo := min(len(out.Hits), (r.Page-1)*r.Size)
		out.Hits = out.Hits[lo:min(len(out.Hits), lo+r.Size)]
	}
	return out, nil
}

func (ix *Index) runBleve(ctx context.Context, q query.Query, from, size int, sort string, out *searched) error {
	// Neither stored fields nor locations: finish reads them for the page's hits.
	req := bleve.NewSearchRequestOptions(unnormalized{q}, size, from, false)
	if sort == SortNewest {
		req.SortBy([]string{"-" + indexer.FieldUpdated, "-_score", "_id"})
	} else {
		// Equal scores keep the index's order: a tie-break on _id would read the
		// external ID of every match.
		req.SortBy([]string{"-_score"})
	}
	if out.facets != nil {
		ctx = withCounter(ctx, out.facets)
	}
	var err error
	out.SearchResult, err = ix.bleve.SearchInContext(ctx, req)
	return err
}

// finish reads what the page's hits show: their stored fields, and where the query's
// words are in them.
func (ix *Index) finish(rd index.IndexReader, p *plan, s *searched) error {
	hits := s.Hits
	if len(hits) == 0 {
		return nil
	}
	hs, err := segmentsOf(rd, hits)
	if err != nil {
		return err
	}
	hs.known = s.lists
	if err := ix.locate(hs, ix.planLocations(p), hits, s.occ); err != nil {
		return err
	}
	return hs.loadFields(hits, storedFields)
}

// facets turns the counts into FacetValues. A facet with selected values is
// disjunctive: its counts come from a second search without its own filter, so the
// other values stay visible with the counts they would give.
func (ix *Index) facets(ctx context.Context, rd index.IndexReader, p *plan, filters map[string][]string, counted *facetCounter, relaxed bool) (map[string][]FacetValue, error) {
	out := map[string][]FacetValue{}
	for i, name := range FacetNames {
		counter := counted
		if len(filters[name]) > 0 {
			others := map[string][]string{}
			for k, v := range filters {
				if k != name {
					others[k] = v
				}
			}
			// Only which documents match counts here: no optional clauses, no scores.
			counter = ix.facetTable.counter()
			snap, isScorch := rd.(*scorch.IndexSnapshot)
			if d, ok := ix.direct(p, others, relaxed); ok && isScorch && !ix.bleveOnly {
				if _, err := d.run(ctx, snap, false, 0, counter); err != nil {
					return nil, err
				}
				out[name] = ix.facetValues(name, counter.result(i), filters[name])
				continue
			}
			q, ok := p.matches(others, relaxed)
			if !ok {
				q = allDocuments()
			}
			req := bleve.NewSearchRequestOptions(q, 0, 0, false)
			req.Score = bleve.ScoreNone
			if _, err := ix.bleve.SearchInContext(withCounter(ctx, counter), req); err != nil {
				return nil, err
			}
		}
		out[name] = ix.facetValues(name, counter.result(i), filters[name])
	}
	return out, nil
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

func (ix *Index) hit(h *bsearch.DocumentMatch) Hit {
	str := func(f string) string { s, _ := h.Fields[f].(string); return s }
	hit := Hit{
		ID:         h.ID,
		Type:       str(indexer.FieldType),
		Question:   str(indexer.FieldQuestion),
		Framework:  str(indexer.FieldFramework),
		Topic:      str(indexer.FieldTopic),
		Subtopic:   str(indexer.FieldSubtopic),
		Difficulty: str(indexer.FieldDifficulty),
		Score:      h.Score,
		Languages:  stringList(h.Fields[indexer.FieldLanguage]),
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
	hit.URL = "/" + h.ID
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

// allDocuments matches every question and article (a match-all query would also match
// the synonym definitions stored in the index).
func allDocuments() query.Query {
	return filterQueries(map[string][]string{"type": {indexer.TypeQuestion, indexer.TypeArticle}}, "")[0]
}

// ids lists the hits' document IDs in rank order.
func ids(res *Result) []string {
	out := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		out = append(out, h.ID)
	}
	return out
}

// ranked is a bleve result, possibly merged from a strict and a relaxed search.
type ranked struct {
	*searched
	relaxed      bool // no document had every word
	relaxedQuery bool // the hits and facets come from the relaxed query
}

// relax merges the documents with every word (strict, of which there are fewer than
// relaxBelow) with those that have some of them, and cuts the requested page.
func (ix *Index) relax(ctx context.Context, rd index.IndexReader, p *plan, filters map[string][]string, r Request, strict *ranked) (*ranked, error) {
	if _, ok := p.query(filters, true); !ok {
		return strict, nil
	}
	all := strict.searched
	if int(all.Total) > len(all.Hits) || r.Page > 1 {
		var err error
		if all, err = ix.run(ctx, rd, p, filters, false, Request{Page: 1, Size: relaxBelow}, false); err != nil {
			return nil, err
		}
	}
	loose, err := ix.run(ctx, rd, p, filters, true, Request{Page: 1, Size: r.Page*r.Size + len(all.Hits), Sort: r.Sort}, !r.NoFacets)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	merged := append([]*bsearch.DocumentMatch{}, all.Hits...)
	for _, h := range all.Hits {
		seen[h.ID] = true
	}
	for _, h := range loose.Hits {
		if !seen[h.ID] {
			merged = append(merged, h)
		}
	}
	from := min(len(merged), (r.Page-1)*r.Size)
	to := min(len(merged), from+r.Size)
	loose.Hits = merged[from:to]
	loose.occ = all.occ.with(loose.occ)
	return &ranked{searched: loose, relaxed: all.Total == 0, relaxedQuery: true}, nil
}

// wordWeight is what each word a document has adds to its score in a relaxed search:
// more than any score the words themselves give. A term scores less than its boost
// times idf² times BM25's k1, and idf is under 15 below a million documents: a word's
// clauses (a few dozen, boosts under 10) stay far below a million. 1,000 was not: one
// rare word in a question of a 100k index can score more.
const wordWeight = 1e6

// relaxBelow is the number of documents with every word under which documents with
// only some of the words are added.
const relaxBelow = 3
