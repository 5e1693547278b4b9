package web

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"qdex/search"
)

// firstMatchID is the id of the first <mark> on a page, the one the page scrolls to.
const firstMatchID = "first-match"

// marker puts <mark> around a query's matches in the text of rendered HTML. It walks
// the text nodes and splits each one around its matches, so a mark never crosses an
// element and the markup around the text (chroma's spans, links, emphasis) is kept.
// One marker serves a whole page: it counts the marks and gives the first one
// id="first-match".
type marker struct {
	m     *search.Matcher
	Count int
}

func newMarker(m *search.Matcher) *marker {
	if m == nil || m.Empty() {
		return &marker{}
	}
	return &marker{m: m}
}

func (mk *marker) active() bool { return mk != nil && mk.m != nil }

// Text escapes a question's text and marks its matches, as the hits' highlights
// mark the question.
func (mk *marker) Text(s string) template.HTML {
	if !mk.active() {
		return template.HTML(template.HTMLEscapeString(s))
	}
	var b strings.Builder
	pos := 0
	for _, r := range mk.m.Question(s) {
		if r[0] < pos || r[1] > len(s) || r[0] >= r[1] {
			continue
		}
		b.WriteString(template.HTMLEscapeString(s[pos:r[0]]))
		b.WriteString(mk.open())
		b.WriteString(template.HTMLEscapeString(s[r[0]:r[1]]))
		b.WriteString("</mark>")
		pos = r[1]
	}
	b.WriteString(template.HTMLEscapeString(s[pos:]))
	return template.HTML(b.String())
}

func (mk *marker) open() string {
	mk.Count++
	if mk.Count == 1 {
		return `<mark id="` + firstMatchID + `">`
	}
	return "<mark>"
}

// skipMarking lists the elements whose text is never marked.
var skipMarking = map[atom.Atom]bool{atom.Script: true, atom.Style: true, atom.Textarea: true, atom.Title: true, atom.Mark: true}

// HTML marks the matches in the text nodes of an HTML fragment (as rendered by
// markdown) and renders it again.
func (mk *marker) HTML(src template.HTML) (template.HTML, error) {
	if !mk.active() || src == "" {
		return src, nil
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(string(src)), ctx)
	if err != nil {
		return "", fmt.Errorf("mark: %w", err)
	}
	var b bytes.Buffer
	for _, n := range nodes {
		mk.walk(n)
		if err := html.Render(&b, n); err != nil {
			return "", fmt.Errorf("mark: %w", err)
		}
	}
	return template.HTML(b.String()), nil
}

// walk marks the text nodes under n: inside a code block (<pre>) as the index
// matches code, elsewhere as it matches an answer's prose, so that the page marks
// what a hit's highlights mark.
func (mk *marker) walk(n *html.Node) { mk.walkIn(n, false) }

func (mk *marker) walkIn(n *html.Node, code bool) {
	if !mk.active() {
		return
	}
	switch n.Type {
	case html.TextNode:
		mk.split(n, code)
		return
	case html.ElementNode:
		if skipMarking[n.DataAtom] {
			return
		}
		code = code || n.DataAtom == atom.Pre
	}
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling // split replaces c
		mk.walkIn(c, code)
		c = next
	}
}

// split replaces the text node t by text and <mark> nodes.
func (mk *marker) split(t *html.Node, code bool) {
	text := t.Data
	rs := mk.m.Answer(text)
	if code {
		rs = mk.m.Code(text)
	}
	if len(rs) == 0 || t.Parent == nil {
		return
	}
	parent := t.Parent
	pos := 0
	for _, r := range rs {
		if r[0] < pos || r[1] > len(text) || r[0] >= r[1] {
			continue
		}
		if r[0] > pos {
			parent.InsertBefore(&html.Node{Type: html.TextNode, Data: text[pos:r[0]]}, t)
		}
		m := &html.Node{Type: html.ElementNode, Data: "mark", DataAtom: atom.Mark}
		mk.Count++
		if mk.Count == 1 {
			m.Attr = []html.Attribute{{Key: "id", Val: firstMatchID}}
		}
		m.AppendChild(&html.Node{Type: html.TextNode, Data: text[r[0]:r[1]]})
		parent.InsertBefore(m, t)
		pos = r[1]
	}
	if pos < len(text) {
		parent.InsertBefore(&html.Node{Type: html.TextNode, Data: text[pos:]}, t)
	}
	parent.RemoveChild(t)
}
