package indexer_test

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"

	"qdex/facet"
	"qdex/indexer"
)

// TestMappingIndexesFacets: the index mapping indexes every facet's field whole, as
// a keyword, which is what the filters' term queries and the facet counts assume.
func TestMappingIndexesFacets(t *testing.T) {
	m, err := indexer.NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	im := m.(*mapping.IndexMappingImpl)
	for _, f := range facet.All {
		fm := im.FieldMappingForPath(f.Field)
		if fm.Name != f.Field || fm.Type != "text" || fm.Analyzer != keyword.Name || !fm.Index {
			t.Errorf("%s: field %q is mapped as %+v, want an indexed keyword field", f.Name, f.Field, fm)
		}
	}
}
