package search

import (
	"maps"
	"testing"
)

// TestUnitMergesTerms: a unit added to a unit is flattened into it, and single terms
// on the same field and term are read once, at the sum of their boosts; a clause of
// several terms is kept apart.
func TestUnitMergesTerms(t *testing.T) {
	var inner unitBuilder
	inner.addTerm("stack", "answer_exact", 1.5)
	inner.addTerm("stacks", "answer_exact", 1)
	var b unitBuilder
	b.addTerm("stack", "answer_exact", 3)
	b.addUnit(inner.u)
	b.addTerm("stack", "code", 1)
	b.add(alternative{terms: clause{{"code", "stack", 1}, {"code", "pop", 1}}})
	if len(b.u.alts) != 4 || len(b.u.alts[3].terms) != 2 {
		t.Fatalf("got %+v, want three terms and a clause of two", b.u.alts)
	}
	got := map[string]float64{}
	for _, a := range b.u.alts[:3] {
		l := a.terms[0]
		got[l.field+":"+l.term] = l.boost
	}
	want := map[string]float64{"answer_exact:stack": 4.5, "answer_exact:stacks": 1, "code:stack": 1}
	if !maps.Equal(got, want) {
		t.Errorf("boosts %v, want %v", got, want)
	}
}
