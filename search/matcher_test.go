package search

import (
	"context"
	"fmt"
	"qdex/indexer"
	"slices"
	"strings"
	"testing"
)

// marked renders text with [brackets] around the matcher's ranges.
func marked(m *Matcher, text string) string {
	var b strings.Builder
	pos := 0
	for _, r := range m.Ranges(text) {
		b.WriteString(text[pos:r[0]] + "[" + text[r[0]:r[1]] + "]")
		pos = r[1]
	}
	return b.String() + text[pos:]
}

func TestMatcher(t *testing.T) {
	ix := openGood(t)
	tests := []struct{ query, text, want string }{
		{"threads ", "A thread, two threads.", "A [thread], two [threads]."},
		{"asyncio.gather", "await asyncio.gather(a)", "await [asyncio.gather](a)"},
		// The part of an identifier the query names, as the hits' highlights mark it.
		{"gather ", "await asyncio.gather(a)", "await asyncio.[gather](a)"},
		{"goroutine lea", "a goroutine leaks", "a [goroutine] [leaks]"},
		{"gorutine ", "one goroutine", "one [goroutine]"},
		// A word the index knows is no typo: its neighbours are not marked.
		{"thread ", "a tread, a thread", "a tread, a [thread]"},
		// A phrase's words are marked one by one, where they make up the phrase.
		{"gil ", "the global interpreter lock", "the [global] [interpreter] [lock]"},
		{`"event loop"`, "the event loop runs; an event queue", "the [event] [loop] runs; an event queue"},
		{"the ", "the end", "[the] end"},
		{"", "nothing", "nothing"},
		{"<b>", "a <b> tag", "a <[b]> tag"},
	}
	for _, tt := range tests {
		if got := marked(ix.NewMatcher(tt.query), tt.text); got != tt.want {
			t.Errorf("%q in %q:\n got %s\nwant %s", tt.query, tt.text, got, tt.want)
		}
	}
}

// TestMatcherMarksWhatHitsHighlight: the answer pages mark exactly what the hits'
// highlights mark. For queries with a completion, a typo, a stem, a one-word synonym
// and a multi-word synonym, the Matcher's ranges in each of the best hits' question,
// answer and code are the byte ranges the hit's highlights are cut around.
func TestMatcherMarksWhatHitsHighlight(t *testing.T) {
	ix := openCorpus(t, "../data")
	ctx := context.Background()
	rd, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	for _, tt := range []struct {
		query string
		marks string // a word that must be marked somewhere, from the derivation tested
	}{
		{"goroutine lea", "leaks"},                    // completion
		{"gorutine leak ", "goroutine"},               // typo
		{"closures capture ", "closure"},              // stem: another form of the word
		{"go routine leak ", "goroutine"},             // multi-word synonym
		{"gil ", "interpreter"},                       // one-word synonym of a phrase
		{"k8s pod ", "kubernetes"},                    // one-word synonym of a word
		{`"event loop" block`, "event"},               // a quoted phrase
		{"asyncio.gather timeout ", "asyncio.gather"}, // an identifier, whole
	} {
		r := &request{ix: ix, Request: Request{Query: tt.query}, plan: ix.plan(Parse(tt.query)), rd: rd}
		f, err := r.run(ctx, pass{page: 1, size: 5})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.finish(f); err != nil {
			t.Fatal(err)
		}
		if len(f.hits) == 0 {
			t.Fatalf("%q: no hits", tt.query)
		}
		m := ix.NewMatcher(tt.query)
		seen := false
		for _, h := range f.hits {
			str := func(f string) string { s, _ := h.fields[f].(string); return s }
			for _, c := range []struct {
				field, text string
				fields      []string
				matcher     func(string) [][2]int
			}{
				{"question", str(indexer.FieldQuestion), questionFields, m.Question},
				{"answer", str(indexer.FieldAnswer), answerFields, m.Answer},
				{"code", str(indexer.FieldCode), codeFields, m.Code},
			} {
				var want []string
				for _, br := range ranges(h, c.text, c.fields...) {
					want = append(want, fmt.Sprintf("%d:%q", br.start, c.text[br.start:br.end]))
				}
				var got []string
				for _, br := range c.matcher(c.text) {
					got = append(got, fmt.Sprintf("%d:%q", br[0], c.text[br[0]:br[1]]))
					seen = seen || strings.EqualFold(c.text[br[0]:br[1]], tt.marks)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%q: %s's %s: the matcher marks\n%v\nits highlights\n%v", tt.query, h.id, c.field, got, want)
				}
			}
		}
		if !seen {
			t.Errorf("%q: %q marked in none of the hits", tt.query, tt.marks)
		}
	}
}
