package search

import (
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Query
	}{
		{"", Query{}},
		{"goroutine leak", Query{Words: []string{"goroutine", "leak"}, Prefix: true}},
		{"goroutine leak ", Query{Words: []string{"goroutine", "leak"}}},
		{`"event loop" blocking`, Query{Words: []string{"blocking"}, Phrases: []string{"event loop"}, Prefix: true}},
		{`"event loop"`, Query{Phrases: []string{"event loop"}}},
		{`"unclosed phrase`, Query{Phrases: []string{"unclosed phrase"}}},
		{`threads -java -"virtual threads"`, Query{Words: []string{"threads"}, NotWords: []string{"java"}, NotPhrases: []string{"virtual threads"}}},
		{"framework:python difficulty:HARD gil", Query{Words: []string{"gil"}, Filters: map[string][]string{"framework": {"python"}, "difficulty": {"hard"}}, Prefix: true}},
		{"lang:go language:rust type:blog", Query{Filters: map[string][]string{"lang": {"go", "rust"}, "type": {"article"}}}},
		{"code:gather", Query{CodeWords: []string{"gather"}, Prefix: true}},
		{`code:"asyncio.gather(*tasks)"`, Query{CodePhrases: []string{"asyncio.gather(*tasks)"}}},
		{"foo:bar baz", Query{Words: []string{"foo:bar", "baz"}, Prefix: true}},
		{"topic:", Query{Words: []string{"topic:"}, Prefix: true}},
		{"a~2 b^3 /re.*/ (x OR y)", Query{Words: []string{"a~2", "b^3", "/re.*/", "(x", "OR", "y)"}, Prefix: true}},
		{"- -- -", Query{Words: []string{"-", "--", "-"}, Prefix: true}},
		{"git push --force-with-lease", Query{Words: []string{"git", "push", "--force-with-lease"}, Prefix: true}},
		// A short -x after a word, phrase or flag is a command-line flag, typed whole.
		{"lsof -i", Query{Words: []string{"lsof", "-i"}}},
		{"fuser -k 8080/tcp", Query{Words: []string{"fuser", "-k", "8080/tcp"}, Prefix: true}},
		{"ls -la -R", Query{Words: []string{"ls", "-la", "-R"}}},
		{"kill -9 pid", Query{Words: []string{"kill", "-9", "pid"}, Prefix: true}},
		{`"git push" -f`, Query{Words: []string{"-f"}, Phrases: []string{"git push"}}},
		{"code:tar -xzf", Query{Words: []string{"-xzf"}, CodeWords: []string{"tar"}}},
		// First, after an exclusion or a filter, or of four letters, it excludes.
		{"-i lsof", Query{Words: []string{"lsof"}, NotWords: []string{"i"}, Prefix: true}},
		{"goroutine -leak", Query{Words: []string{"goroutine"}, NotWords: []string{"leak"}}},
		{"ss -ltnp", Query{Words: []string{"ss"}, NotWords: []string{"ltnp"}}},
		{"threads -java -vm", Query{Words: []string{"threads"}, NotWords: []string{"java", "vm"}}},
		{"lang:go -go", Query{NotWords: []string{"go"}, Filters: map[string][]string{"lang": {"go"}}}},
		{`react -"js"`, Query{Words: []string{"react"}, NotPhrases: []string{"js"}}},
		{"lsof -i:8080", Query{Words: []string{"lsof"}, NotWords: []string{"i:8080"}}},
		{`""`, Query{}},
		{"asyncio.gather", Query{Words: []string{"asyncio.gather"}, Prefix: true}},
		{"bad \xff utf8", Query{Words: []string{"bad", "utf8"}, Prefix: true}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Parse(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q)\n got %#v\nwant %#v", tt.in, got, tt.want)
			}
		})
	}
}
