package indexer

import (
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/registry"
)

// FuzzExtractText checks that Markdown always splits into prose and code without a
// panic, and that code block text comes from the input.
func FuzzExtractText(f *testing.F) {
	f.Add("Use **x**.\n\n```go\nfmt.Println()\n```\n")
	f.Add("<script>alert(1)</script>\n- a\n- b\n\n    indented code\n")
	f.Add("```\nunclosed")
	f.Fuzz(func(t *testing.T, md string) {
		ex := ExtractText(md)
		for _, c := range ex.Code {
			for _, line := range strings.Split(c.Code, "\n") {
				if !strings.Contains(md, strings.TrimSpace(line)) {
					t.Fatalf("code line %q not in the input", line)
				}
			}
		}
	})
}

// FuzzCodeAnalyzer checks that every token's offsets lie inside the text.
func FuzzCodeAnalyzer(f *testing.F) {
	f.Add("ThreadPoolExecutor asyncio.gather ROW_NUMBER() HTTPServer")
	f.Add("ÀbcDéf.ghI_jk")
	a, err := registry.NewCache().AnalyzerNamed(CodeAnalyzer)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range a.Analyze([]byte(s)) {
			if tok.Start < 0 || tok.End > len(s) || tok.Start > tok.End {
				t.Fatalf("token %q has offsets [%d:%d] outside %d bytes", tok.Term, tok.Start, tok.End, len(s))
			}
		}
	})
}
