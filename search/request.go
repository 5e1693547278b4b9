package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"qdex/indexer"
)

// request is one Request being answered: the query parsed and planned once, and the
// index snapshot that every pass over it reads.
type request struct {
	ix *Index
	Request
	parsed  Query
	filters map[string][]string // the query's and the request's, merged
	plan    *plan
	rd      index.IndexReader
	// collect keeps the numbers of every lexical match (in the facet counter), for
	// the semantic side to tell its hits from them.
	collect bool
}

// pass is one evaluation of the plan: with which filters, every word or any, and
// which of the ranked hits to keep.
type pass struct {
	filters    map[string][]string
	relaxed    bool
	page, size int
	sort       string
	facets     bool // count the facets of every match
}

// found is what a pass found: the matches, the best of them in order, and what was
// read on the way that later steps can reuse.
type found struct {
	total  uint64
	hits   []*match
	facets *facetCounter
	occ    occurrences // what rerank read in the hits
	lists  *termLists  // the postings lists the direct evaluation looked up
}

// match is a document a search found: its number in the index snapshot, its score
// and, for the page's hits, what the page shows of it.
type match struct {
	doc    uint64
	id     string
	score  float64
	found  string                   // which side found it (hybrid search)
	fields map[string]any           // stored fields, as loadFields reads them
	marks  map[fieldTerm][]location // where the query's terms are, to highlight
}

// addField adds a stored value: a field stored more than once becomes a list.
func (m *match) addField(name string, v any) {
	if m.fields == nil {
		m.fields = map[string]any{}
	}
	old, ok := m.fields[name]
	if !ok {
		m.fields[name] = v
		return
	}
	if list, ok := old.([]any); ok {
		m.fields[name] = append(list, v)
		return
	}
	m.fields[name] = []any{old, v}
}

// Search runs a request.
func (ix *Index) Search(ctx context.Context, r Request) (*Result, error) {
	start := time.Now()
	if err := r.Validate(); err != nil {
		return nil, err
	}
	q := Parse(r.Query)
	res := &Result{Query: r.Query, Parsed: q, Page: r.Page, Size: r.Size}
	rq := &request{ix: ix, Request: r, parsed: q, filters: mergeFilters(q.Filters, r.Filters), plan: ix.plan(q)}
	if rq.plan.empty() && len(filterUnits(rq.filters, "")) == 0 {
		res.Took = time.Since(start)
		return res, nil
	}
	if err := rq.answer(ctx, res); err != nil {
		return nil, fmt.Errorf("search %q: %w", r.Query, err)
	}
	if (res.Total < 3 || res.Relaxed) && q.HasText() && !r.noSuggest {
		res.Suggestion = ix.suggest(ctx, r.Query, q, rq.filters, res)
	}
	res.Took = time.Since(start)
	return res, nil
}

