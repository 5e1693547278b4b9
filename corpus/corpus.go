// Package corpus reads the content site's files (frameworks, topics, subtopic pages of
// questions and blog articles) into typed values, and reports every problem in them as
// path:line: message.
package corpus

import (
	"slices"
	"strings"
)

// Difficulties lists the valid difficulty values, easiest first.
var Difficulties = []string{"easy", "medium", "hard"}

// ValidDifficulty reports whether d is one of Difficulties.
func ValidDifficulty(d string) bool { return slices.Contains(Difficulties, d) }

// Corpus is a whole content tree, loaded and cross-checked.
type Corpus struct {
	Frameworks []*Framework `json:"frameworks"`
	Topics     []*Topic     `json:"topics"`
	Subtopics  []*Subtopic  `json:"subtopics"`
	Articles   []*Article   `json:"articles"`
	// Synonyms are groups of equivalent terms; a group may hold multi-word terms.
	Synonyms [][]string `json:"synonyms,omitempty"`
	// Files maps each file's path relative to the corpus root to its SHA-256 digest:
	// the files read, at the version read (a kept file's last good one).
	Files map[string]string `json:"files,omitempty"`

	// What Load found besides the records: where it read from, the problems that
	// left nothing out, the files read at their last good version because the
	// current one has errors, and the files left out (errors, no good version).
	Root     string   `json:"-"`
	Warnings Errors   `json:"-"`
	Kept     []string `json:"-"`
	LeftOut  []string `json:"-"`

	lk *lookup // maps for the lookups below, built by Index
}

// lookup maps keys to records, so that the lookups of a large corpus stay O(1).
type lookup struct {
	frameworks map[string]*Framework
	topics     map[string]*Topic // framework/topic
	subtopics  map[string]*Subtopic
	articles   map[string]*Article
}

// Index builds the lookup maps. Call it once the corpus is complete; the corpus must
// not change afterwards.
func (c *Corpus) Index() {
	lk := &lookup{
		frameworks: map[string]*Framework{},
		topics:     map[string]*Topic{},
		subtopics:  map[string]*Subtopic{},
		articles:   map[string]*Article{},
	}
	for _, f := range c.Frameworks {
		lk.frameworks[f.Slug] = f
	}
	for _, t := range c.Topics {
		lk.topics[t.Framework+"/"+t.Slug] = t
	}
	for _, s := range c.Subtopics {
		lk.subtopics[s.Path()] = s
	}
	for _, a := range c.Articles {
		lk.articles[a.Slug] = a
	}
	c.lk = lk
}

// Framework is data/frameworks/<slug>.yml.
type Framework struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Order       int    `json:"order"`
	Icon        string `json:"icon,omitempty"`
	Tier        int    `json:"tier,omitempty"`
}

// Topic is data/topics/<framework>-<slug>.yml.
type Topic struct {
	Framework   string `json:"framework"`
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Order       int    `json:"order"`
}

// Subtopic is one page of questions: data/qa/<framework>/<topic>/<slug>.md.
type Subtopic struct {
	Framework      string      `json:"framework"`
	FrameworkName  string      `json:"framework_name"`
	Topic          string      `json:"topic"`
	TopicName      string      `json:"topic_name"`
	Slug           string      `json:"slug"`
	Name           string      `json:"name"`
	Difficulty     string      `json:"difficulty"`
	Order          int         `json:"order"`
	Updated        string      `json:"updated"`
	SEODescription string      `json:"seo_description"`
	Related        []string    `json:"related,omitempty"`
	Intro          string      `json:"intro,omitempty"`
	Questions      []*Question `json:"questions"`
}

// Path is the subtopic's page path without the leading slash: python/concurrency/gil.
func (s *Subtopic) Path() string { return s.Framework + "/" + s.Topic + "/" + s.Slug }

// Question is one entry of a subtopic's questions list.
type Question struct {
	ID         string `json:"id"`
	Difficulty string `json:"difficulty"`
	Q          string `json:"q"`
	// A is the answer as Markdown. The serving catalog leaves it empty: answers are
	// stored in the search index.
	A string `json:"a,omitempty"`
}

// Article is a blog post: data/blog/<slug>.md.
type Article struct {
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Difficulty  string `json:"difficulty"`
	Framework   string `json:"framework"` // slug, from qaPath
	Topic       string `json:"topic"`     // slug, from qaPath
	Subtopic    string `json:"subtopic"`  // slug, from qaPath
	QAPath      string `json:"qa_path"`
	Updated     string `json:"updated"`
	// Body is the article's Markdown; empty in the serving catalog, like Question.A.
	Body string `json:"body,omitempty"`
}

