package importer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"
)

// Options say where and how to write the imported questions.
type Options struct {
	Out           string // corpus root
	Framework     string // slug
	FrameworkName string // display name; defaults to the slug, title-cased
	Topic         string // slug
	TopicName     string
	SubtopicSize  int    // questions per subtopic file; 0 means one file per section
	Difficulty    string // for every question (default medium)
	Updated       string // YYYY-MM-DD (default today)
	Force         bool   // overwrite existing subtopic files
}

// Written is one file the import wrote, or kept.
type Written struct {
	Path      string
	Questions int
	Kept      bool // an existing framework or topic file, left as it was
}

// ErrExists means a file would be overwritten without Force.
var ErrExists = errors.New("file exists (use --force to overwrite)")

// Write turns the parsed sections into corpus files under opts.Out. It checks every
// target before writing anything, so a refused import writes nothing.
func Write(p *Parsed, opts Options) ([]Written, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	type file struct {
		path string
		data []byte
		n    int
		keep bool // written only when missing
	}
	var files []file
	fwPath := filepath.Join(opts.Out, "frameworks", opts.Framework+".yml")
	fw, _ := yaml.Marshal(map[string]any{"name": opts.FrameworkName, "description": opts.FrameworkName + " interview questions.", "order": 100})
	files = append(files, file{path: fwPath, data: fw, keep: true})
	topicPath := filepath.Join(opts.Out, "topics", opts.Framework+"-"+opts.Topic+".yml")
	tp, _ := yaml.Marshal(yamlTopic{Name: opts.TopicName, Description: opts.TopicName + " questions.", FrameworkSlug: opts.Framework, Slug: opts.Topic, Order: 1})
	files = append(files, file{path: topicPath, data: tp, keep: true})

	usedSlugs := map[string]bool{}
	order := 0
	for _, sec := range p.Sections {
		chunks := [][]Question{sec.Questions}
		if opts.SubtopicSize > 0 {
			chunks = nil
			for i := 0; i < len(sec.Questions); i += opts.SubtopicSize {
				chunks = append(chunks, sec.Questions[i:min(i+opts.SubtopicSize, len(sec.Questions))])
			}
		}
		for ci, qs := range chunks {
			name := sec.Title
			if name == "" {
				name = opts.TopicName
			}
			if len(chunks) > 1 || sec.Title == "" && len(p.Sections) > 1 {
				name = fmt.Sprintf("%s (part %d)", name, ci+1)
			}
			slug := uniqueSlug(Slugify(name, 50), usedSlugs)
			order++
			data, err := subtopicFile(opts, name, order, qs)
			if err != nil {
				return nil, err
			}
			files = append(files, file{path: filepath.Join(opts.Out, "qa", opts.Framework, opts.Topic, slug+".md"), data: data, n: len(qs)})
		}
	}
	for _, f := range files {
		if _, err := os.Stat(f.path); err == nil && !f.keep && !opts.Force {
			return nil, fmt.Errorf("%s: %w", f.path, ErrExists)
		}
	}
	var out []Written
	for _, f := range files {
		if _, err := os.Stat(f.path); err == nil && f.keep {
			out = append(out, Written{Path: f.path, Kept: true})
			continue
		}
		if err := os.MkdirAll(filepath.Dir(f.path), 0o755); err != nil {
			return out, err
		}
		if err := os.WriteFile(f.path, f.data, 0o644); err != nil {
			return out, err
		}
		out = append(out, Written{Path: f.path, Questions: f.n})
	}
	return out, nil
}

func (o *Options) defaults() error {
	for _, s := range []struct{ name, v string }{{"--framework", o.Framework}, {"--topic", o.Topic}} {
		if Slugify(s.v, 80) != s.v || s.v == "" {
			return fmt.Errorf("%s %q: want a slug (lower-case letters, digits, hyphens)", s.name, s.v)
		}
	}
	if o.FrameworkName == "" {
		o.FrameworkName = titleCase(o.Framework)
	}
	if o.TopicName == "" {
		o.TopicName = titleCase(o.Topic)
	}
	if o.Difficulty == "" {
		o.Difficulty = "medium"
	}
	if o.Updated == "" {
		o.Updated = time.Now().UTC().Format(time.DateOnly)
	}
	return nil
}

type yamlTopic struct {
	Name          string `yaml:"name"`
	Description   string `yaml:"description"`
	FrameworkSlug string `yaml:"frameworkSlug"`
	Slug          string `yaml:"slug"`
	Order         int    `yaml:"order"`
}

type yamlQuestion struct {
	ID         string `yaml:"id"`
	Difficulty string `yaml:"difficulty"`
	Q          string `yaml:"q"`
	A          string `yaml:"a"`
}

type yamlSubtopic struct {
	Framework      string         `yaml:"framework"`
	FrameworkSlug  string         `yaml:"frameworkSlug"`
	Topic          string         `yaml:"topic"`
	TopicSlug      string         `yaml:"topicSlug"`
	Subtopic       string         `yaml:"subtopic"`
	Difficulty     string         `yaml:"difficulty"`
	Order          int            `yaml:"order"`
	Updated        string         `yaml:"updated"`
	SEODescription string         `yaml:"seoDescription"`
	Questions      []yamlQuestion `yaml:"questions"`
}

func subtopicFile(o Options, name string, order int, qs []Question) ([]byte, error) {
	st := yamlSubtopic{
		Framework: o.FrameworkName, FrameworkSlug: o.Framework, Topic: o.TopicName, TopicSlug: o.Topic,
		Subtopic: name, Difficulty: o.Difficulty, Order: order, Updated: o.Updated,
		SEODescription: fmt.Sprintf("%d %s interview questions: %s.", len(qs), o.FrameworkName, name),
	}
	used := map[string]bool{}
	for _, q := range qs {
		st.Questions = append(st.Questions, yamlQuestion{
			ID: uniqueSlug(Slugify(q.Title, 60), used), Difficulty: o.Difficulty,
			Q: q.Title, A: strings.TrimSpace(q.Answer) + "\n",
		})
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(st); err != nil {
		return nil, err
	}
	enc.Close()
	b.WriteString("---\n")
	return b.Bytes(), nil
}

// Slugify makes a URL slug of at most max bytes from s, cutting at a hyphen.
func Slugify(s string, max int) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			dash = false
		} else if r == '\'' || r == '’' {
			continue
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	slug := strings.TrimRight(b.String(), "-")
	if len(slug) > max {
		slug = slug[:max]
		if i := strings.LastIndexByte(slug, '-'); i > max/2 {
			slug = slug[:i]
		}
		slug = strings.TrimRight(slug, "-")
	}
	return slug
}

func uniqueSlug(slug string, used map[string]bool) string {
	if slug == "" {
		slug = "question"
	}
	s := slug
	for n := 2; used[s]; n++ {
		s = fmt.Sprintf("%s-%d", slug, n)
	}
	used[s] = true
	return s
}

func titleCase(slug string) string {
	words := strings.Split(slug, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}
