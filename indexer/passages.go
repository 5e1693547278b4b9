package indexer

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"qdex/corpus"
)

// passageAnswerBytes is how much of an answer's prose joins its question in the text
// a question is embedded as: the opening states the answer, in other words than the
// question's (measured in model/README.md).
const passageAnswerBytes = 600

// maxSectionBytes bounds an article section's text: the model reads a few hundred
// tokens at most, and a section's opening says what it is about.
const maxSectionBytes = 1200

// questionPassage is the text a question is embedded as.
func questionPassage(q *corpus.Question) string {
	return joinPassage(q.Q, ExtractText(q.A).Prose, passageAnswerBytes)
}

// articlePassages are the texts an article is embedded as: one per section, each
// with the article's title, so a section is found by what the whole piece is about.
func articlePassages(a *corpus.Article) []string {
	var out []string
	for _, s := range sections(a.Body) {
		if p := ExtractText(s).Prose; p != "" {
			out = append(out, joinPassage(a.Title, p, maxSectionBytes))
		}
	}
	if len(out) == 0 {
		out = append(out, joinPassage(a.Title, a.Description, maxSectionBytes))
	}
	return out
}

func joinPassage(head, body string, limit int) string {
	body = strings.Join(strings.Fields(body), " ")
	if len(body) > limit {
		cut := strings.LastIndexByte(body[:limit], ' ')
		if cut <= 0 {
			cut = limit
		}
		for cut > 0 && !isRuneStart(body[cut]) {
			cut--
		}
		body = body[:cut]
	}
	if body == "" {
		return head
	}
	return head + "\n" + body
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// sections splits Markdown before each top-level heading; the text before the first
// heading is a section of its own.
func sections(md string) []string {
	src := []byte(md)
	doc := mdParser.Parse(text.NewReader(src))
	var cuts []int
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.Heading)
		if !ok || h.Lines().Len() == 0 {
			continue
		}
		start := h.Lines().At(0).Start
		if i := bytes.LastIndexByte(src[:start], '\n'); i >= 0 {
			start = i + 1
		} else {
			start = 0
		}
		cuts = append(cuts, start)
	}
	var out []string
	prev := 0
	for _, c := range append(cuts, len(src)) {
		if s := strings.TrimSpace(md[prev:c]); s != "" {
			out = append(out, s)
		}
		prev = c
	}
	return out
}

// allPassages lists the passages of every document of the corpus.
func allPassages(c *corpus.Corpus) []passage {
	var ps []passage
	for _, s := range c.Subtopics {
		for _, q := range s.Questions {
			ps = append(ps, passage{corpus.QuestionDocID(s, q), questionPassage(q)})
		}
	}
	for _, a := range c.Articles {
		for _, t := range articlePassages(a) {
			ps = append(ps, passage{corpus.ArticleDocID(a), t})
		}
	}
	return ps
}
