package suggest

import (
	"slices"
	"testing"
)

func TestSplitWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"  \t ", nil},
		{"How do Goroutines LEAK?", []string{"how", "do", "goroutines", "leak"}},
		{"asyncio.gather() vs asyncio.wait", []string{"asyncio.gather", "vs", "asyncio.wait"}},
		{"snake_case and __init__", []string{"snake_case", "and", "init"}},
		{"e.g. node.js...", []string{"e.g", "node.js"}},
		{"What's the GIL’s job?", []string{"whats", "the", "gils", "job"}},
		{"C++ or C#, not a+b", []string{"c++", "or", "c#", "not", "a", "b"}},
		{"copy-on-write/UTF-8", []string{"copy", "on", "write", "utf", "8"}},
		{"python3.12 http2", []string{"python3.12", "http2"}},
		{"Straße 并发编程", []string{"straße", "并发编程"}},
		{"bad \xff byte", []string{"bad", "byte"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got []string
			for _, w := range splitWords(canonical(tt.in)) {
				got = append(got, w.norm)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("splitWords(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSplitWordsSpans(t *testing.T) {
	s := "Why does asyncio.gather() hang?"
	for _, w := range splitWords(s) {
		if got := normalize(s[w.start:w.end]); got != w.norm {
			t.Errorf("word %q spans %q", w.norm, s[w.start:w.end])
		}
	}
}

func TestWithParts(t *testing.T) {
	var got []string
	for _, w := range withParts(splitWords("asyncio.gather vs snake_case")) {
		if w.part {
			got = append(got, "+"+w.norm)
		} else {
			got = append(got, w.norm)
		}
	}
	want := []string{"asyncio.gather", "+asyncio", "+gather", "vs", "snake_case", "+snake", "+case"}
	if !slices.Equal(got, want) {
		t.Errorf("withParts = %q, want %q", got, want)
	}
}

func TestCanonical(t *testing.T) {
	// "café" typed with a combining accent is the precomposed one.
	if got, want := normalize("Cafe\u0301"), "caf\u00e9"; got != want {
		t.Errorf("normalize = %q, want %q", got, want)
	}
}
