package gen

import (
	"math/rand/v2"
	"strings"
	"sync"
	"unicode"
)

// vocabulary is the word lists with the long tail added; it is the same for every seed.
type vocabulary struct {
	nouns, verbs, adjs, advs, tech []string
}

// vocab builds the vocabulary once: the hand-written nouns followed by derived words
// (prefix + verb + suffix) and invented names, so that a Zipf draw gives a few very
// common words and a long tail of rare ones, as real text does.
var vocab = sync.OnceValue(func() *vocabulary {
	r := rand.New(rand.NewPCG(0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9))
	var derived []string
	seen := map[string]bool{}
	for _, w := range nounWords {
		seen[w] = true
	}
	for _, w := range verbWords {
		seen[w] = true
	}
	add := func(w string) {
		if len(w) > 3 && !seen[w] {
			seen[w] = true
			derived = append(derived, w)
		}
	}
	for _, v := range verbWords {
		for _, s := range wordSuffixes {
			add(suffixed(v, s))
		}
		for _, p := range wordPrefixes {
			add(p + v)
			add(p + suffixed(v, wordSuffixes[r.IntN(len(wordSuffixes))]))
		}
	}
	r.Shuffle(len(derived), func(i, j int) { derived[i], derived[j] = derived[j], derived[i] })
	// Invented names (libraries, products, people's handles): the rarest words.
	var names []string
	for len(names) < 6000 {
		var b strings.Builder
		for n := 2 + r.IntN(2); n > 0; n-- {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		w := b.String()
		if !seen[w] {
			seen[w] = true
			names = append(names, w)
		}
	}
	nouns := append(append(append([]string(nil), nounWords...), derived...), names...)
	tech := make([]string, len(techWords))
	for i, t := range techWords {
		tech[i] = strings.ReplaceAll(t, "-", " ")
	}
	return &vocabulary{nouns: nouns, verbs: verbWords, adjs: adjWords, advs: advWords, tech: tech}
})

// suffixed appends a suffix, dropping a final e before a vowel: schedule+ing → scheduling.
func suffixed(w, s string) string {
	if strings.HasSuffix(w, "e") && strings.IndexByte("aeiou", s[0]) >= 0 {
		w = w[:len(w)-1]
	}
	return w + s
}

// plural is the regular English plural, and the third person of a verb.
func plural(w string) string {
	switch {
	case strings.HasSuffix(w, "s"), strings.HasSuffix(w, "sh"), strings.HasSuffix(w, "ch"),
		strings.HasSuffix(w, "x"), strings.HasSuffix(w, "z"):
		return w + "es"
	case len(w) > 1 && strings.HasSuffix(w, "y") && strings.IndexByte("aeiou", w[len(w)-2]) < 0:
		return w[:len(w)-1] + "ies"
	}
	return w + "s"
}

// writer produces the text of one file. Every choice comes from its random source, so
// a file's bytes depend only on the seed it was given.
type writer struct {
	r                                *rand.Rand
	v                                *vocabulary
	noun, verb, adj, adv, tech, word *rand.Zipf
	pkg                              *rand.Zipf
	framework                        string // display name, used in prose
	lang                             string // the main code language
	keywords                         []string
	idents                           []string // identifiers that recur within the page
	b                                []byte
}

func newWriter(seed1, seed2 uint64, framework, lang string, keywords []string) *writer {
	r := rand.New(rand.NewPCG(seed1, seed2))
	v := vocab()
	z := func(n int, s float64) *rand.Zipf { return rand.NewZipf(r, s, 3, uint64(n-1)) }
	w := &writer{
		r: r, v: v, framework: framework, lang: lang, keywords: keywords,
		noun: z(len(v.nouns), 1.1), verb: z(len(v.verbs), 1.2), adj: z(len(v.adjs), 1.2),
		adv: z(len(v.advs), 1.3), tech: z(len(v.tech), 1.05), word: z(len(identWords), 1.1),
		pkg: z(len(packageNames), 1.2),
	}
	for range 6 {
		w.idents = append(w.idents, w.ident(w.lang))
	}
	return w
}

func (w *writer) pick(list []string) string { return list[w.r.IntN(len(list))] }

func (w *writer) chance(p float64) bool { return w.r.Float64() < p }

func (w *writer) nounW() string { return w.v.nouns[w.noun.Uint64()] }
func (w *writer) verbW() string { return w.v.verbs[w.verb.Uint64()] }
func (w *writer) adjW() string  { return w.v.adjs[w.adj.Uint64()] }
func (w *writer) advW() string  { return w.v.advs[w.adv.Uint64()] }

// techW is a technical term, most often one of the page's keywords.
func (w *writer) techW() string {
	if len(w.keywords) > 0 && w.chance(0.55) {
		return w.pick(w.keywords)
	}
	return w.v.tech[w.tech.Uint64()]
}

func (w *writer) identWord() string { return identWords[w.word.Uint64()] }

func title(s string) string {
	if s == "" {
		return s
	}
	return string(unicode.ToUpper(rune(s[0]))) + s[1:]
}

// ident is a fresh identifier in the naming style of the language.
func (w *writer) ident(lang string) string {
	n := 2 + w.r.IntN(2)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = w.identWord()
	}
	switch lang {
	case "python", "rust", "sql", "bash":
		s := strings.Join(parts, "_")
		if lang != "sql" && w.chance(0.25) {
			return w.packageName() + "." + s
		}
		return s
	}
	s := parts[0]
	for _, p := range parts[1:] {
		s += title(p)
	}
	if w.chance(0.25) {
		pk := w.packageName()
		if lang == "go" {
			return pk + "." + title(s)
		}
		return pk + "." + s
	}
	return s
}

