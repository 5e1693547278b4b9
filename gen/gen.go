// Package gen writes synthetic corpora in the real corpus format, for benchmarks: the
// same framework → topic → subtopic shape as data/, prose with Zipf-distributed words,
// identifiers in several naming styles and code blocks in several languages.
//
// A corpus depends only on its Options: the same seed and size give the same bytes,
// whatever the machine and however many workers write it.
package gen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Options sizes a corpus.
type Options struct {
	Questions int    // total number of questions, at least 1
	Seed      uint64 // the same seed gives the same corpus
	// ArticleRatio is the number of blog articles per subtopic page; 0 means the ratio
	// of data/ (one article for every four pages), a negative value means none.
	ArticleRatio float64
}

// Stats counts what Generate wrote.
type Stats struct {
	Frameworks, Topics, Subtopics, Questions, Articles int
	Bytes                                              int64
	Took                                               time.Duration
}

func (s Stats) String() string {
	return fmt.Sprintf("%d frameworks, %d topics, %d subtopics, %d questions, %d articles, %.1f MB in %s",
		s.Frameworks, s.Topics, s.Subtopics, s.Questions, s.Articles, float64(s.Bytes)/1e6, s.Took.Round(time.Millisecond))
}

// questionsPerPage is the mean page size of data/ (468 questions on 68 pages).
const questionsPerPage = 6.5

// Generate writes a corpus into dir, which must not exist or be empty.
func Generate(ctx context.Context, dir string, opts Options) (Stats, error) {
	start := time.Now()
	if opts.Questions < 1 {
		return Stats{}, errors.New("gen: questions must be at least 1")
	}
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		return Stats{}, fmt.Errorf("gen: %s is not empty", dir)
	}
	p := newPlan(opts)
	for _, d := range []string{"frameworks", "topics", "blog"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return Stats{}, err
		}
	}
	for _, t := range p.topics {
		if err := os.MkdirAll(filepath.Join(dir, "qa", t.fw.slug, t.slug), 0o755); err != nil {
			return Stats{}, err
		}
	}

	files := make(chan file)
	var (
		mu    sync.Mutex
		bytes int64
		first error
	)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for f := range files {
				data := f.render(p)
				err := os.WriteFile(filepath.Join(dir, f.path(p)), data, 0o644)
				mu.Lock()
				bytes += int64(len(data))
				if err != nil && first == nil {
					first = err
				}
				mu.Unlock()
			}
		})
	}
	send := func(f file) bool {
		select {
		case files <- f:
			return true
		case <-ctx.Done():
			return false
		}
	}
	func() {
		if !send(file{kind: synonymsFile}) {
			return
		}
		for i := range p.frameworks {
			if !send(file{kind: frameworkFile, i: i}) {
				return
			}
		}
		for i := range p.topics {
			if !send(file{kind: topicFile, i: i}) {
				return
			}
		}
		for i := range p.subtopics {
			if !send(file{kind: subtopicFile, i: i}) {
				return
			}
		}
		for i := range p.articles {
			if !send(file{kind: articleFile, i: i}) {
				return
			}
		}
	}()
	close(files)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Stats{}, err
	}
	if first != nil {
		return Stats{}, fmt.Errorf("gen: %w", first)
	}
	return Stats{
		Frameworks: len(p.frameworks), Topics: len(p.topics), Subtopics: len(p.subtopics),
		Questions: opts.Questions, Articles: len(p.articles), Bytes: bytes, Took: time.Since(start),
	}, nil
}

// The plan is the corpus's structure: names, slugs and sizes, decided up front from
// the seed, so that each file can then be written on its own from a seed of its own.
type plan struct {
	seed       uint64
	frameworks []*fwPlan
	topics     []*topicPlan
	subtopics  []*subPlan
	articles   []*articlePlan
}

type fwPlan struct {
	name, slug, lang string
	order            int
}

type topicPlan struct {
	fw         *fwPlan
	name, slug string
	order      int
	keywords   []string
}

type subPlan struct {
	topic      *topicPlan
	name, slug string
	order      int
	questions  int
	difficulty string
	updated    string
	keywords   []string
}

type articlePlan struct {
	sub   *subPlan
	index int
}

