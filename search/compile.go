package search

import (
	"github.com/blevesearch/bleve/v2/search/query"

	"qdex/indexer"
)

// compile turns the plan, with the filters, into the bleve query that bleve's
// searchers evaluate when the direct evaluation does not (see evaluator): relaxed
// turns "every word" into "any word", and scored keeps the clauses that only add to
// scores (without them the query matches the same documents, for counting them). ok
// is false when there is nothing to search for.
func (p *plan) compile(filters map[string][]string, relaxed, scored bool) (query.Query, bool) {
	b := query.NewBooleanQuery(nil, nil, nil)
	hasMust := false
	if len(p.words) > 0 {
		words := compileUnits(p.words)
		switch {
		case relaxed && !scored:
			b.AddMust(sumQueryOf(words))
		case relaxed:
			b.AddMust(&sumQuery{clauses: words, coverage: relaxCoverage})
		default:
			b.AddMust(words...)
		}
		hasMust = true
	}
	if len(p.required) > 0 {
		b.AddMust(compileUnits(p.required)...)
		hasMust = true
	}
	if fs := filterUnits(filters, ""); len(fs) > 0 {
		b.AddMust(compileUnits(fs)...)
		hasMust = true
	}
	if !hasMust {
		return nil, false
	}
	if scored && len(p.optional) > 0 {
		b.AddShould(compileUnits(p.optional)...)
	}
	if b.Should != nil {
		b.Should.(*query.DisjunctionQuery).SetMin(0)
	}
	if len(p.excluded) > 0 {
		b.AddMustNot(compileUnits(p.excluded)...)
	}
	return b, true
}

func compileUnits(us []unit) []query.Query {
	qs := make([]query.Query, len(us))
	for i, u := range us {
		qs[i] = u.compile()
	}
	return qs
}

// compile is the unit as a bleve query: a sum of its alternatives, or a disjunction
// when coordinated; a unit of no alternatives matches nothing.
func (u unit) compile() query.Query {
	qs := make([]query.Query, len(u.alts))
	for i, a := range u.alts {
		qs[i] = a.compile()
	}
	if u.coordinated {
		return query.NewDisjunctionQuery(qs)
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return sumQueryOf(qs)
}

func (a alternative) compile() query.Query {
	switch {
	case a.phrase != nil:
		return &phraseQuery{*a.phrase}
	case a.span != nil:
		return query.NewConjunctionQuery(compileUnits(a.span))
	case len(a.terms) == 1:
		return termQuery(a.terms[0])
	}
	qs := make([]query.Query, len(a.terms))
	for i, l := range a.terms {
		qs[i] = termQuery(l)
	}
	return query.NewConjunctionQuery(qs)
}

func termQuery(l leaf) query.Query {
	q := query.NewTermQuery(l.term)
	q.SetField(l.field)
	q.SetBoost(l.boost)
	return q
}

// filterUnits returns one coordinated unit per filter (its values OR-ed), leaving out
// the filter skip.
func filterUnits(filters map[string][]string, skip string) []unit {
	var us []unit
	for _, name := range FacetNames {
		vs := filters[name]
		if name == skip || len(vs) == 0 {
			continue
		}
		u := unit{coordinated: true}
		for _, v := range vs {
			u.alts = append(u.alts, alternative{terms: clause{{FilterFields[name], v, 1}}})
		}
		us = append(us, u)
	}
	return us
}

// allDocuments matches every question and article (a match-all query would also match
// the synonym definitions stored in the index).
func allDocuments() query.Query {
	return filterUnits(map[string][]string{"type": {indexer.TypeQuestion, indexer.TypeArticle}}, "")[0].compile()
}
