package search

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that any input parses, and that the parsed words come from it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"", "goroutine leak", `"event loop" -java`, "framework:python code:gather", `-"x`, `lang:go,rust`, "a:b:c", "\xff\xfe", `""""`, "--force -"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Parse(s)
		valid := strings.ToValidUTF8(s, " ")
		for _, w := range append(append([]string{}, q.Words...), q.NotWords...) {
			if !utf8.ValidString(w) || w == "" {
				t.Fatalf("Parse(%q): bad word %q", s, w)
			}
			if !strings.Contains(valid, w) {
				t.Fatalf("Parse(%q): word %q not in the input", s, w)
			}
		}
	})
}

// FuzzSearch checks that no query makes a search fail.
func FuzzSearch(f *testing.F) {
	ix := openGood(f)
	for _, s := range []string{"goroutine lea", `"event loop"`, "asyncio.gather", "x~2 /re/ (a OR b)", "code:", "-", "*", "é\u0301"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > MaxQueryBytes {
			return
		}
		_, err := ix.Search(t.Context(), Request{Query: s})
		if !utf8.ValidString(s) {
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("Search(%q) with invalid UTF-8: %v, want ErrBadRequest", s, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Search(%q): %v", s, err)
		}
		_ = ix.NewMatcher(s).Ranges("a goroutine leaks while the event loop waits")
	})
}

// FuzzFragments checks that highlight fragments rebuild their text.
func FuzzFragments(f *testing.F) {
	f.Add("the event loop runs", 4, 9)
	f.Fuzz(func(t *testing.T, text string, s, e int) {
		if s < 0 || e > len(text) || s >= e {
			return
		}
		rs := []byteRange{{s, e}}
		frag := mark(text, rs)
		if got := frag.Text("", ""); got != text {
			t.Fatalf("fragment text %q, want %q", got, text)
		}
	})
}