func newPlan(opts Options) *plan {
	r := rand.New(rand.NewPCG(opts.Seed, 0x5151))
	w := newWriter(opts.Seed, 1, "", "python", nil)
	p := &plan{seed: opts.Seed}
	n := opts.Questions
	pages := max(1, int(math.Round(float64(n)/questionsPerPage)))
	nfw := min(pages, max(1, int(math.Round(1.5*math.Cbrt(float64(n))))))

	// Frameworks: real names first, invented ones after.
	used := map[string]bool{}
	for i := range nfw {
		fw := &fwPlan{order: i + 1}
		if i < len(knownFrameworks) {
			fw.name, fw.lang = knownFrameworks[i].name, knownFrameworks[i].lang
		} else {
			fw.name = title(w.pick(syllables) + w.pick(syllables) + w.pick(syllables))
			fw.lang = codeLanguages[r.IntN(len(codeLanguages))]
		}
		fw.slug = unique(slugify(fw.name), used)
		p.frameworks = append(p.frameworks, fw)
	}

	// Pages per framework, then topics per framework: about √pages topics of about
	// √pages pages each, as in data/ (six pages per framework in three topics).
	page := 0
	for fi, fw := range p.frameworks {
		k := share(pages, nfw, fi)
		perTopic := max(1, int(math.Round(math.Sqrt(float64(k)))))
		if k >= 4 && perTopic < 2 {
			perTopic = 2
		}
		ntopics := (k + perTopic - 1) / perTopic
		themes := r.Perm(len(topicThemes))
		topicSlugs := map[string]bool{}
		for ti := range ntopics {
			t := &topicPlan{fw: fw, order: ti + 1}
			t.name = topicThemes[themes[ti%len(themes)]]
			if ti >= len(themes) {
				t.name = title(w.techW()) + " & " + t.name
			}
			t.slug = unique(slugify(t.name), topicSlugs)
			w.keywords = nil
			for range 10 {
				t.keywords = append(t.keywords, w.techW())
			}
			p.topics = append(p.topics, t)
			subSlugs := map[string]bool{}
			for si := range share(k, ntopics, ti) {
				s := &subPlan{topic: t, order: si + 1}
				w.keywords = t.keywords
				a, b := w.techW(), w.techW()
				switch r.IntN(3) {
				case 0:
					s.name = title(a) + " & " + title(b)
				case 1:
					s.name = title(a) + " " + title(w.nounW())
				default:
					s.name = title(a)
				}
				s.slug = unique(slugify(s.name), subSlugs)
				s.keywords = []string{a, b}
				for range 3 {
					s.keywords = append(s.keywords, w.techW())
				}
				s.questions = share(n, pages, page)
				s.difficulty = difficulty(r)
				s.updated = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(540)).Format(time.DateOnly)
				p.subtopics = append(p.subtopics, s)
				page++
			}
		}
	}

	ratio := opts.ArticleRatio
	if ratio == 0 {
		ratio = 0.25
	}
	if ratio > 0 {
		na := int(math.Round(ratio * float64(len(p.subtopics))))
		for i := range na {
			p.articles = append(p.articles, &articlePlan{sub: p.subtopics[r.IntN(len(p.subtopics))], index: i})
		}
	}
	return p
}

// share is the size of part i when total is split into n near-equal parts.
func share(total, n, i int) int {
	s := total / n
	if i < total%n {
		s++
	}
	return s
}

func unique(slug string, used map[string]bool) string {
	s := slug
	for i := 2; used[s]; i++ {
		s = slug + "-" + strconv.Itoa(i)
	}
	used[s] = true
	return s
}

// difficulty draws easy, medium or hard in the proportions of data/.
func difficulty(r *rand.Rand) string {
	switch x := r.IntN(100); {
	case x < 30:
		return "easy"
	case x < 73:
		return "medium"
	}
	return "hard"
}

type fileKind int

const (
	synonymsFile fileKind = iota
	frameworkFile
	topicFile
	subtopicFile
	articleFile
)

type file struct {
	kind fileKind
	i    int
}

func (f file) path(p *plan) string {
	switch f.kind {
	case frameworkFile:
		return filepath.Join("frameworks", p.frameworks[f.i].slug+".yml")
	case topicFile:
		t := p.topics[f.i]
		return filepath.Join("topics", t.fw.slug+"-"+t.slug+".yml")
	case subtopicFile:
		s := p.subtopics[f.i]
		return filepath.Join("qa", s.topic.fw.slug, s.topic.slug, s.slug+".md")
	case articleFile:
		return filepath.Join("blog", articleSlug(p.articles[f.i])+".md")
	}
	return "synonyms.yml"
}

