package corpus

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

var (
	slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	idRE   = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._~-]*$`)
)

// ValidSlug reports whether s is lower-case letters and digits joined by single
// hyphens: what framework, topic, subtopic and article names in paths are.
func ValidSlug(s string) bool { return slugRE.MatchString(s) }

// ValidID reports whether s can be a question id: characters a URL fragment keeps as
// they are (letters, digits, - . _ ~), as public collections write them
// (as_completed), up to MaxIDBytes.
func ValidID(s string) bool { return len(s) <= MaxIDBytes && idRE.MatchString(s) }

// DefaultDifficulty is the difficulty of a question when neither it nor its page
// names one.
const DefaultDifficulty = "medium"

// Load reads the corpus rooted at dir. A file with an error is left out, and the
// rest is read: the returned corpus holds every good file, and the error (an Errors)
// lists what was wrong, as path:line: message with paths starting with dir. Problems
// that leave nothing out are in the corpus's Warnings. Only a corpus that cannot be
// read at all (dir missing) gives a nil corpus.
func Load(dir string) (*Corpus, error) { return LoadWith(dir, Options{}) }

// Options changes how LoadWith reads a corpus.
type Options struct {
	// LastGood returns the bytes of the version of the file (a path relative to the
	// corpus root, with slashes) that the live index was built from, when it has
	// one: a file that now has an error is read from them instead, so that the
	// index keeps the last good version of it until it is fixed.
	LastGood func(path string) ([]byte, bool)
}

// LoadWith is Load with options.
func LoadWith(dir string, opts Options) (*Corpus, error) {
	if st, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	} else if !st.IsDir() {
		return nil, fmt.Errorf("corpus: %s is not a directory", dir)
	}
	l := &loader{fsys: os.DirFS(dir), root: dir, opts: opts, c: &Corpus{Files: map[string]string{}, Root: dir}}
	if err := l.load(); err != nil {
		return nil, err
	}
	l.c.sortAll()
	l.c.Index()
	l.c.Warnings.sort()
	slices.Sort(l.c.Kept)
	slices.Sort(l.c.LeftOut)
	if len(l.errs) > 0 {
		l.errs.sort()
		return l.c, l.errs
	}
	return l.c, nil
}

type loader struct {
	fsys fs.FS
	root string
	opts Options
	c    *Corpus
	errs Errors
	// lines remembers where values were declared, for cross-file checks.
	qaPathLines map[*Article]int
	articleFile map[*Article]string
	subFile     map[*Subtopic]string
	subLines    map[*Subtopic]map[string]int
	relatedOf   map[*Subtopic][]relatedEntry
	topicFile   map[*Topic]string
	fwFile      map[*Framework]string
	synTerms    int // synonym terms read so far, against MaxSynonymTerms
}

// relatedEntry is one entry of a subtopic's related list, where it was written.
type relatedEntry struct {
	path string // framework/topic/subtopic
	line int
}

// errorf records an error: the file it is in is left out (or kept at its last good
// version).
func (l *loader) errorf(rel string, line int, format string, args ...any) {
	l.errs = append(l.errs, &Error{Path: filepath.Join(l.root, filepath.FromSlash(rel)), Line: line, Msg: fmt.Sprintf(format, args...)})
}

// warnf records a problem that leaves the file in.
func (l *loader) warnf(rel string, line int, format string, args ...any) {
	l.c.Warnings = append(l.c.Warnings, &Error{Path: filepath.Join(l.root, filepath.FromSlash(rel)), Line: line, Msg: fmt.Sprintf(format, args...), Warning: true})
}

// fileKind is what a corpus file is, from its path: "" for a file qdex does not read.
func fileKind(p string) string {
	parts := strings.Split(p, "/")
	yml := path.Ext(p) == ".yml" || path.Ext(p) == ".yaml"
	switch {
	case p == "synonyms.yml" || p == "synonyms.yaml":
		return "synonyms"
	case len(parts) == 2 && parts[0] == "frameworks" && yml:
		return "framework"
	case len(parts) == 2 && parts[0] == "topics" && yml:
		return "topic"
	case len(parts) == 4 && parts[0] == "qa" && path.Ext(p) == ".md" && parts[3] != "index.md":
		return "subtopic"
	case len(parts) == 2 && parts[0] == "blog" && path.Ext(p) == ".md":
		return "article"
	}
	return ""
}

// mark is how much the loader had read, to undo a file that turns out bad.
type mark struct{ frameworks, topics, subtopics, articles, synonyms, errs, synTerms int }

func (l *loader) mark() mark {
	return mark{len(l.c.Frameworks), len(l.c.Topics), len(l.c.Subtopics), len(l.c.Articles), len(l.c.Synonyms), len(l.errs), l.synTerms}
}

// undo forgets the records read since m (its errors stay).
func (l *loader) undo(m mark) {
	l.c.Frameworks = l.c.Frameworks[:m.frameworks]
	l.c.Topics = l.c.Topics[:m.topics]
	l.c.Subtopics = l.c.Subtopics[:m.subtopics]
	l.c.Articles = l.c.Articles[:m.articles]
	l.c.Synonyms = l.c.Synonyms[:m.synonyms]
	l.synTerms = m.synTerms
}

// readFile reads one file of the given kind: all of it, or, when it has an error,
// none of it (and its last good version instead, when the index has one).
func (l *loader) readFile(kind, p string, data []byte) {
	m := l.mark()
	l.parse(kind, p, data)
	if len(l.errs) == m.errs {
		l.record(p, data)
		return
	}
	l.undo(m)
	if l.opts.LastGood != nil {
		if old, ok := l.opts.LastGood(p); ok && !bytes.Equal(old, data) {
			errs, warnings := len(l.errs), len(l.c.Warnings)
			m2 := l.mark()
			l.parse(kind, p, old)
			l.c.Warnings = l.c.Warnings[:warnings] // reported when that version was read
			if len(l.errs) == errs {
				l.record(p, old)
				l.c.Kept = append(l.c.Kept, p)
				return
			}
			// The last good version fails too (a limit it predates): left out.
			l.errs = l.errs[:errs]
			l.undo(m2)
		}
	}
	l.c.LeftOut = append(l.c.LeftOut, p)
}

func (l *loader) parse(kind, p string, data []byte) {
	if len(data) > MaxFileBytes {
		l.errorf(p, 0, "%d bytes: a corpus file may have at most %d", len(data), MaxFileBytes)
		return
	}
	switch kind {
	case "synonyms":
		l.loadSynonyms(p, data)
	case "framework":
		l.loadFramework(p, data)
	case "topic":
		l.loadTopic(p, data)
	case "subtopic":
		l.loadSubtopic(p, data)
	case "article":
		l.loadArticle(p, data)
	}
}

func (l *loader) load() error {
	l.qaPathLines = map[*Article]int{}
	l.articleFile = map[*Article]string{}
	l.subFile = map[*Subtopic]string{}
	l.subLines = map[*Subtopic]map[string]int{}
	l.relatedOf = map[*Subtopic][]relatedEntry{}
	l.topicFile = map[*Topic]string{}
	l.fwFile = map[*Framework]string{}
	err := fs.WalkDir(l.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if !d.Type().IsRegular() {
			// A pipe or a device would block the read or never end: not content.
			l.warnf(p, 0, "ignored: not a regular file")
			return nil
		}
		kind := fileKind(p)
		if kind == "" {
			l.warnf(p, 0, "ignored: not a file qdex reads (frameworks/*.yml, topics/*.yml, qa/FRAMEWORK/TOPIC/SUBTOPIC.md, blog/*.md, synonyms.yml)")
			return nil
		}
		if info, err := d.Info(); err == nil && info.Size() > MaxFileBytes {
			l.errorf(p, 0, "%d bytes: a corpus file may have at most %d", info.Size(), MaxFileBytes)
			l.c.LeftOut = append(l.c.LeftOut, p)
			return nil
		}
		data, err := fs.ReadFile(l.fsys, p)
		if err != nil {
			return err
		}
		l.readFile(kind, p, data)
		return nil
	})
	if err != nil {
		return fmt.Errorf("corpus: reading %s: %w", l.root, err)
	}
	l.crossCheck()
	return nil
}

func (l *loader) record(p string, data []byte) {
	sum := sha256.Sum256(data)
	l.c.Files[p] = hex.EncodeToString(sum[:])
}

// checkUTF8 reports invalid UTF-8 with the line of the first bad byte.
func (l *loader) checkUTF8(p string, data []byte) bool {
	if utf8.Valid(data) {
		return true
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			l.errorf(p, 1+bytes.Count(data[:i], []byte("\n")), "invalid UTF-8 (byte 0x%02x at offset %d)", data[i], i)
			return false
		}
		i += size
	}
	return false
}

// parseYAML decodes data into a node tree, reporting syntax errors at their line
// (shifted by offset lines, for front matter).
func (l *loader) parseYAML(p string, data []byte, offset int) (*yaml.Node, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := yamlErrorLine(err)
		l.errorf(p, line+offset, "invalid YAML: %s", msg)
		return nil, false
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		l.errorf(p, 1+offset, "expected a YAML mapping")
		return nil, false
	}
	return doc.Content[0], true
}

var yamlLineRE = regexp.MustCompile(`line (\d+): `)

func yamlErrorLine(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLineRE.FindStringSubmatchIndex(msg); m != nil {
		n, _ := strconv.Atoi(msg[m[2]:m[3]])
		return n, msg[:m[0]] + msg[m[1]:]
	}
	return 1, msg
}

// fields gives the scalar values and lines of a mapping node's keys.
type fields struct {
	vals  map[string]*yaml.Node
	lines map[string]int
	line  int
}

func mappingFields(n *yaml.Node) fields {
	f := fields{vals: map[string]*yaml.Node{}, lines: map[string]int{}, line: n.Line}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f.vals[k.Value] = v
		f.lines[k.Value] = v.Line
	}
	return f
}

// str returns the key's string value; a missing or null key gives "".
func (l *loader) str(p string, off int, f fields, key string) string {
	v, ok := f.vals[key]
	if !ok || v.Tag == "!!null" {
		return ""
	}
	if v.Kind != yaml.ScalarNode {
		l.errorf(p, v.Line+off, "%s: expected a string", key)
		return ""
	}
	return strings.TrimSpace(v.Value)
}

func (l *loader) integer(p string, off int, f fields, key string) int {
	v, ok := f.vals[key]
	if !ok || v.Tag == "!!null" {
		return 0
	}
	n, err := strconv.Atoi(v.Value)
	if v.Kind != yaml.ScalarNode || err != nil {
		l.errorf(p, v.Line+off, "%s: expected an integer, got %q", key, v.Value)
	}
	return n
}

func (l *loader) required(p string, off int, f fields, key, val string) {
	if val == "" {
		line := f.line
		if n, ok := f.lines[key]; ok {
			line = n
		}
		l.errorf(p, line+off, "missing %s", key)
	}
}

func (l *loader) date(p string, off int, f fields, key string) string {
	s := l.str(p, off, f, key)
	if s == "" {
		return ""
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		l.errorf(p, f.lines[key]+off, "%s: %q is not a date (YYYY-MM-DD)", key, s)
		return ""
	}
	return s
}

func (l *loader) difficulty(p string, off int, f fields, key string) string {
	s := l.str(p, off, f, key)
	if s != "" && !ValidDifficulty(s) {
		l.errorf(p, f.lines[key]+off, "%s: %q is not one of easy, medium, hard", key, s)
		return ""
	}
	return s
}

func (l *loader) loadFramework(p string, data []byte) {
	if !l.checkUTF8(p, data) {
		return
	}
	n, ok := l.parseYAML(p, data, 0)
	if !ok {
		return
	}
	f := mappingFields(n)
	slug := strings.TrimSuffix(path.Base(p), path.Ext(p))
	fw := &Framework{
		Slug:        slug,
		Name:        l.str(p, 0, f, "name"),
		Description: l.str(p, 0, f, "description"),
		Order:       l.integer(p, 0, f, "order"),
		Icon:        l.str(p, 0, f, "icon"),
		Tier:        l.integer(p, 0, f, "tier"),
	}
	if !ValidSlug(slug) {
		l.errorf(p, 1, "file name %q is not a valid slug (lower-case letters, digits, hyphens)", slug)
		return
	}
	if s := l.str(p, 0, f, "slug"); s != "" && s != slug {
		l.errorf(p, f.lines["slug"], "slug %q contradicts the file name %q", s, slug)
	}
	l.required(p, 0, f, "name", fw.Name)
	l.fwFile[fw] = p
	l.c.Frameworks = append(l.c.Frameworks, fw)
}

func (l *loader) loadTopic(p string, data []byte) {
	if !l.checkUTF8(p, data) {
		return
	}
	n, ok := l.parseYAML(p, data, 0)
	if !ok {
		return
	}
	f := mappingFields(n)
	t := &Topic{
		Framework:   l.str(p, 0, f, "frameworkSlug"),
		Slug:        l.str(p, 0, f, "slug"),
		Name:        l.str(p, 0, f, "name"),
		Description: l.str(p, 0, f, "description"),
		Order:       l.integer(p, 0, f, "order"),
	}
	l.required(p, 0, f, "frameworkSlug", t.Framework)
	l.required(p, 0, f, "slug", t.Slug)
	l.required(p, 0, f, "name", t.Name)
	if t.Framework == "" || t.Slug == "" {
		return
	}
	if want := t.Framework + "-" + t.Slug; strings.TrimSuffix(path.Base(p), path.Ext(p)) != want {
		l.errorf(p, f.lines["slug"], "frameworkSlug %q and slug %q contradict the file name (want %s%s)", t.Framework, t.Slug, want, path.Ext(p))
		return
	}
	l.topicFile[t] = p
	l.c.Topics = append(l.c.Topics, t)
}

// splitFrontMatter separates "---\nYAML\n---\nbody". It returns the YAML, the body
// and the line the body starts on.
func splitFrontMatter(data []byte) (fm, body []byte, bodyLine int, ok bool) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	rest, found := bytes.CutPrefix(data, []byte("---\n"))
	if !found {
		rest, found = bytes.CutPrefix(data, []byte("---\r\n"))
		if !found {
			return nil, nil, 0, false
		}
	}
	line := 2
	for i := 0; i <= len(rest); {
		j := bytes.IndexByte(rest[i:], '\n')
		end := len(rest)
		if j >= 0 {
			end = i + j
		}
		if string(bytes.TrimRight(rest[i:end], "\r \t")) == "---" {
			next := end + 1
			if next > len(rest) {
				next = len(rest)
			}
			return rest[:i], rest[next:], line + 1, true
		}
		if j < 0 {
			break
		}
		i = end + 1
		line++
	}
	return nil, nil, 0, false
}

// frontMatter parses a Markdown file's YAML front matter; the returned offset turns
// a YAML line into a file line.
func (l *loader) frontMatter(p string, data []byte) (fields, string, int, bool) {
	if !l.checkUTF8(p, data) {
		return fields{}, "", 0, false
	}
	fm, body, _, ok := splitFrontMatter(data)
	if !ok {
		l.errorf(p, 1, "not a Markdown file with YAML front matter (expected a first line \"---\" and a closing \"---\")")
		return fields{}, "", 0, false
	}
	const off = 1 // the front matter starts on line 2
	n, ok := l.parseYAML(p, fm, off)
	if !ok {
		return fields{}, "", 0, false
	}
	return mappingFields(n), strings.TrimSpace(string(body)), off, true
}

func (l *loader) loadSubtopic(p string, data []byte) {
	f, body, off, ok := l.frontMatter(p, data)
	if !ok {
		return
	}
	parts := strings.Split(p, "/")
	s := &Subtopic{
		Framework:      parts[1],
		Topic:          parts[2],
		Slug:           strings.TrimSuffix(parts[3], ".md"),
		FrameworkName:  l.str(p, off, f, "framework"),
		TopicName:      l.str(p, off, f, "topic"),
		Name:           l.str(p, off, f, "subtopic"),
		Difficulty:     l.difficulty(p, off, f, "difficulty"),
		Order:          l.integer(p, off, f, "order"),
		Updated:        l.date(p, off, f, "updated"),
		SEODescription: l.str(p, off, f, "seoDescription"),
		Intro:          body,
	}
	for _, seg := range []string{s.Framework, s.Topic, s.Slug} {
		if !ValidSlug(seg) {
			l.errorf(p, 1, "path segment %q is not a valid slug (lower-case letters, digits, hyphens)", seg)
			return
		}
	}
	for key, want := range map[string]string{"frameworkSlug": s.Framework, "topicSlug": s.Topic} {
		if got := l.str(p, off, f, key); got == "" {
			l.required(p, off, f, key, got)
		} else if got != want {
			l.errorf(p, f.lines[key]+off, "%s %q contradicts the path (%q)", key, got, want)
		}
	}
	l.required(p, off, f, "subtopic", s.Name)
	if s.Difficulty == "" {
		s.Difficulty = DefaultDifficulty
	}
	related := l.related(p, off, f)
	qn, ok := f.vals["questions"]
	switch {
	case !ok || qn.Tag == "!!null":
		l.errorf(p, f.line+off, "missing questions")
	case qn.Kind != yaml.SequenceNode:
		l.errorf(p, qn.Line+off, "questions: expected a list")
	case len(qn.Content) > MaxQuestionsPerFile:
		l.errorf(p, qn.Line+off, "%d questions: a page may have at most %d", len(qn.Content), MaxQuestionsPerFile)
	default:
		seen := map[string]int{}
		for _, item := range qn.Content {
			if item.Kind != yaml.MappingNode {
				l.errorf(p, item.Line+off, "question: expected a mapping with id, q and a")
				continue
			}
			qf := mappingFields(item)
			q := &Question{
				ID:         l.str(p, off, qf, "id"),
				Difficulty: l.difficulty(p, off, qf, "difficulty"),
				Q:          l.str(p, off, qf, "q"),
				A:          l.str(p, off, qf, "a"),
			}
			l.required(p, off, qf, "id", q.ID)
			l.required(p, off, qf, "q", q.Q)
			if q.ID != "" && !ValidID(q.ID) {
				l.errorf(p, qf.lines["id"]+off, "id %q: an id is up to %d letters, digits and - . _ ~, starting with a letter, digit or _", q.ID, MaxIDBytes)
				continue
			}
			if len(q.A) > MaxAnswerBytes {
				l.errorf(p, qf.lines["a"]+off, "answer of %d bytes: an answer may have at most %d", len(q.A), MaxAnswerBytes)
				continue
			}
			if q.ID != "" {
				if first, dup := seen[q.ID]; dup {
					l.errorf(p, qf.lines["id"]+off, "duplicate question id %q (first at line %d)", q.ID, first)
					continue
				}
				seen[q.ID] = qf.lines["id"] + off
			}
			if q.Difficulty == "" {
				q.Difficulty = s.Difficulty
			}
			if q.ID != "" && q.Q != "" && q.A == "" {
				line := qf.line
				if n, ok := qf.lines["a"]; ok {
					line = n
				}
				l.warnf(p, line+off, "question %q has no answer: left out", q.ID)
				continue
			}
			if q.ID != "" && q.Q != "" {
				s.Questions = append(s.Questions, q)
			}
		}
	}
	l.relatedOf[s] = related
	lines := map[string]int{}
	for k, v := range f.lines {
		lines[k] = v + off
	}
	l.subFile[s] = p
	l.subLines[s] = lines
	l.c.Subtopics = append(l.c.Subtopics, s)
}

// related reads a subtopic's related list. The site writes paths (with or without
// the leading slash, sometimes to a question: /python/concurrency/gil#gil-io) or
// objects naming one (path, qaPath, to or url, with a title beside it); each becomes
// the subtopic page it names, checked once every page is read.
func (l *loader) related(p string, off int, f fields) []relatedEntry {
	v, ok := f.vals["related"]
	if !ok || v.Tag == "!!null" {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		l.warnf(p, v.Line+off, "related: expected a list of page paths: ignored")
		return nil
	}
	var out []relatedEntry
	for _, r := range v.Content {
		target := ""
		switch r.Kind {
		case yaml.ScalarNode:
			target = r.Value
		case yaml.MappingNode:
			rf := mappingFields(r)
			for _, key := range []string{"path", "qaPath", "to", "url"} {
				if n, ok := rf.vals[key]; ok && n.Kind == yaml.ScalarNode && n.Value != "" {
					target = n.Value
					break
				}
			}
		}
		target, _, _ = strings.Cut(strings.TrimSpace(target), "#")
		target = strings.Trim(target, "/")
		if target == "" {
			l.warnf(p, r.Line+off, "related: an entry is a page path or an object with path: ignored")
			continue
		}
		out = append(out, relatedEntry{path: target, line: r.Line + off})
	}
	return out
}

func (l *loader) loadArticle(p string, data []byte) {
	f, body, off, ok := l.frontMatter(p, data)
	if !ok {
		return
	}
	slug := strings.TrimSuffix(path.Base(p), ".md")
	if !ValidSlug(slug) {
		l.errorf(p, 1, "file name %q is not a valid slug (lower-case letters, digits, hyphens)", slug)
		return
	}
	a := &Article{
		Slug:        slug,
		Title:       l.str(p, off, f, "title"),
		Description: l.str(p, off, f, "description"),
		Difficulty:  l.difficulty(p, off, f, "difficulty"),
		QAPath:      l.str(p, off, f, "qaPath"),
		Updated:     l.date(p, off, f, "updated"),
		Body:        body,
	}
	l.required(p, off, f, "title", a.Title)
	if body == "" {
		l.errorf(p, f.line+off, "empty article body")
	}
	if a.QAPath != "" {
		// The site writes /framework/topic/subtopic; a trailing slash is the same page.
		a.QAPath = "/" + strings.Trim(a.QAPath, "/")
	}
	if segs := strings.Split(strings.TrimPrefix(a.QAPath, "/"), "/"); len(segs) == 3 {
		a.Framework, a.Topic, a.Subtopic = segs[0], segs[1], segs[2]
	}
	l.qaPathLines[a] = f.lines["qaPath"] + off
	l.articleFile[a] = p
	l.c.Articles = append(l.c.Articles, a)
}

func (l *loader) loadSynonyms(p string, data []byte) {
	if !l.checkUTF8(p, data) {
		return
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := yamlErrorLine(err)
		l.errorf(p, line, "invalid YAML: %s", msg)
		return
	}
	if len(doc.Content) == 0 {
		return
	}
	root := doc.Content[0]
	if root.Kind != yaml.SequenceNode {
		l.errorf(p, root.Line, "expected a list of synonym groups")
		return
	}
	// The nodes are read one by one rather than decoded: an alias stands for its
	// anchor's value wherever it is used, and the limits count what it expands to
	// before anything is expanded.
	for _, g := range root.Content {
		line := g.Line
		g = resolveAlias(g)
		if g.Kind != yaml.SequenceNode || len(g.Content) < 2 {
			l.errorf(p, line, "a synonym group is a list of two or more terms")
			continue
		}
		if len(g.Content) > MaxSynonymGroup {
			l.errorf(p, line, "a synonym group of %d terms: a group may have at most %d", len(g.Content), MaxSynonymGroup)
			return
		}
		if l.synTerms += len(g.Content); l.synTerms > MaxSynonymTerms {
			l.errorf(p, line, "more than %d synonym terms in all", MaxSynonymTerms)
			return
		}
		group := make([]string, 0, len(g.Content))
		ok := true
		for _, t := range g.Content {
			tl := t.Line
			t = resolveAlias(t)
			if t.Kind != yaml.ScalarNode {
				l.errorf(p, tl, "a synonym term is a string")
				ok = false
				break
			}
			if len(t.Value) > MaxSynonymTermBytes {
				l.errorf(p, tl, "a synonym term of %d bytes: a term may have at most %d", len(t.Value), MaxSynonymTermBytes)
				return
			}
			if term := strings.ToLower(strings.TrimSpace(t.Value)); term != "" {
				group = append(group, term)
			}
		}
		if !ok {
			continue
		}
		if len(group) < 2 {
			l.errorf(p, line, "a synonym group is a list of two or more terms")
			continue
		}
		l.c.Synonyms = append(l.c.Synonyms, group)
	}
}

// resolveAlias follows an alias to its anchor's node (yaml.v3 forbids cycles).
func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// crossCheck verifies references between files, once every file is read.
func (l *loader) crossCheck() {
	fws := map[string]bool{}
	var frameworks []*Framework
	for _, f := range l.c.Frameworks {
		if fws[f.Slug] {
			l.errorf(l.fwFile[f], 1, "framework %q is also defined by another file (.yml and .yaml)", f.Slug)
			l.leaveOut(l.fwFile[f])
			continue
		}
		fws[f.Slug] = true
		frameworks = append(frameworks, f)
	}
	l.c.Frameworks = frameworks
	seenTopics := map[string]bool{}
	var topics []*Topic
	for _, t := range l.c.Topics {
		if key := t.Framework + "/" + t.Slug; seenTopics[key] {
			l.errorf(l.topicFile[t], 1, "topic %q is also defined by another file (.yml and .yaml)", key)
			l.leaveOut(l.topicFile[t])
			continue
		} else {
			seenTopics[key] = true
		}
		if !fws[t.Framework] {
			p := l.topicFile[t]
			l.errorf(p, 1, "framework %q has no file frameworks/%s.yml", t.Framework, t.Framework)
			l.leaveOut(p)
			continue
		}
		topics = append(topics, t)
	}
	l.c.Topics = topics
	var subs []*Subtopic
	for _, s := range l.c.Subtopics {
		p := l.subFile[s]
		switch {
		case !fws[s.Framework]:
			l.errorf(p, l.subLines[s]["frameworkSlug"], "framework %q has no file frameworks/%s.yml", s.Framework, s.Framework)
			l.leaveOut(p)
		case l.c.Topic(s.Framework, s.Topic) == nil:
			l.errorf(p, l.subLines[s]["topicSlug"], "topic %q has no file topics/%s-%s.yml", s.Topic, s.Framework, s.Topic)
			l.leaveOut(p)
		default:
			// The framework and topic records name them; the copies in the front
			// matter may lag behind a rename.
			s.FrameworkName = l.c.Framework(s.Framework).Name
			s.TopicName = l.c.Topic(s.Framework, s.Topic).Name
			subs = append(subs, s)
		}
	}
	l.c.Subtopics = subs
	l.c.Index() // the article checks below look pages up by path
	for _, a := range l.c.Articles {
		if a.QAPath != "" && l.c.Subtopic(a.QAPath) == nil {
			l.warnf(l.articleFile[a], l.qaPathLines[a], "qaPath %q names no subtopic page: the article is not linked to one", a.QAPath)
			a.QAPath, a.Framework, a.Topic, a.Subtopic = "", "", "", ""
		}
	}
	for _, s := range l.c.Subtopics {
		for _, r := range l.relatedOf[s] {
			if l.c.Subtopic(r.path) == nil {
				l.warnf(l.subFile[s], r.line, "related: %q names no subtopic page: not shown", r.path)
				continue
			}
			s.Related = append(s.Related, r.path)
		}
	}
}

// leaveOut forgets a file that a check across files found bad after it was read.
func (l *loader) leaveOut(p string) {
	delete(l.c.Files, p)
	l.c.LeftOut = append(l.c.LeftOut, p)
}

// Digest is a digest of the whole corpus: it changes when any file's bytes change or a
// file is added or removed.
func (c *Corpus) Digest() string {
	h := sha256.New()
	for _, p := range slices.Sorted(maps.Keys(c.Files)) {
		fmt.Fprintf(h, "%s %s\n", p, c.Files[p])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AsErrors returns the corpus problems in err, if it holds any.
func AsErrors(err error) (Errors, bool) {
	var es Errors
	ok := errors.As(err, &es)
	return es, ok
}
