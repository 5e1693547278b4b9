package web

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"io"
	"net/url"
	"strings"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown renders corpus Markdown to HTML that is safe to put in a page: raw HTML in
// the source is shown as text, links and images keep only http(s), mailto and relative
// destinations, and fenced code is highlighted by chroma with CSS classes (the colours
// live in chroma.css).
type markdown struct {
	md goldmark.Markdown
}

func newMarkdown() *markdown {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(linkFilter{}, 100))),
		// Never html.WithUnsafe: safeRenderer escapes raw HTML, goldmark drops unsafe URLs.
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(&safeRenderer{}, 100)),
		),
	)
	return &markdown{md: md}
}

// Render converts src to HTML.
func (m *markdown) Render(src string) (template.HTML, error) {
	var b bytes.Buffer
	if err := m.md.Convert([]byte(src), &b); err != nil {
		return "", fmt.Errorf("markdown: %w", err)
	}
	return template.HTML(b.String()), nil
}

// safeURL reports whether a link or image destination may be rendered: http(s),
// mailto, or relative (a path, a query or a fragment).
func safeURL(dest string) bool {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "":
		// "//host/path" is protocol-relative: it inherits http(s).
		return u.Opaque == ""
	case "http", "https", "mailto":
		return true
	}
	return false
}

// linkFilter unwraps links and drops images whose destination is not safe, keeping
// their text, so nothing like javascript: reaches an href or a src.
type linkFilter struct{}

func (linkFilter) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var unsafe []ast.Node
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			if !safeURL(string(n.Destination)) {
				unsafe = append(unsafe, n)
			}
		case *ast.Image:
			if !safeURL(string(n.Destination)) {
				unsafe = append(unsafe, n)
			}
		case *ast.AutoLink:
			if !safeURL(string(n.URL(src))) {
				unsafe = append(unsafe, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unsafe {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		if al, ok := n.(*ast.AutoLink); ok {
			t := ast.NewString(al.Label(src))
			parent.ReplaceChild(parent, n, t)
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
}

// safeRenderer renders raw HTML as escaped text and fenced code through chroma.
type safeRenderer struct{}

func (r *safeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, r.rawHTML)
	reg.Register(ast.KindHTMLBlock, r.htmlBlock)
	reg.Register(ast.KindFencedCodeBlock, r.fencedCode)
	reg.Register(ast.KindCodeBlock, r.fencedCode)
	reg.Register(ast.KindLink, r.link)
}

// rawHTML writes inline HTML (<b>, <script>) as the text the author typed.
func (r *safeRenderer) rawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	segs := n.(*ast.RawHTML).Segments
	for i := 0; i < segs.Len(); i++ {
		s := segs.At(i)
		w.WriteString(html.EscapeString(string(s.Value(src))))
	}
	return ast.WalkSkipChildren, nil
}

// htmlBlock writes a block of HTML as a paragraph of its text.
func (r *safeRenderer) htmlBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	b := n.(*ast.HTMLBlock)
	var sb strings.Builder
	lines := b.Lines()
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		sb.Write(s.Value(src))
	}
	if b.HasClosure() {
		sb.Write(b.ClosureLine.Value(src))
	}
	w.WriteString(`<p class="raw-html">`)
	w.WriteString(html.EscapeString(strings.TrimRight(sb.String(), "\n")))
	w.WriteString("</p>\n")
	return ast.WalkSkipChildren, nil
}

// link renders a link; links leaving the site get rel="nofollow noopener".
func (r *safeRenderer) link(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !entering {
		w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	dest := string(n.Destination)
	w.WriteString(`<a href="`)
	w.WriteString(html.EscapeString(string(util.URLEscape(n.Destination, true))))
	w.WriteString(`"`)
	if len(n.Title) > 0 {
		w.WriteString(` title="`)
		gmhtml.DefaultWriter.Write(w, n.Title) // resolves \-escapes and entities, escapes HTML
		w.WriteString(`"`)
	}
	if u, err := url.Parse(dest); err == nil && u.Host != "" {
		w.WriteString(` rel="nofollow noopener"`)
	}
	w.WriteString(">")
	return ast.WalkContinue, nil
}

// fencedCode highlights a code block with chroma's CSS classes. An unknown language
// is shown as plain text.
func (r *safeRenderer) fencedCode(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	var lang string
	if fc, ok := node.(*ast.FencedCodeBlock); ok {
		lang = strings.ToLower(string(fc.Language(src)))
	}
	var code strings.Builder
	lines := node.Lines()
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		code.Write(s.Value(src))
	}
	writeCode(w, lang, code.String())
	return ast.WalkSkipChildren, nil
}

var codeFormatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.TabWidth(4))

// codeLanguages maps fence names chroma does not know to ones it does.
var codeLanguages = map[string]string{"jsonc": "json", "text": "plaintext", "txt": "plaintext", "sh": "bash", "shell": "bash", "console": "bash"}

func writeCode(w io.Writer, lang, code string) {
	name := lang
	if alias, ok := codeLanguages[lang]; ok {
		name = alias
	}
	var lexer chroma.Lexer
	if name != "" {
		lexer = lexers.Get(name)
	}
	if lexer == nil {
		lexer = lexers.Fallback
	}
	fmt.Fprintf(w, `<div class="code-block"`)
	if lang != "" && lang != "text" && lang != "plaintext" {
		fmt.Fprintf(w, ` data-lang="%s"`, html.EscapeString(lang))
	}
	io.WriteString(w, ">")
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err == nil {
		var b bytes.Buffer
		if err = codeFormatter.Format(&b, styles.Fallback, it); err == nil {
			w.Write(b.Bytes())
		}
	}
	if err != nil {
		fmt.Fprintf(w, `<pre class="chroma"><code>%s</code></pre>`, html.EscapeString(code))
	}
	io.WriteString(w, "</div>\n")
}

// Code colour themes: a light and a dark chroma style, switched by prefers-color-scheme.
const (
	lightCodeStyle = "github"
	darkCodeStyle  = "github-dark"
)

// chromaCSS generates the stylesheet for highlighted code.
func chromaCSS() ([]byte, error) {
	var b bytes.Buffer
	light, dark := styles.Get(lightCodeStyle), styles.Get(darkCodeStyle)
	b.WriteString("/* Generated from chroma's " + lightCodeStyle + " and " + darkCodeStyle + " styles. */\n")
	// Each style in its own media query: a rule of one must never leak into the other.
	b.WriteString("@media not all and (prefers-color-scheme: dark) {\n")
	if err := codeFormatter.WriteCSS(&b, light); err != nil {
		return nil, err
	}
	b.WriteString("}\n@media (prefers-color-scheme: dark) {\n")
	if err := codeFormatter.WriteCSS(&b, dark); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}
