package indexer

import (
	"strings"
	"time"

	"qdex/corpus"
)

// document is what one question or article becomes in the index. The json names are
// the mapping's property paths.
type document struct {
	Type       string    `json:"_type"`
	Question   string    `json:"question"`
	Answer     string    `json:"answer"`
	Code       string    `json:"code"`
	Context    string    `json:"context"`
	Language   []string  `json:"language"`
	Framework  string    `json:"framework"`
	Topic      string    `json:"topic"`
	Subtopic   string    `json:"subtopic"`
	Page       string    `json:"page"`
	Difficulty string    `json:"difficulty"`
	DocType    string    `json:"type"`
	Updated    time.Time `json:"updated"`
	Markdown   string    `json:"markdown"`
}

func parseDate(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// questionDocument turns one question of a subtopic into its index document.
func questionDocument(s *corpus.Subtopic, i int) (string, *document) {
	q := s.Questions[i]
	ex := ExtractText(q.A)
	return corpus.QuestionDocID(s, q), &document{
		Type:       DocType,
		Question:   q.Q,
		Answer:     ex.Prose,
		Code:       ex.CodeText(),
		Context:    strings.Join([]string{s.FrameworkName, s.TopicName, s.Name}, "\n"),
		Language:   ex.Languages(),
		Framework:  s.Framework,
		Topic:      s.Topic,
		Subtopic:   s.Slug,
		Page:       s.Path(),
		Difficulty: q.Difficulty,
		DocType:    TypeQuestion,
		Updated:    parseDate(s.Updated),
		Markdown:   q.A,
	}
}

// articleDocument turns a blog article into its index document. The title plays the
// part of the question; the description joins the context.
func articleDocument(c *corpus.Corpus, a *corpus.Article) (string, *document) {
	ex := ExtractText(a.Body)
	ctx := []string{a.Description}
	if s := c.Subtopic(a.QAPath); s != nil {
		ctx = append(ctx, s.FrameworkName, s.TopicName, s.Name)
	}
	return corpus.ArticleDocID(a), &document{
		Type:       DocType,
		Question:   a.Title,
		Answer:     ex.Prose,
		Code:       ex.CodeText(),
		Context:    strings.Join(ctx, "\n"),
		Language:   ex.Languages(),
		Framework:  a.Framework,
		Topic:      a.Topic,
		Subtopic:   a.Subtopic,
		Page:       "blog/" + a.Slug,
		Difficulty: a.Difficulty,
		DocType:    TypeArticle,
		Updated:    parseDate(a.Updated),
		Markdown:   a.Body,
	}
}
