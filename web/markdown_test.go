package web

import (
	"strings"
	"testing"
)

func TestMarkdown(t *testing.T) {
	md := newMarkdown()
	tests := []struct {
		name    string
		src     string
		want    []string
		notWant []string
	}{
		{"script inline shows as text", "Run <script>alert(1)</script> now",
			[]string{"Run &lt;script&gt;alert(1)&lt;/script&gt; now"}, []string{"<script"}},
		{"html block shows as text", "<div onclick=\"x()\">hi</div>\n",
			[]string{`<p class="raw-html">&lt;div onclick=&#34;x()&#34;&gt;hi&lt;/div&gt;</p>`}, []string{"<div onclick"}},
		{"img onerror", "<img src=x onerror=alert(1)>", []string{"&lt;img src=x onerror=alert(1)&gt;"}, []string{"<img"}},
		{"javascript link unwrapped", "[click](javascript:alert(1))", []string{"click"}, []string{"<a", "javascript:"}},
		{"mixed-case scheme", "[click](JaVaScRiPt:alert(1))", []string{"click"}, []string{"<a", "alert"}},
		{"vbscript", "[x](vbscript:msgbox)", []string{"x"}, []string{"<a"}},
		{"data link", "[x](data:text/html;base64,PHNjcmlwdD4=)", []string{"x"}, []string{"<a"}},
		{"javascript autolink", "<javascript:alert(1)>", nil, []string{"<a"}},
		{"image with javascript", "![alt text](javascript:alert(1))", []string{"alt text"}, []string{"<img"}},
		{"https link kept, nofollow", "[docs](https://go.dev/doc)", []string{`<a href="https://go.dev/doc" rel="nofollow noopener">docs</a>`}, nil},
		{"relative link kept", "[page](/python/concurrency/gil#what-is-the-gil)", []string{`<a href="/python/concurrency/gil#what-is-the-gil">page</a>`}, []string{"nofollow"}},
		{"fragment link", "[q](#other)", []string{`<a href="#other">q</a>`}, nil},
		{"mailto", "[mail](mailto:a@example.com)", []string{`href="mailto:a@example.com"`}, nil},
		{"link title escaped", `[x](/p "a\"<b>")`, []string{`title="a&quot;&lt;b&gt;"`}, nil},
		{"https image kept", "![logo](https://example.com/a.png)", []string{`<img src="https://example.com/a.png" alt="logo">`}, nil},
		{"gfm linkify", "see https://example.com/x", []string{`<a href="https://example.com/x"`}, nil},
		{"gfm table", "| a | b |\n| - | - |\n| 1 | 2 |\n", []string{"<table>", "<td>1</td>"}, nil},
		{"code highlighted", "```go\nfunc main() {}\n```\n",
			[]string{`<div class="code-block" data-lang="go">`, `<pre class="chroma">`, `<span class="kd">func</span>`}, nil},
		{"code escaped", "```html\n<script>alert(1)</script>\n```\n", []string{"&lt;", "script"}, []string{"<script>"}},
		{"unknown language plain", "```nosuchlang\n<b>x</b>\n```\n", []string{`data-lang="nosuchlang"`, "&lt;b&gt;x&lt;/b&gt;"}, []string{"<b>"}},
		{"language escaped", "```\"><script>\nx\n```\n", []string{`data-lang="&#34;&gt;&lt;script&gt;"`}, []string{"<script>"}},
		{"no language", "```\nplain\n```\n", []string{`<div class="code-block"><pre class="chroma">`}, nil},
		{"indented code", "    x := 1\n", []string{`<pre class="chroma">`}, nil},
		{"jsonc alias", "```jsonc\n{\"a\": 1}\n```\n", []string{`data-lang="jsonc"`, `class="nt"`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := md.Render(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			out := string(h)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
			checkSafeHTML(t, out)
			checkWellFormed(t, out)
		})
	}
}

func TestSafeURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://a.b/c": true, "http://a": true, "HTTPS://A": true, "/x/y": true, "x/y": true, "#f": true, "?q=1": true,
		"mailto:a@b": true, "//cdn.example.com/x": true,
		"javascript:alert(1)": false, " javascript:x": false, "JAVASCRIPT:x": false, "java\tscript:x": false,
		"data:text/html,x": false, "vbscript:x": false, "file:///etc/passwd": false, "ftp://x": false,
	} {
		if got := safeURL(u); got != want {
			t.Errorf("safeURL(%q) = %v, want %v", u, got, want)
		}
	}
}

func TestChromaCSS(t *testing.T) {
	css, err := chromaCSS()
	if err != nil {
		t.Fatal(err)
	}
	s := string(css)
	light := strings.Index(s, "@media not all and (prefers-color-scheme: dark)")
	dark := strings.Index(s, "@media (prefers-color-scheme: dark)")
	if light < 0 || dark < light || !strings.Contains(s[light:dark], ".chroma .k ") || !strings.Contains(s[dark:], ".chroma .k ") {
		t.Errorf("want a light and a dark block, each with token rules:\n%.500s", s)
	}
}
