package search

import (
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
