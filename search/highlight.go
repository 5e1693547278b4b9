package search

import (
	"html"
	"sort"
	"strings"
	"unicode/utf8"

	"slices"

	"qdex/indexer"
)

// Span is a piece of a fragment: matched text or the text around it. Text is raw
// corpus text: whoever renders it escapes it.
type Span struct {
	Text  string `json:"text"`
	Match bool   `json:"match,omitempty"`
}

// Fragment is a run of spans cut from one field.
type Fragment []Span

// Highlights holds each field's fragments.
type Highlights struct {
	Question []Fragment
	Answer   []Fragment
	Code     []Fragment
}

// HTML renders the fragment with every byte escaped and <mark> around matches.
func (f Fragment) HTML() string {
	var b strings.Builder
	for _, s := range f {
		if s.Match {
			b.WriteString("<mark>")
			b.WriteString(html.EscapeString(s.Text))
			b.WriteString("</mark>")
		} else {
			b.WriteString(html.EscapeString(s.Text))
		}
	}
	return b.String()
}

// Text renders the fragment as plain text, with match marked by open and close.
func (f Fragment) Text(open, close string) string {
	var b strings.Builder
	for _, s := range f {
		if s.Match {
			b.WriteString(open + s.Text + close)
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// Fragment sizes, in bytes of context around matches.
const (
	answerWindow     = 200
	maxAnswerFrags   = 2
	maxCodeLines     = 3
	maxCodeLineBytes = 160
)

type byteRange struct{ start, end int }

// highlights cuts fragments from the stored fields around the hit's marks: the
// question whole, the answer around its densest matches, and the code
// lines that match.
func highlights(h *match, str func(string) string) Highlights {
	var hl Highlights
	q := str(indexer.FieldQuestion)
	if r := ranges(h, q, questionFields...); len(r) > 0 {
		hl.Question = []Fragment{mark(q, r)}
	}
	a := str(indexer.FieldAnswer)
	if r := ranges(h, a, answerFields...); len(r) > 0 {
		hl.Answer = windows(a, r, answerWindow, maxAnswerFrags)
	} else if a != "" {
		// No match in the prose: show its opening so the result still reads well.
		hl.Answer = []Fragment{{{Text: cutAtWord(a, answerWindow)}}}
	}
	c := str(indexer.FieldCode)
	if r := ranges(h, c, codeFields...); len(r) > 0 {
		hl.Code = codeLines(c, r)
	}
	return hl
}

// ranges collects the byte ranges of the matches in the fields (which all index text),
// merged and sorted. Ranges that do not fit the text are dropped.
func ranges(h *match, text string, fields ...string) []byteRange {
	var rs []byteRange
	for ft, locs := range h.marks {
		if !slices.Contains(fields, ft.field) {
			continue
		}
		for _, l := range locs {
			s, e := int(l.start), int(l.end)
			if s < 0 || e > len(text) || s >= e {
				continue
			}
			rs = append(rs, byteRange{s, e})
		}
	}
	return mergeRanges(rs)
}

// mergeRanges sorts byte ranges and merges those that overlap or touch.
func mergeRanges(rs []byteRange) []byteRange {
	if len(rs) == 0 {
		return nil
	}
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].start != rs[j].start {
			return rs[i].start < rs[j].start
		}
		return rs[i].end > rs[j].end
	})
	merged := rs[:1]
	for _, r := range rs[1:] {
		last := &merged[len(merged)-1]
		if r.start <= last.end {
			last.end = max(last.end, r.end)
			continue
		}
		merged = append(merged, r)
	}
	return merged
}

// mark splits text[from:to] into spans around the ranges inside it.
func markRange(text string, rs []byteRange, from, to int) Fragment {
	var f Fragment
	pos := from
	for _, r := range rs {
		if r.end <= from || r.start >= to {
			continue
		}
		s, e := max(r.start, from), min(r.end, to)
		if s > pos {
			f = append(f, Span{Text: text[pos:s]})
		}
		f = append(f, Span{Text: text[s:e], Match: true})
		pos = e
	}
	if pos < to {
		f = append(f, Span{Text: text[pos:to]})
	}
	return f
}

