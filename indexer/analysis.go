package indexer

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	unicodetok "github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// Analyzer names, registered with bleve in init. They are part of the index schema:
// changing what one emits means bumping SchemaVersion.
const (
	// TextAnalyzer is for prose: identifiers split, lower-cased, English stop words
	// removed, Porter-stemmed.
	TextAnalyzer = "qdex_text"
	// ExactAnalyzer is TextAnalyzer without stemming or stop words, so that an exact
	// word can score above a word that only shares its stem.
	ExactAnalyzer = "qdex_exact"
	// CodeAnalyzer is for code blocks: identifiers kept whole and split, lower-cased.
	CodeAnalyzer = "qdex_code"

	identFilterName = "qdex_ident"
)

func init() {
	registry.RegisterTokenFilter(identFilterName, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return IdentFilter{}, nil
	})
	register := func(name string, filters ...string) {
		registry.RegisterAnalyzer(name, func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
			tok, err := cache.TokenizerNamed(unicodetok.Name)
			if err != nil {
				return nil, err
			}
			a := &analysis.DefaultAnalyzer{Tokenizer: tok}
			for _, f := range filters {
				tf, err := cache.TokenFilterNamed(f)
				if err != nil {
					return nil, err
				}
				a.TokenFilters = append(a.TokenFilters, tf)
			}
			return a, nil
		})
	}
	register(TextAnalyzer, identFilterName, en.PossessiveName, lowercase.Name, en.StopName, porter.Name)
	register(ExactAnalyzer, identFilterName, en.PossessiveName, lowercase.Name)
	register(CodeAnalyzer, identFilterName, lowercase.Name)
}

// maxIdentWords bounds how many words of one identifier are combined into compounds.
const maxIdentWords = 6

// IdentFilter keeps each identifier whole and adds its parts, so that code is found by
// the words a person types. A token is split at dots into segments and each segment at
// underscores and camelCase humps into words:
//
//	sync.WaitGroup     → sync.waitgroup, sync, waitgroup, wait, group
//	ThreadPoolExecutor → threadpoolexecutor, thread, pool, executor, threadpool, poolexecutor
//
// The words take consecutive positions (so "thread pool" matches as a phrase); the whole
// token and every compound (a run of adjacent words or segments) sit at the position of
// their first word. Tokens that need no splitting pass through unchanged.
type IdentFilter struct{}

// Filter implements analysis.TokenFilter.
func (IdentFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	shift := 0
	for i, tok := range in {
		tok.Position += shift
		segs := splitIdent(tok.Term)
		if segs == nil {
			if out != nil {
				out = append(out, tok)
			}
			continue
		}
		if out == nil {
			out = make(analysis.TokenStream, 0, len(in)+8)
			out = append(out, in[:i]...)
		}
		out = append(out, tok)
		words := 0
		for _, s := range segs {
			words += len(s)
		}
		emit := func(start, end, pos int) {
			term := tok.Term[start:end]
			if string(term) == string(tok.Term) {
				return
			}
			out = append(out, &analysis.Token{
				Term:     append([]byte(nil), term...),
				Start:    tok.Start + start,
				End:      tok.Start + end,
				Position: pos,
				Type:     tok.Type,
			})
		}
		// Words, at consecutive positions.
		pos := tok.Position
		segPos := make([]int, len(segs))
		for si, s := range segs {
			segPos[si] = pos
			for _, w := range s {
				emit(w.start, w.end, pos)
				pos++
			}
		}
		// Compounds within a segment: adjacent words joined without their separator.
		for si, s := range segs {
			for a := 0; a < len(s) && a < maxIdentWords; a++ {
				for b := a + 1; b < len(s) && b < maxIdentWords; b++ {
					term := joinWords(tok.Term, s[a:b+1])
					if string(term) == string(tok.Term) {
						continue
					}
					out = append(out, &analysis.Token{
						Term:     term,
						Start:    tok.Start + s[a].start,
						End:      tok.Start + s[b].end,
						Position: segPos[si] + a,
						Type:     tok.Type,
					})
				}
			}
		}
		// Runs of adjacent dot segments, kept with their dots: os.path, path.join.
		if len(segs) > 1 {
			for a := 0; a < len(segs); a++ {
				for b := a + 1; b < len(segs); b++ {
					if a == 0 && b == len(segs)-1 {
						continue // the whole token, already emitted
					}
					emit(segs[a][0].start, segs[b][len(segs[b])-1].end, segPos[a])
				}
			}
		}
		shift += words - 1
	}
	if out == nil {
		return in
	}
	return out
}

// joinWords concatenates the words' bytes, dropping the separators between them.
func joinWords(term []byte, ws []span) []byte {
	var b []byte
	for _, w := range ws {
		b = append(b, term[w.start:w.end]...)
	}
	return b
}

type span struct{ start, end int }

// splitIdent splits term into dot-separated segments of words. It returns nil when the
// term is a single word (nothing to add).
func splitIdent(term []byte) [][]span {
	if !needsSplit(term) {
		return nil
	}
	var segs [][]span
	start := 0
	for i := 0; i <= len(term); i++ {
		if i == len(term) || term[i] == '.' {
			if ws := splitWords(term, start, i); len(ws) > 0 {
				segs = append(segs, ws)
			}
			start = i + 1
		}
	}
	n := 0
	for _, s := range segs {
		n += len(s)
	}
	if n < 2 {
		return nil
	}
	return segs
}

// needsSplit is a fast check for a dot, an underscore, or an upper-case letter after
// the first (a hump or an acronym); splitWords has the final say.
func needsSplit(term []byte) bool {
	for i, c := range term {
		switch {
		case c == '.' || c == '_':
			return true
		case c >= 'A' && c <= 'Z':
			if i > 0 {
				return true
			}
		case c >= 0x80:
			return strings.ContainsFunc(string(term[i:]), unicode.IsUpper)
		}
	}
	return false
}

// splitWords splits term[start:end] at underscores and camelCase humps. An acronym
// before a capitalised word ends one letter early: HTTPServer → HTTP, Server.
func splitWords(term []byte, start, end int) []span {
	var ws []span
	wstart := -1
	flush := func(i int) {
		if wstart >= 0 && i > wstart {
			ws = append(ws, span{wstart, i})
		}
		wstart = -1
	}
	var prev rune
	for i := start; i < end; {
		r, size := utf8.DecodeRune(term[i:])
		if r == '_' || r == '-' {
			flush(i)
			prev = r
			i += size
			continue
		}
		if wstart < 0 {
			wstart = i
		} else if unicode.IsUpper(r) {
			next, _ := utf8.DecodeRune(term[i+size:])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && i+size < end && unicode.IsLower(next)) {
				flush(i)
				wstart = i
			}
		}
		prev = r
		i += size
	}
	flush(end)
	return ws
}