// answer fills res: the page's hits, the total and the facets.
func (r *request) answer(ctx context.Context, res *Result) error {
	var err error
	if r.rd, err = r.ix.reader(); err != nil {
		return err
	}
	defer r.rd.Close()
	sem, info, err := r.semantic(ctx)
	if err != nil {
		return fmt.Errorf("semantic: %w", err)
	}
	res.Semantic = info
	page, size := r.Page, r.Size
	if sem != nil {
		// Both sides' best hits are fused, and the page cut after.
		r.collect = true
		page, size = 1, max(r.Page*r.Size, fuseDepth)
	}
	f, err := r.run(ctx, pass{filters: r.filters, page: page, size: size, sort: r.Sort, facets: r.counting()})
	if err != nil {
		return err
	}
	relaxed := false // the hits and facets come from the relaxed query
	if f.total < relaxBelow && len(r.plan.words) > 1 {
		// Few documents have every word: list them first, then those with some of the
		// words, best first.
		noneStrict := f.total == 0
		if f, err = r.relax(ctx, f, page, size); err != nil {
			return err
		}
		relaxed, res.Relaxed = true, noneStrict
	}
	if sem != nil {
		sem.fuse(f, sem.within(r.ix.facetTable, r.filters, fuseDepth), r.Page, r.Size)
	}
	res.Total = int(f.total)
	if err := r.finish(f); err != nil {
		return err
	}
	for _, h := range f.hits {
		res.Hits = append(res.Hits, r.ix.hit(h))
	}
	if !r.NoFacets {
		if res.Facets, err = r.facets(ctx, f.facets, relaxed, sem); err != nil {
			return fmt.Errorf("facets: %w", err)
		}
	}
	return nil
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

// counting reports whether a pass counts its matches: for the facets, or for the
// semantic side.
func (r *request) counting() bool { return !r.NoFacets || r.collect }

// direct lays the plan out for the direct evaluation when it can evaluate a pass:
// the one place that chooses between it and bleve's searchers. It cannot rank by
// date, read an index that is not scorch's, or evaluate phrases and multi-word
// synonyms (see newDirectPlan); tests turn it off to compare the two.
func (r *request) direct(filters map[string][]string, relaxed bool, sort string) (*directPlan, bool) {
	if r.ix.bleveOnly || sort == SortNewest || snapshotOf(r.rd) == nil {
		return nil, false
	}
	return newDirectPlan(r.plan, filters, relaxed)
}

// run evaluates the plan once: directly when it can, else through bleve; then rerank
// reorders the best hits by the query's adjacent pairs.
func (r *request) run(ctx context.Context, ps pass) (*found, error) {
	from, size := (ps.page-1)*ps.size, ps.size
	rerank := len(r.plan.pairs) > 0 && ps.sort != SortNewest
	if rerank {
		// The pairs may reorder the best rerankDepth hits: fetch them all, and cut
		// the page after.
		from, size = 0, max(from+size, rerankDepth)
	}
	out := &found{}
	if ps.facets {
		out.facets = r.ix.facetTable.counter()
		if r.collect {
			out.facets.matched = roaring.New()
		}
	}
	if d, ok := r.direct(ps.filters, ps.relaxed, ps.sort); ok {
		res, err := d.run(ctx, snapshotOf(r.rd), true, from+size, out.facets)
		if err != nil {
			return nil, err
		}
		out.total, out.hits = res.total, res.hits[min(len(res.hits), from):]
		if err := externalIDs(r.rd, out.hits); err != nil {
			return nil, err
		}
		if !r.ix.freshReads {
			out.lists = res.lists
		}
	} else {
		q, _ := r.plan.compile(ps.filters, ps.relaxed, true)
		if err := r.runBleve(ctx, q, from, size, ps.sort, out); err != nil {
			return nil, err
		}
	}
	if rerank {
		occ, err := r.ix.rerank(ctx, r.rd, r.plan.pairs, out.hits, out.lists)
		if err != nil {
			return nil, fmt.Errorf("pairs: %w", err)
		}
		if !r.ix.freshReads {
			out.occ = occ
		}
		lo := min(len(out.hits), (ps.page-1)*ps.size)
		out.hits = out.hits[lo:min(len(out.hits), lo+ps.size)]
	}
	return out, nil
}

func (r *request) runBleve(ctx context.Context, q query.Query, from, size int, sort string, out *found) error {
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
	res, err := r.ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return err
	}
	out.total = res.Total
	for _, h := range res.Hits {
		n, ok := docNumber(h.IndexInternalID)
		if !ok {
			return fmt.Errorf("hit %s: internal ID %x", h.ID, h.IndexInternalID)
		}
		out.hits = append(out.hits, &match{doc: n, id: h.ID, score: h.Score})
	}
	return nil
}

// finish reads what the page's hits show: their stored fields, and where the query's
// words are in them.
func (r *request) finish(f *found) error {
	if len(f.hits) == 0 {
		return nil
	}
	hs, err := segmentsOf(r.rd, f.hits)
	if err != nil {
		return err
	}
	hs.known = f.lists
	if err := hs.locate(planLocations(r.plan), f.hits, f.occ); err != nil {
		return err
	}
	return hs.loadFields(f.hits, storedFields)
}

var storedFields = []string{
	indexer.FieldQuestion, indexer.FieldAnswer, indexer.FieldCode, indexer.FieldLanguage,
	indexer.FieldFramework, indexer.FieldTopic, indexer.FieldSubtopic, indexer.FieldDifficulty,
	indexer.FieldType, indexer.FieldUpdated,
}