func mark(text string, rs []byteRange) Fragment { return markRange(text, rs, 0, len(text)) }

// windows cuts up to n fragments of about size bytes, each around the window holding
// the most matches not yet shown, and returns them in text order.
func windows(text string, rs []byteRange, size, n int) []Fragment {
	type win struct{ from, to, hits int }
	used := make([]bool, len(rs))
	var picked []win
	for len(picked) < n {
		best := win{hits: 0}
		for i := range rs {
			if used[i] {
				continue
			}
			from := rs[i].start
			to := from + size
			hits := 0
			for j := i; j < len(rs) && rs[j].end <= to; j++ {
				if !used[j] {
					hits++
				}
			}
			if hits > best.hits {
				best = win{from, to, hits}
			}
		}
		if best.hits == 0 {
			break
		}
		// Centre the window a little: start some context before the first match.
		lead := size / 4
		from := max(0, best.from-lead)
		to := min(len(text), from+size)
		from, to = wordBounds(text, from, to)
		for i := range rs {
			if rs[i].start >= from && rs[i].end <= to {
				used[i] = true
			}
		}
		picked = append(picked, win{from, to, best.hits})
	}
	sort.Slice(picked, func(i, j int) bool { return picked[i].from < picked[j].from })
	var frags []Fragment
	for _, w := range picked {
		f := markRange(text, rs, w.from, w.to)
		if w.from > 0 {
			f = append(Fragment{{Text: "…"}}, f...)
		}
		if w.to < len(text) {
			f = append(f, Span{Text: "…"})
		}
		frags = append(frags, f)
	}
	return frags
}

// wordBounds moves from forward and to backward to whitespace, keeping UTF-8 intact.
func wordBounds(text string, from, to int) (int, int) {
	if from > 0 {
		if i := strings.IndexAny(text[from:min(to, from+30)], " \n\t"); i >= 0 {
			from += i + 1
		}
	}
	for from < len(text) && !utf8.RuneStart(text[from]) {
		from++
	}
	if to < len(text) {
		if i := strings.LastIndexAny(text[from:to], " \n\t"); i > (to-from)/2 {
			to = from + i
		}
	}
	for to > from && to < len(text) && !utf8.RuneStart(text[to]) {
		to--
	}
	return from, to
}

// cutAtWord returns the start of text, up to about size bytes, ending at a word.
func cutAtWord(text string, size int) string {
	if len(text) <= size {
		return text
	}
	_, to := wordBounds(text, 0, size)
	return text[:to] + "…"
}

// codeLines returns the code lines holding matches, each a fragment, trimmed of
// indentation and cut to a readable length around the match.
func codeLines(code string, rs []byteRange) []Fragment {
	var frags []Fragment
	lastLine := -1
	for _, r := range rs {
		ls := strings.LastIndexByte(code[:r.start], '\n') + 1
		if ls == lastLine {
			continue
		}
		lastLine = ls
		le := strings.IndexByte(code[r.start:], '\n')
		if le < 0 {
			le = len(code)
		} else {
			le += r.start
		}
		for ls < le && (code[ls] == ' ' || code[ls] == '\t') {
			ls++
		}
		from, to := ls, le
		if to-from > maxCodeLineBytes {
			from = max(ls, r.start-maxCodeLineBytes/3)
			to = min(le, from+maxCodeLineBytes)
			from, to = wordBounds(code, from, to)
		}
		f := markRange(code, rs, from, to)
		if from > ls {
			f = append(Fragment{{Text: "…"}}, f...)
		}
		if to < le {
			f = append(f, Span{Text: "…"})
		}
		frags = append(frags, f)
		if len(frags) == maxCodeLines {
			break
		}
	}
	return frags
}