// render writes a file from its own random source: (seed, kind, index).
func (f file) render(p *plan) []byte {
	seed2 := uint64(f.kind)<<40 | uint64(f.i)
	var b bytes.Buffer
	switch f.kind {
	case synonymsFile:
		b.WriteString("# Search synonyms: each group lists terms that mean the same thing.\n")
		for _, g := range synonymGroups {
			b.WriteString("- [" + strings.Join(g, ", ") + "]\n")
		}
	case frameworkFile:
		fw := p.frameworks[f.i]
		w := newWriter(p.seed, seed2, fw.name, fw.lang, nil)
		kv(&b, "name", quote(fw.name))
		kv(&b, "slug", fw.slug)
		kv(&b, "description", quote(fw.name+" interview questions: "+w.phraseOf("{T}, {T} and {T}, with {A} {Np}.")))
		kv(&b, "order", strconv.Itoa(fw.order))
		kv(&b, "icon", fw.slug)
	case topicFile:
		t := p.topics[f.i]
		w := newWriter(p.seed, seed2, t.fw.name, t.fw.lang, t.keywords)
		kv(&b, "name", quote(t.name))
		kv(&b, "description", quote(title(w.phraseOf("{T} and {T}: how {Np} {V} the {A} {N}."))))
		kv(&b, "frameworkSlug", t.fw.slug)
		kv(&b, "slug", t.slug)
		kv(&b, "order", strconv.Itoa(t.order))
	case subtopicFile:
		renderSubtopic(&b, p, p.subtopics[f.i], seed2)
	case articleFile:
		renderArticle(&b, p, p.articles[f.i], seed2)
	}
	return b.Bytes()
}

func renderSubtopic(b *bytes.Buffer, p *plan, s *subPlan, seed2 uint64) {
	t, fw := s.topic, s.topic.fw
	w := newWriter(p.seed, seed2, fw.name, fw.lang, s.keywords)
	b.WriteString("---\n")
	kv(b, "framework", quote(fw.name))
	kv(b, "frameworkSlug", fw.slug)
	kv(b, "topic", quote(t.name))
	kv(b, "topicSlug", t.slug)
	kv(b, "subtopic", quote(s.name))
	kv(b, "difficulty", s.difficulty)
	kv(b, "order", strconv.Itoa(s.order))
	kv(b, "updated", s.updated)
	kv(b, "seoDescription", quote(fw.name+" interview questions on "+w.phraseOf("{T}, {T} and {A} {Np}.")))
	kv(b, "related", "[]")
	b.WriteString("questions:\n")
	ids := map[string]bool{}
	for range s.questions {
		q := w.question()
		b.WriteString("  - id: " + unique(questionSlug(q), ids) + "\n")
		if w.chance(0.8) {
			b.WriteString("    difficulty: " + difficulty(w.r) + "\n")
		}
		b.WriteString("    q: " + quote(q) + "\n")
		b.WriteString("    a: |\n")
		for _, line := range strings.Split(w.answer(), "\n") {
			if line != "" {
				b.WriteString("      ")
				b.WriteString(line)
			}
			b.WriteByte('\n')
		}
		b.WriteByte('\n')
	}
	b.WriteString("---\n")
	b.WriteString(w.phraseOf("{Np} and {T} in {F}: how the {A} {N} {Vs} {Np}, and when to {V} {T}.\n"))
}

var articleTitles = []string{
	"{T} explained", "How {T} works in {F}", "A guide to {T} and {T}",
	"Why your {N} {Vs}: {T} in practice", "{T} versus {T}, with examples",
}

// articleSlug is unique by construction: the title's first words and the index.
func articleSlug(a *articlePlan) string {
	return a.sub.topic.fw.slug + "-" + a.sub.slug + "-" + strconv.Itoa(a.index+1)
}

func renderArticle(b *bytes.Buffer, p *plan, a *articlePlan, seed2 uint64) {
	s := a.sub
	t, fw := s.topic, s.topic.fw
	w := newWriter(p.seed, seed2, fw.name, fw.lang, s.keywords)
	b.WriteString("---\n")
	kv(b, "title", quote(title(w.phraseOf(articleTitles[w.r.IntN(len(articleTitles))]))))
	kv(b, "description", quote(title(w.phraseOf("A {A} look at {T}: how {Np} {V} the {N}, and when to use {T}."))))
	kv(b, "difficulty", difficulty(w.r))
	kv(b, "framework", quote(fw.name))
	kv(b, "topic", quote(t.name))
	kv(b, "subtopic", quote(s.name))
	kv(b, "qaPath", "/"+fw.slug+"/"+t.slug+"/"+s.slug)
	kv(b, "updated", s.updated)
	b.WriteString("---\n")
	for sec := 3 + w.r.IntN(3); sec > 0; sec-- {
		b.WriteString("## " + title(w.phraseOf("{T} and the {A} {N}")) + "\n\n")
		w.paragraph(3 + w.r.IntN(4))
		w.b = append(w.b, "\n\n"...)
		if w.chance(0.6) {
			w.code(fw.lang)
			w.b = append(w.b, "\n\n"...)
		}
		w.paragraph(2 + w.r.IntN(4))
		w.b = append(w.b, "\n\n"...)
		b.Write(w.b)
		w.b = w.b[:0]
	}
}

func kv(b *bytes.Buffer, k, v string) {
	b.WriteString(k)
	b.WriteString(": ")
	b.WriteString(v)
	b.WriteByte('\n')
}

// quote makes a YAML double-quoted scalar.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
