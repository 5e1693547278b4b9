package search

import (
	"context"
	"qdex/indexer"
	"strings"
)

// suggest builds a corrected query from the index's own words, when the correction
// finds documents with every word and the query did not, or finds more of them.
func (ix *Index) suggest(ctx context.Context, raw string, q Query, filters map[string][]string, got *Result) string {
	v := ix.vocabulary()
	fixes := map[string]string{}
	for i, w := range q.Words {
		lw := strings.ToLower(w)
		if !isSuggestable(lw) || v.known(lw) || len(ix.text.Analyze([]byte(lw))) == 0 {
			continue
		}
		if q.Prefix && i == len(q.Words)-1 && ix.hasPrefix(lw) {
			continue // an unfinished word, not a typo
		}
		if c := v.correct(lw); c != "" && c != lw {
			fixes[w] = c
		}
	}
	if len(fixes) == 0 {
		return ""
	}
	// Replace the misspelt words in what was typed, keeping filters and phrases.
	fields := strings.Fields(raw)
	for i, f := range fields {
		if c, ok := fixes[f]; ok {
			fields[i] = c
		}
	}
	corrected := strings.Join(fields, " ")
	res, err := ix.Search(ctx, Request{Query: corrected, Filters: filters, Size: 1, NoFacets: true, noSuggest: true})
	if err != nil || res.Total == 0 || res.Relaxed {
		return ""
	}
	if !got.Relaxed && res.Total <= got.Total {
		return ""
	}
	return corrected
}

func (ix *Index) hasPrefix(p string) bool {
	for _, f := range indexer.VocabularyFields {
		d, err := ix.bleve.FieldDictPrefix(f, []byte(p))
		if err != nil {
			continue
		}
		e, _ := d.Next()
		d.Close()
		if e != nil {
			return true
		}
	}
	return false
}
