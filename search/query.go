package search

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"qdex/facet"
)

// Query is what a person typed, parsed. Parse never fails: any string gives a Query,
// and text that is not syntax is searched for as words.
type Query struct {
	// Words are plain words, in order, as typed (case kept for display).
	Words []string
	// Phrases are quoted phrases.
	Phrases []string
	// CodeWords and CodePhrases search only the code field (code:word, code:"…").
	CodeWords   []string
	CodePhrases []string
	// NotWords and NotPhrases exclude documents (-word, -"phrase").
	NotWords   []string
	NotPhrases []string
	// Filters restrict by keyword field: framework, topic, difficulty, lang, type.
	Filters map[string][]string
	// Prefix is true when the last word is still being typed: the query did not end
	// with a space, a closing quote or a command-line flag (typed whole: ls -la).
	Prefix bool
}

// FilterFields are the keyword filters a query or request may carry, with the index
// field each one restricts: facet.All's names and fields.
var FilterFields = func() map[string]string {
	m := map[string]string{}
	for _, f := range facet.All {
		m[f.Name] = f.Field
	}
	return m
}()

// filterAliases lets people use the obvious other names (facet.All's aliases).
var filterAliases = func() map[string]string {
	m := map[string]string{}
	for _, f := range facet.All {
		for _, a := range f.Aliases {
			m[a] = f.Name
		}
	}
	return m
}()

// typeAliases maps what people write after type: to a document type.
var typeAliases = map[string]string{
	"question": "question", "questions": "question", "q": "question", "qa": "question",
	"article": "article", "articles": "article", "blog": "article", "post": "article",
}

// Parse reads a user query. Quotes that are never closed end at the end of the input;
// a field name qdex does not know (`foo:bar`) is plain text.
func Parse(s string) Query {
	q := Query{}
	s = strings.ToValidUTF8(s, " ")
	i := 0
	lastWasWord := false
	// searched is whether the token before this one is searched for: a word, a
	// phrase or a flag (not an exclusion or a filter).
	searched := false
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			lastWasWord = false
			continue
		}
		after := searched
		searched = false
		// After a searched token, a short -x is a command-line flag (lsof -i, rm -rf,
		// kill -9), searched for as a word: nobody excludes "i".
		if n := flagLen(s[i:]); after && n > 0 {
			q.Words = append(q.Words, s[i:i+n])
			i += n
			lastWasWord = false
			searched = true
			continue
		}
		negate := false
		// -word excludes; --flag is a word (long command-line flags are searched for).
		if r == '-' && i+1 < len(s) && !unicode.IsSpace(rune(s[i+1])) && s[i+1] != '-' {
			negate = true
			i++
		}
		// field:value or field:"value"
		field := ""
		if j := fieldPrefix(s[i:]); j > 0 {
			name := strings.ToLower(s[i : i+j])
			if a, ok := filterAliases[name]; ok {
				name = a
			}
			if _, ok := FilterFields[name]; ok || name == "code" {
				field = name
				i += j + 1
			}
		}
		if i < len(s) && s[i] == '"' {
			end := strings.IndexByte(s[i+1:], '"')
			var phrase string
			if end < 0 {
				phrase = s[i+1:]
				i = len(s)
			} else {
				phrase = s[i+1 : i+1+end]
				i += end + 2
			}
			phrase = strings.Join(strings.Fields(phrase), " ")
			lastWasWord = false
			if phrase == "" {
				continue
			}
			switch {
			case field == "code" && !negate:
				q.CodePhrases = append(q.CodePhrases, phrase)
				searched = true
			case field != "" && field != "code":
				q.addFilter(field, phrase, negate)
			case negate:
				q.NotPhrases = append(q.NotPhrases, phrase)
			default:
				q.Phrases = append(q.Phrases, phrase)
				searched = true
			}
			continue
		}
		end := strings.IndexFunc(s[i:], unicode.IsSpace)
		if end < 0 {
			end = len(s) - i
		}
		word := strings.Trim(s[i:i+end], `"`)
		i += end
		lastWasWord = false
		if word == "" {
			continue
		}
		switch {
		case field == "code" && negate:
			q.NotWords = append(q.NotWords, word)
		case field == "code":
			q.CodeWords = append(q.CodeWords, word)
			lastWasWord, searched = true, true
		case field != "":
			q.addFilter(field, word, negate)
		case negate:
			q.NotWords = append(q.NotWords, word)
		default:
			q.Words = append(q.Words, word)
			lastWasWord, searched = true, true
		}
	}
	q.Prefix = lastWasWord
	return q
}

// isFlag reports whether a word of a Query is a short command-line flag (Parse puts
// no other word of that shape in Words).
func isFlag(w string) bool { return w != "" && flagLen(w) == len(w) }

// maxFlagLen is the longest short flag: -i, -rf, -xzf. A longer -word excludes.
const maxFlagLen = 3

// flagLen returns the length of a leading short command-line flag, a dash and one
// to maxFlagLen ASCII letters or digits ending at a space or the end, or 0.
func flagLen(s string) int {
	if !strings.HasPrefix(s, "-") {
		return 0
	}
	n := 1
	for n < len(s) && (s[n] >= 'a' && s[n] <= 'z' || s[n] >= 'A' && s[n] <= 'Z' || s[n] >= '0' && s[n] <= '9') {
		n++
	}
	if n == 1 || n > 1+maxFlagLen {
		return 0
	}
	if r, _ := utf8.DecodeRuneInString(s[n:]); n < len(s) && !unicode.IsSpace(r) {
		return 0
	}
	return n
}

// fieldPrefix returns the length of a leading "name" in "name:value", or 0.
func fieldPrefix(s string) int {
	for j, r := range s {
		if r == ':' {
			if j > 0 && j+1 < len(s) && !unicode.IsSpace(rune(s[j+1])) {
				return j
			}
			return 0
		}
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_') {
			return 0
		}
	}
	return 0
}

func (q *Query) addFilter(field, value string, negate bool) {
	if negate {
		// Excluding a facet value is rare; treat it as excluding the word.
		q.NotWords = append(q.NotWords, value)
		return
	}
	value = strings.ToLower(value)
	if field == "type" {
		if t, ok := typeAliases[value]; ok {
			value = t
		}
	}
	if q.Filters == nil {
		q.Filters = map[string][]string{}
	}
	for _, v := range strings.Split(value, ",") {
		if v != "" && !slices.Contains(q.Filters[field], v) {
			q.Filters[field] = append(q.Filters[field], v)
		}
	}
}

// IsEmpty reports whether the query has nothing to search for (filters alone still
// make a query: they list their documents).
func (q Query) IsEmpty() bool {
	return len(q.Words) == 0 && len(q.Phrases) == 0 && len(q.CodeWords) == 0 && len(q.CodePhrases) == 0 && len(q.Filters) == 0
}

// HasText reports whether the query has words or phrases to score by.
func (q Query) HasText() bool {
	return len(q.Words)+len(q.Phrases)+len(q.CodeWords)+len(q.CodePhrases) > 0
}

// Text is the query's searchable text (words and phrases), without syntax.
func (q Query) Text() string {
	parts := append([]string{}, q.Words...)
	parts = append(parts, q.Phrases...)
	parts = append(parts, q.CodeWords...)
	parts = append(parts, q.CodePhrases...)
	return strings.Join(parts, " ")
}