func (w *writer) packageName() string {
	p := packageNames[w.pkg.Uint64()]
	if i := strings.LastIndexByte(p, '.'); i >= 0 && w.chance(0.5) {
		p = p[i+1:]
	}
	return p
}

// inlineIdent is an identifier for prose: one of the page's, or a fresh one.
func (w *writer) inlineIdent() string {
	if w.chance(0.6) {
		return w.pick(w.idents)
	}
	return w.ident(w.lang)
}

// expand writes a template: {N} noun, {Np} plural noun, {V} verb, {Vs} third person,
// {A} adjective, {R} adverb, {T} technical term, {B} bold term, {I} inline code,
// {F} framework name.
func (w *writer) expand(t string) {
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c != '{' {
			w.b = append(w.b, c)
			continue
		}
		j := strings.IndexByte(t[i:], '}')
		slot := t[i+1 : i+j]
		i += j
		switch slot {
		case "N":
			w.b = append(w.b, w.nounW()...)
		case "Np":
			w.b = append(w.b, plural(w.nounW())...)
		case "V":
			w.b = append(w.b, w.verbW()...)
		case "Vs":
			w.b = append(w.b, plural(w.verbW())...)
		case "A":
			w.b = append(w.b, w.adjW()...)
		case "R":
			w.b = append(w.b, w.advW()...)
		case "T":
			w.b = append(w.b, w.techW()...)
		case "B":
			w.b = append(w.b, "**"...)
			w.b = append(w.b, w.techW()...)
			w.b = append(w.b, "**"...)
		case "I":
			w.b = append(w.b, '`')
			w.b = append(w.b, w.inlineIdent()...)
			w.b = append(w.b, '`')
		case "F":
			w.b = append(w.b, w.framework...)
		}
	}
}

var sentences = []string{
	"The {A} {N} {Vs} the {N} before the {N} {Vs}.",
	"When a {N} {Vs} {T}, the {N} must {V} its {Np}.",
	"{B} {Vs} {Np} so that the {A} {N} can {V} {R}.",
	"Calling {I} on a {A} {N} {Vs} a new {N}.",
	"If the {N} is {A}, {T} {Vs} the {N} and {Vs} the {N}.",
	"This is why {Np} of {T} are {A} in {F}.",
	"A {A} {N} never {Vs} the {N}; it {Vs} a {N} instead.",
	"Use {I} to {V} the {N} and {V} each {N}.",
	"In {F}, {T} is {A}: every {N} {Vs} the {N} of the {N}.",
	"The {N} {R} {Vs} {Np}, which keeps the {N} {A}.",
	"Because {I} {Vs} the {N}, you do not need to {V} it {R}.",
	"Most {Np} {V} {T} with a {A} {N}.",
	"{T} and {T} both {V} the {N}, but only one of them {Vs} {Np}.",
	"It {Vs} the {N} in {A} time, so the {N} stays {A}.",
	"A {N} that {Vs} {Np} is {A} to {V}.",
	"The {N} of {I} is the {N}, not the {N}.",
	"Each {N} {Vs} its own {N}, and the {N} {Vs} them {R}.",
	"With {T}, a {A} {N} can {V} without a {N}.",
	"You can {V} the {N} with {I}, or {V} a {A} {N} by hand.",
	"That {Vs} a {A} {N} for every {N} of the {N}.",
	"Under load the {N} {Vs} {R}, and {Np} {V} the {N}.",
	"The {A} way to {V} a {N} is {B}.",
	"{I} returns a {N} and a {N}; check the {N} first.",
	"The {N} is {A} only while the {N} {Vs} the {N}.",
}