// facets turns the counts into FacetValues. A facet with selected values is
// disjunctive: its counts come from a second pass without its own filter, so the
// other values stay visible with the counts they would give.
func (r *request) facets(ctx context.Context, counted *facetCounter, relaxed bool, sem *semanticPass) (map[string][]FacetValue, error) {
	out := map[string][]FacetValue{}
	for i, name := range FacetNames {
		counter := counted
		if len(r.filters[name]) > 0 {
			others := map[string][]string{}
			for k, v := range r.filters {
				if k != name {
					others[k] = v
				}
			}
			// Only which documents match counts here: no optional clauses, no scores.
			counter = r.ix.facetTable.counter()
			if sem != nil {
				counter.matched = roaring.New()
			}
			if err := r.count(ctx, others, relaxed, counter); err != nil {
				return nil, err
			}
			if sem != nil {
				// The documents found only by meaning within the other filters.
				for _, s := range sem.within(r.ix.facetTable, others, fuseDepth) {
					if !counter.matched.Contains(uint32(s.doc)) {
						counter.addDoc(s.doc)
					}
				}
			}
		}
		out[name] = r.ix.facetValues(name, counter.result(i), r.filters[name])
	}
	return out, nil
}

// count counts the facets of the plan's matches with the filters.
func (r *request) count(ctx context.Context, filters map[string][]string, relaxed bool, counter *facetCounter) error {
	if d, ok := r.direct(filters, relaxed, SortRelevance); ok {
		_, err := d.run(ctx, snapshotOf(r.rd), false, 0, counter)
		return err
	}
	q, ok := r.plan.compile(filters, relaxed, false)
	if !ok {
		q = allDocuments()
	}
	req := bleve.NewSearchRequestOptions(q, 0, 0, false)
	req.Score = bleve.ScoreNone
	_, err := r.ix.bleve.SearchInContext(withCounter(ctx, counter), req)
	return err
}

// relax merges the documents with every word (strict, of which there are fewer than
// relaxBelow) with those that have some of them, and cuts the requested page.
func (r *request) relax(ctx context.Context, strict *found, page, size int) (*found, error) {
	all := strict
	if int(all.total) > len(all.hits) || page > 1 {
		var err error
		if all, err = r.run(ctx, pass{filters: r.filters, page: 1, size: relaxBelow}); err != nil {
			return nil, err
		}
	}
	loose, err := r.run(ctx, pass{filters: r.filters, relaxed: true, page: 1, size: page*size + len(all.hits), sort: r.Sort, facets: r.counting()})
	if err != nil {
		return nil, err
	}
	seen := map[uint64]bool{}
	merged := append([]*match{}, all.hits...)
	for _, h := range all.hits {
		seen[h.doc] = true
	}
	for _, h := range loose.hits {
		if !seen[h.doc] {
			merged = append(merged, h)
		}
	}
	from := min(len(merged), (page-1)*size)
	to := min(len(merged), from+size)
	loose.hits = merged[from:to]
	loose.occ = all.occ.with(loose.occ)
	return loose, nil
}

// relaxCoverage is how much the share of the query's words a document has weighs
// in a relaxed search, where the words' scores are summed and scaled by that share
// raised to it (Lucene's coordination factor, squared and more). At 0 plain BM25
// ranks the documents, and a title with two common words of a long question
// outranks the answer with its rarer words; ranked by the number of words (as
// qdex did), a long article with many of the common words outranks both. Measured
// on the judged sets of data/ and on the imported javascript-questions collection
// (bench/cmd/qdexrelevance), 2 to 4 rank alike and better than either end.
const relaxCoverage = 3

// relaxBelow is the number of documents with every word under which documents with
// only some of the words are added after them: a page, so that a query three weak
// documents happen to match in full still shows the answer with most of its words
// (it was 3; on the judged set of data/ recall@10 rose from 0.913 to 0.942 for
// keywords and from 0.811 to 0.858 for questions, the imported collection unmoved).
const relaxBelow = DefaultSize
