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

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidSlug reports whether s is lower-case letters and digits joined by single hyphens.
func ValidSlug(s string) bool { return slugRE.MatchString(s) }

// Load reads the corpus rooted at dir. When the corpus has problems it returns the
// corpus read so far and an Errors listing all of them; error paths start with dir.
func Load(dir string) (*Corpus, error) {
	if st, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	} else if !st.IsDir() {
		return nil, fmt.Errorf("corpus: %s is not a directory", dir)
	}
	l := &loader{fsys: os.DirFS(dir), root: dir, c: &Corpus{Files: map[string]string{}}}
	if err := l.load(); err != nil {
		return nil, err
	}
	l.c.sortAll()
	l.c.Index()
	if len(l.errs) > 0 {
		l.errs.sort()
		return l.c, l.errs
	}
	return l.c, nil
}

type loader struct {
	fsys fs.FS
	root string
	c    *Corpus
	errs Errors
	// lines remembers where values were declared, for cross-file checks.
	qaPathLines map[*Article]int
	articleFile map[*Article]string
	subFile     map[*Subtopic]string
	subLines    map[*Subtopic]map[string]int
}

func (l *loader) errorf(rel string, line int, format string, args ...any) {
	l.errs = append(l.errs, &Error{Path: filepath.Join(l.root, filepath.FromSlash(rel)), Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (l *loader) load() error {
	l.qaPathLines = map[*Article]int{}
	l.articleFile = map[*Article]string{}
	l.subFile = map[*Subtopic]string{}
	l.subLines = map[*Subtopic]map[string]int{}
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
		data, err := fs.ReadFile(l.fsys, p)
		if err != nil {
			return err
		}
		parts := strings.Split(p, "/")
		switch {
		case p == "synonyms.yml":
			l.record(p, data)
			l.loadSynonyms(p, data)
		case len(parts) == 2 && parts[0] == "frameworks" && path.Ext(p) == ".yml":
			l.record(p, data)
			l.loadFramework(p, data)
		case len(parts) == 2 && parts[0] == "topics" && path.Ext(p) == ".yml":
			l.record(p, data)
			l.loadTopic(p, data)
		case len(parts) == 4 && parts[0] == "qa" && path.Ext(p) == ".md":
			l.record(p, data)
			l.loadSubtopic(p, data)
		case len(parts) == 2 && parts[0] == "blog" && path.Ext(p) == ".md":
			l.record(p, data)
			l.loadArticle(p, data)
		default:
			// Other files (READMEs, images) are not part of the corpus.
		}
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
	slug := strings.TrimSuffix(path.Base(p), ".yml")
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
	if want := t.Framework + "-" + t.Slug + ".yml"; path.Base(p) != want {
		l.errorf(p, f.lines["slug"], "frameworkSlug %q and slug %q contradict the file name (want %s)", t.Framework, t.Slug, want)
		return
	}
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
		if _, ok := f.vals["difficulty"]; !ok {
			l.required(p, off, f, "difficulty", "")
		}
	}
	if v, ok := f.vals["related"]; ok && v.Kind == yaml.SequenceNode {
		for _, r := range v.Content {
			if r.Kind == yaml.ScalarNode {
				s.Related = append(s.Related, r.Value)
			}
		}
	}
	qn, ok := f.vals["questions"]
	switch {
	case !ok || qn.Tag == "!!null":
		l.errorf(p, f.line+off, "missing questions")
	case qn.Kind != yaml.SequenceNode:
		l.errorf(p, qn.Line+off, "questions: expected a list")
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
			l.required(p, off, qf, "a", q.A)
			if q.ID != "" && !ValidSlug(q.ID) {
				l.errorf(p, qf.lines["id"]+off, "id %q is not a valid slug (lower-case letters, digits, hyphens)", q.ID)
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
			if q.ID != "" && q.Q != "" && q.A != "" {
				s.Questions = append(s.Questions, q)
			}
		}
	}
	lines := map[string]int{}
	for k, v := range f.lines {
		lines[k] = v + off
	}
	l.subFile[s] = p
	l.subLines[s] = lines
	l.c.Subtopics = append(l.c.Subtopics, s)
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
	l.required(p, off, f, "qaPath", a.QAPath)
	if body == "" {
		l.errorf(p, f.line+off, "empty article body")
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
	for _, g := range root.Content {
		var group []string
		if err := g.Decode(&group); err != nil || len(group) < 2 {
			l.errorf(p, g.Line, "a synonym group is a list of two or more terms")
			continue
		}
		for i := range group {
			group[i] = strings.ToLower(strings.TrimSpace(group[i]))
		}
		l.c.Synonyms = append(l.c.Synonyms, group)
	}
}

// crossCheck verifies references between files, once every file is read.
func (l *loader) crossCheck() {
	fws := map[string]bool{}
	for _, f := range l.c.Frameworks {
		fws[f.Slug] = true
	}
	var topics []*Topic
	for _, t := range l.c.Topics {
		if !fws[t.Framework] {
			l.errorf("topics/"+t.Framework+"-"+t.Slug+".yml", 1, "framework %q has no file frameworks/%s.yml", t.Framework, t.Framework)
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
		case l.c.Topic(s.Framework, s.Topic) == nil:
			l.errorf(p, l.subLines[s]["topicSlug"], "topic %q has no file topics/%s-%s.yml", s.Topic, s.Framework, s.Topic)
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
	var arts []*Article
	for _, a := range l.c.Articles {
		if a.QAPath == "" {
			continue
		}
		if l.c.Subtopic(a.QAPath) == nil {
			l.errorf(l.articleFile[a], l.qaPathLines[a], "qaPath %q names no subtopic page", a.QAPath)
			continue
		}
		arts = append(arts, a)
	}
	l.c.Articles = arts
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