var questionTemplates = []string{
	"What is the difference between {T} and {T} in {F}?",
	"How do you {V} a {N} with `{ident}`?",
	"Why does `{ident}` {V} when the {N} is {A}?",
	"When should you use {T} instead of {T}?",
	"What happens when you call `{ident}` on a {A} {N}?",
	"How does {F} {V} {Np} in {T}?",
	"What is {T}, and why does it matter for a {A} {N}?",
	"How would you {V} the {N} of a {A} {N} using {T}?",
	"What are the trade-offs of {T} for {Np}?",
	"Why is a {A} {N} {A} with {T}?",
	"How do you {V} {Np} without {T}?",
	"What does `{ident}` return when the {N} {Vs}?",
	"How can {T} {V} the {N} in a {A} {N}?",
	"Explain {T} and {T} with an example.",
}

var ruleTemplates = []string{
	"Rule of thumb: {V} the {N} with {T} and keep each {N} {A}.",
	"Rule of thumb: prefer {T} when the {N} {Vs} {Np}; otherwise {V} the {N}.",
	"Rule of thumb: never {V} a {A} {N}; {V} {I} instead.",
	"Rule of thumb: measure the {N} before you {V} {T}.",
}

// sentence writes one sentence of prose.
func (w *writer) sentence() {
	start := len(w.b)
	w.expand(sentences[w.r.IntN(len(sentences))])
	if c := w.b[start]; c >= 'a' && c <= 'z' {
		w.b[start] = c - 'a' + 'A'
	}
}

// paragraph writes n sentences on one line.
func (w *writer) paragraph(n int) {
	for i := range n {
		if i > 0 {
			w.b = append(w.b, ' ')
		}
		w.sentence()
	}
}

// question returns a question's text; it never contains a double quote or backslash.
func (w *writer) question() string {
	t := questionTemplates[w.r.IntN(len(questionTemplates))]
	start := len(w.b)
	for {
		i := strings.Index(t, "{ident}")
		if i < 0 {
			break
		}
		w.expand(t[:i])
		w.b = append(w.b, w.inlineIdent()...)
		t = t[i+len("{ident}"):]
	}
	w.expand(t)
	q := string(w.b[start:])
	w.b = w.b[:start]
	return q
}

// answer returns an answer's Markdown: prose with bold terms and inline code, a code
// block most of the time, and a closing rule of thumb.
func (w *writer) answer() string {
	start := len(w.b)
	w.paragraph(3 + w.r.IntN(3))
	w.b = append(w.b, "\n\n"...)
	if w.chance(0.85) {
		lang := w.lang
		if w.chance(0.2) {
			lang = w.pick(codeLanguages)
		}
		w.code(lang)
		w.b = append(w.b, "\n\n"...)
	}
	for n := 1 + w.r.IntN(2); n > 0; n-- {
		w.paragraph(3 + w.r.IntN(3))
		w.b = append(w.b, "\n\n"...)
	}
	w.expand(ruleTemplates[w.r.IntN(len(ruleTemplates))])
	a := string(w.b[start:])
	w.b = w.b[:start]
	return a
}

// phrase returns n words of prose without punctuation, for names and descriptions.
func (w *writer) phraseOf(t string) string {
	start := len(w.b)
	w.expand(t)
	s := string(w.b[start:])
	w.b = w.b[:start]
	return s
}

// slugify turns a name into a slug: lower-case letters and digits joined by hyphens.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

// questionSlug is the first words of a question as an id.
func questionSlug(q string) string {
	s := slugify(q)
	parts := strings.Split(s, "-")
	if len(parts) > 7 {
		parts = parts[:7]
	}
	return strings.Join(parts, "-")
}
