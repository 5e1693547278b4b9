package suggest

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// word is one word of a text: its normalised form and the bytes of the text it
// came from, so that a match can be marked in what the reader sees.
type word struct {
	norm       string
	start, end int
	// part is set on the pieces of a compound word (asyncio and gather of
	// asyncio.gather): they match like words but do not start a suggestion.
	part bool
	// compound is set on a word that '.' or '_' join.
	compound bool
}

// splitWords splits s into lower-case words. Letters, digits and combining marks
// make words; '.' and '_' stay when they join two of them (asyncio.gather,
// snake_case); apostrophes inside a word are dropped (what's is whats); a run of
// '+' or '#' that ends a word stays (c++, c#). Everything else separates words.
// s must be in NFC (see canonical).
func splitWords(s string) []word {
	out := make([]word, 0, len(s)/6+1)
	// A word is s[start:end] as it stands unless it had to change (upper case, a
	// dropped apostrophe): then buf holds it, and changed is set.
	var buf []byte
	start, end, changed, compound := -1, 0, false, false
	flush := func() {
		if start >= 0 {
			w := word{norm: s[start:end], start: start, end: end, compound: compound}
			if changed {
				w.norm = string(buf)
			}
			out = append(out, w)
		}
		start, changed, compound = -1, false, false
	}
	// keep appends s[i:j] to the word, or lo in its place when lo >= 0.
	keep := func(i, j int, lo rune) {
		if start < 0 {
			start = i
		}
		if !changed && lo >= 0 {
			buf, changed = append(buf[:0], s[start:i]...), true
		}
		if changed {
			if lo >= 0 {
				buf = utf8.AppendRune(buf, lo)
			} else {
				buf = append(buf, s[i:j]...)
			}
		}
		end = j
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isWordRune(r):
			lo := unicode.ToLower(r)
			if lo == r {
				lo = -1
			}
			keep(i, i+size, lo)
			i += size
			continue
		case start < 0:
		case r == '.' || r == '_':
			j := i
			for j < len(s) && (s[j] == '.' || s[j] == '_') {
				j++
			}
			if wordRuneAt(s, j) {
				keep(i, j, -1)
				i, compound = j, true
				continue
			}
		case r == '\'' || r == '’':
			if wordRuneAt(s, i+size) {
				if !changed {
					buf, changed = append(buf[:0], s[start:i]...), true
				}
				i += size
				continue
			}
		case r == '+' || r == '#':
			j := i
			for j < len(s) && (s[j] == '+' || s[j] == '#') {
				j++
			}
			if !wordRuneAt(s, j) {
				keep(i, j, -1)
				i = j
				flush()
				continue
			}
		}
		flush()
		i += size
	}
	flush()
	return out
}

// withParts adds, after each compound word, the pieces between its '.' and '_'.
func withParts(ws []word) []word {
	if !slices.ContainsFunc(ws, func(w word) bool { return w.compound }) {
		return ws
	}
	out := make([]word, 0, len(ws)+4)
	for _, w := range ws {
		out = append(out, w)
		if !w.compound {
			continue
		}
		for _, p := range strings.FieldsFunc(w.norm, func(r rune) bool { return r == '.' || r == '_' }) {
			out = append(out, word{norm: p, start: w.start, end: w.end, part: true})
		}
	}
	return out
}

// canonical puts s in Unicode NFC, so that an accented letter typed as a letter and
// a combining mark matches the same letter precomposed.
func canonical(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return norm.NFC.String(s)
		}
	}
	return s
}

// normalize is the form in which texts are compared: their words, lower-case,
// joined by single spaces.
func normalize(s string) string {
	ws := splitWords(canonical(s))
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.norm
	}
	return strings.Join(parts, " ")
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// wordRuneAt reports whether a word rune starts at byte i of s.
func wordRuneAt(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return isWordRune(r)
}

// hasDigit reports whether w holds a digit: such words (utf8, http2, python3) are
// names, matched exactly or not at all.
func hasDigit(w string) bool {
	for _, r := range w {
		if unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
