// Package bench measures qdex against SQLite FTS5 on generated corpora: index build,
// size and open time, in-process search latency, and the HTTP API's latency,
// throughput and memory. cmd/qdexbench runs it and writes RESULTS.md.
package bench

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"unicode"

	"qdex/corpus"
	"qdex/indexer"
)

// Query kinds of the mixed workload, and their shares of it in percent.
var Kinds = []struct {
	Name  string
	Share int
}{
	{"keyword", 25}, {"phrase", 10}, {"typo", 15}, {"prefix", 20}, {"code", 15}, {"filtered", 15},
}

// Query is one search of the workload, written for both engines.
type Query struct {
	Kind string
	// Text is the query as a person types it into qdex.
	Text string
	// Filters are the request's filters (facet checkboxes), besides any in Text.
	Filters map[string][]string
	// Match is the same search in FTS5 MATCH syntax, and Where the filters as SQL
	// conditions on the unindexed columns, with their arguments.
	Match string
	Where []string
	Args  []any
}

// URLValues is the query as GET /api/search parameters.
func (q Query) URLValues() url.Values {
	v := url.Values{"q": {q.Text}}
	for k, vals := range q.Filters {
		v[k] = vals
	}
	return v
}

// stopWords are left out of keyword queries: nobody searches for them.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an and are as at be but by can do does for from how if in
	into is it its not of on or so that the their them then there these this those to was
	what when where which while who why will with you your than each every only own use
	new same other first must never instead because both one just also`) {
		stopWords[w] = true
	}
}

// source is the text of one document, cut into what queries are made of.
type source struct {
	framework, difficulty string
	langs                 []string
	qWords, aWords        []string // lower-case words of the question and the answer prose
	idents                []string // identifiers from the code blocks
}

func sourceOf(s *corpus.Subtopic, q *corpus.Question) source {
	ex := indexer.ExtractText(q.A)
	src := source{framework: s.Framework, difficulty: q.Difficulty, langs: ex.Languages(),
		qWords: words(q.Q), aWords: words(ex.Prose)}
	for _, cb := range ex.Code {
		for _, tok := range strings.FieldsFunc(cb.Code, func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.')
		}) {
			tok = strings.Trim(tok, ".")
			if isIdentifier(tok) {
				src.idents = append(src.idents, tok)
			}
		}
	}
	return src
}

// isIdentifier is true for camelCase, snake_case and pkg.Func names.
func isIdentifier(t string) bool {
	if len(t) < 5 || !unicode.IsLetter(rune(t[0])) {
		return false
	}
	if strings.ContainsAny(t, "_.") {
		return true
	}
	return strings.ToLower(t) != t && strings.ToUpper(t) != t
}

// words splits text into lower-case words of letters.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) })
}

func contentWords(ws []string) []string {
	var out []string
	for _, w := range ws {
		if len(w) >= 3 && !stopWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// Workload makes n queries from the corpus's own text: words of its questions and
// answers, phrases of its answers, identifiers of its code. The same corpus, n and
// seed give the same queries.
func Workload(c *corpus.Corpus, n int, seed uint64) []Query {
	r := rand.New(rand.NewPCG(seed, 0xbe7c4))
	var pages []*corpus.Subtopic
	for _, s := range c.Subtopics {
		if len(s.Questions) > 0 {
			pages = append(pages, s)
		}
	}
	if len(pages) == 0 {
		return nil
	}
	var qs []Query
	for _, k := range Kinds {
		for range (n*k.Share + 99) / 100 {
			for try := 0; try < 20; try++ {
				s := pages[r.IntN(len(pages))]
				src := sourceOf(s, s.Questions[r.IntN(len(s.Questions))])
				if q, ok := makeQuery(r, k.Name, src); ok {
					qs = append(qs, q)
					break
				}
			}
		}
	}
	r.Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })
	if len(qs) > n {
		qs = qs[:n]
	}
	return qs
}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func makeQuery(r *rand.Rand, kind string, src source) (Query, bool) {
	qc, ac := contentWords(src.qWords), contentWords(src.aWords)
	all := append(append([]string(nil), qc...), ac...)
	q := Query{Kind: kind}
	switch kind {
	case "keyword":
		// One to three words a person would type, mostly from the question; the
		// trailing space says the last word is complete.
		if len(qc) == 0 {
			return q, false
		}
		ws := []string{pick(r, qc)}
		for n := r.IntN(3); n > 0; n-- {
			ws = append(ws, pick(r, all))
		}
		q.Text = strings.Join(ws, " ") + " "
		q.Match = ftsWords(ws)
	case "phrase":
		// Two or three consecutive words of the answer.
		if len(src.aWords) < 4 {
			return q, false
		}
		n := 2 + r.IntN(2)
		i := r.IntN(len(src.aWords) - n)
		ws := src.aWords[i : i+n]
		if len(contentWords(ws)) == 0 {
			return q, false
		}
		q.Text = `"` + strings.Join(ws, " ") + `"`
		q.Match = ftsPhrase(ws)
	case "typo":
		// A long word with one slip of the finger, sometimes after a correct word.
		var long []string
		for _, w := range all {
			if len(w) >= 6 {
				long = append(long, w)
			}
		}
		if len(long) == 0 {
			return q, false
		}
		ws := []string{typo(r, pick(r, long))}
		if r.IntN(2) == 0 && len(qc) > 0 {
			ws = append([]string{pick(r, qc)}, ws...)
		}
		q.Text = strings.Join(ws, " ") + " "
		q.Match = ftsWords(ws) // FTS5 has no fuzzy matching: the typo is searched as typed
	case "prefix":
		// Search as you type: a word, then the first letters of the next.
		var long []string
		for _, w := range all {
			if len(w) >= 5 {
				long = append(long, w)
			}
		}
		if len(long) == 0 {
			return q, false
		}
		w := pick(r, long)
		p := w[:3+r.IntN(min(3, len(w)-3))]
		var ws []string
		if r.IntN(3) > 0 && len(qc) > 0 {
			ws = append(ws, pick(r, qc))
		}
		q.Text = strings.Join(append(ws, p), " ")
		q.Match = strings.TrimSpace(ftsWords(ws) + " " + ftsQuote(p) + "*")
	case "code":
		// An identifier from the code, bare or as code:identifier.
		if len(src.idents) == 0 {
			return q, false
		}
		id := pick(r, src.idents)
		parts := words(id)
		if r.IntN(3) == 0 {
			q.Text = "code:" + id + " "
			q.Match = "code : " + ftsPhrase(parts)
		} else {
			q.Text = id + " "
			q.Match = ftsPhrase(parts)
		}
	case "filtered":
		// Words restricted to a framework, a difficulty or a language, as typed
		// syntax or as a facet checkbox.
		if len(qc) == 0 {
			return q, false
		}
		ws := []string{pick(r, qc)}
		if r.IntN(2) == 0 {
			ws = append(ws, pick(r, all))
		}
		q.Text = strings.Join(ws, " ") + " "
		q.Match = ftsWords(ws)
		var field, value string
		switch x := r.IntN(10); {
		case x < 5:
			field, value = "framework", src.framework
		case x < 8:
			field, value = "difficulty", src.difficulty
		default:
			if len(src.langs) == 0 {
				return q, false
			}
			field, value = "lang", pick(r, src.langs)
		}
		if r.IntN(2) == 0 {
			q.Text += field + ":" + value + " "
		} else {
			q.Filters = map[string][]string{field: {value}}
		}
		if field == "lang" {
			q.Where, q.Args = []string{"(' ' || lang || ' ') LIKE ?"}, []any{"% " + value + " %"}
		} else {
			q.Where, q.Args = []string{field + " = ?"}, []any{value}
		}
	}
	return q, true
}

// typo makes one edit away from the first letter: a swap, a deletion, a substitution
// or an insertion.
func typo(r *rand.Rand, w string) string {
	b := []byte(w)
	i := 1 + r.IntN(len(b)-2)
	switch r.IntN(4) {
	case 0:
		b[i], b[i+1] = b[i+1], b[i]
		if b[i] == b[i+1] {
			b[i] = 'x'
		}
	case 1:
		b = append(b[:i], b[i+1:]...)
	case 2:
		c := byte('a' + r.IntN(26))
		if c == b[i] {
			c = 'q'
		}
		b[i] = c
	default:
		b = append(b[:i], append([]byte{byte('a' + r.IntN(26))}, b[i:]...)...)
	}
	return string(b)
}

// ftsQuote makes an FTS5 string: any character but a double quote is literal.
func ftsQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// ftsWords is an AND of words, each quoted so that no word is read as syntax.
func ftsWords(ws []string) string {
	q := make([]string, len(ws))
	for i, w := range ws {
		q[i] = ftsQuote(w)
	}
	return strings.Join(q, " ")
}

func ftsPhrase(ws []string) string { return ftsQuote(strings.Join(ws, " ")) }