// QuestionDocID is the public document ID of a question: python/concurrency/gil#what-is-the-gil.
func QuestionDocID(s *Subtopic, q *Question) string { return s.Path() + "#" + q.ID }

// ArticleDocID is the public document ID of an article: blog/<slug>.
func ArticleDocID(a *Article) string { return "blog/" + a.Slug }

// Framework returns the framework with the slug, or nil.
func (c *Corpus) Framework(slug string) *Framework {
	if c.lk != nil {
		return c.lk.frameworks[slug]
	}
	for _, f := range c.Frameworks {
		if f.Slug == slug {
			return f
		}
	}
	return nil
}

// Topic returns the topic of the framework with the slug, or nil.
func (c *Corpus) Topic(framework, slug string) *Topic {
	if c.lk != nil {
		return c.lk.topics[framework+"/"+slug]
	}
	for _, t := range c.Topics {
		if t.Framework == framework && t.Slug == slug {
			return t
		}
	}
	return nil
}

// Subtopic returns the subtopic at path (framework/topic/subtopic, leading slash
// optional), or nil.
func (c *Corpus) Subtopic(path string) *Subtopic {
	path = strings.TrimPrefix(path, "/")
	if c.lk != nil {
		return c.lk.subtopics[path]
	}
	for _, s := range c.Subtopics {
		if s.Path() == path {
			return s
		}
	}
	return nil
}

// Article returns the article with the slug, or nil.
func (c *Corpus) Article(slug string) *Article {
	if c.lk != nil {
		return c.lk.articles[slug]
	}
	for _, a := range c.Articles {
		if a.Slug == slug {
			return a
		}
	}
	return nil
}

// TopicsOf returns the framework's topics in display order.
func (c *Corpus) TopicsOf(framework string) []*Topic {
	var ts []*Topic
	for _, t := range c.Topics {
		if t.Framework == framework {
			ts = append(ts, t)
		}
	}
	return ts
}

// SubtopicsOf returns the topic's subtopics in display order.
func (c *Corpus) SubtopicsOf(framework, topic string) []*Subtopic {
	var ss []*Subtopic
	for _, s := range c.Subtopics {
		if s.Framework == framework && s.Topic == topic {
			ss = append(ss, s)
		}
	}
	return ss
}

// ArticlesFor returns the articles whose qaPath is the subtopic's page.
func (c *Corpus) ArticlesFor(s *Subtopic) []*Article {
	var as []*Article
	for _, a := range c.Articles {
		if a.QAPath == "/"+s.Path() {
			as = append(as, a)
		}
	}
	return as
}

// QuestionCount returns the number of questions in a framework ("" for all).
func (c *Corpus) QuestionCount(framework string) int {
	n := 0
	for _, s := range c.Subtopics {
		if framework == "" || s.Framework == framework {
			n += len(s.Questions)
		}
	}
	return n
}

// sortAll puts every list in display order: by order, then slug.
func (c *Corpus) sortAll() {
	slices.SortStableFunc(c.Frameworks, func(a, b *Framework) int {
		return cmpOrder(a.Order, b.Order, a.Slug, b.Slug)
	})
	fwOrder := map[string]int{}
	for i, f := range c.Frameworks {
		fwOrder[f.Slug] = i
	}
	slices.SortStableFunc(c.Topics, func(a, b *Topic) int {
		if d := fwOrder[a.Framework] - fwOrder[b.Framework]; d != 0 {
			return d
		}
		return cmpOrder(a.Order, b.Order, a.Slug, b.Slug)
	})
	topicOrder := map[string]int{}
	for i, t := range c.Topics {
		topicOrder[t.Framework+"/"+t.Slug] = i
	}
	slices.SortStableFunc(c.Subtopics, func(a, b *Subtopic) int {
		if d := topicOrder[a.Framework+"/"+a.Topic] - topicOrder[b.Framework+"/"+b.Topic]; d != 0 {
			return d
		}
		return cmpOrder(a.Order, b.Order, a.Slug, b.Slug)
	})
	slices.SortStableFunc(c.Articles, func(a, b *Article) int {
		if a.Updated != b.Updated {
			return strings.Compare(b.Updated, a.Updated)
		}
		return strings.Compare(a.Slug, b.Slug)
	})
}

func cmpOrder(oa, ob int, sa, sb string) int {
	if oa != ob {
		return oa - ob
	}
	return strings.Compare(sa, sb)
}
