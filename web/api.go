package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"qdex/api"
	"qdex/corpus"
	"qdex/metrics"
	"qdex/search"
)

// withIndex adapts a handler that needs the index being served. The request acquires
// the index once and releases it when done, so an index swapped meanwhile is closed
// only after the request. While none is open the handler does not run: errNoIndex
// goes to handleError, the one place that answers it (a 503 page, or JSON).
func (s *Server) withIndex(h func(echo.Context, *search.Index) error) echo.HandlerFunc {
	return func(c echo.Context) error {
		ix, release := s.cfg.Holder.Acquire()
		defer release()
		if ix == nil {
			return errNoIndex
		}
		return h(c, ix)
	}
}

// searchContext bounds the work of one request.
func (s *Server) searchContext(c echo.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request().Context(), s.cfg.SearchTimeout)
}

// queryValues parses the query string, refusing a malformed one (echo would drop the
// broken pairs silently).
func queryValues(c echo.Context) (url.Values, error) {
	v, err := url.ParseQuery(c.Request().URL.RawQuery)
	if err != nil {
		return nil, badParam("query string", "malformed")
	}
	return v, nil
}

// runSearch parses and runs the request's search.
func (s *Server) runSearch(c echo.Context, ix *search.Index) (search.Request, *search.Result, error) {
	v, err := queryValues(c)
	if err != nil {
		return search.Request{}, nil, err
	}
	req, err := parseSearch(v)
	if err != nil {
		return req, nil, err
	}
	ctx, cancel := s.searchContext(c)
	defer cancel()
	// At most MaxSearches run at once; the others queue until the search timeout. On
	// two cores more would only share the CPU slower and hold more memory.
	select {
	case s.slots <- struct{}{}:
		defer func() { <-s.slots }()
	case <-ctx.Done():
		return req, nil, fmt.Errorf("%w: %w", errBusy, ctx.Err())
	}
	res, err := ix.Search(ctx, req)
	if err == nil {
		metrics.ObserveSearch(res.Total)
		s.recordSearch(c, req, res)
	}
	return req, res, err
}

// apiSearch is GET /api/search: the JSON contract of api.Response.
func (s *Server) apiSearch(c echo.Context, ix *search.Index) error {
	_, res, err := s.runSearch(c, ix)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.NewResponse(res))
}

// apiSubtopic is the body of GET /api/questions/{framework}/{topic}/{subtopic}.
type apiSubtopic struct {
	Framework      string        `json:"framework"`
	FrameworkName  string        `json:"framework_name"`
	Topic          string        `json:"topic"`
	TopicName      string        `json:"topic_name"`
	Subtopic       string        `json:"subtopic"`
	SubtopicName   string        `json:"subtopic_name"`
	Difficulty     string        `json:"difficulty"`
	Updated        string        `json:"updated"`
	SEODescription string        `json:"seo_description"`
	Intro          string        `json:"intro"`
	IntroHTML      template.HTML `json:"intro_html"`
	URL            string        `json:"url"`
	Questions      []apiQuestion `json:"questions"`
	Articles       []apiArticle  `json:"articles"`
	// Related are the subtopics the corpus names first, then the questions of other
	// subtopics nearest to these by meaning.
	Related []apiRelated `json:"related"`
}

type apiRelated struct {
	Kind         string  `json:"kind"` // "subtopic" (named by the corpus) or "question" (by meaning)
	ID           string  `json:"id"`   // a subtopic path or a question's document ID
	Title        string  `json:"title"`
	SubtopicName string  `json:"subtopic_name"`
	URL          string  `json:"url"`
	Similarity   float32 `json:"similarity,omitempty"`
}

type apiQuestion struct {
	ID         string        `json:"id"`
	DocID      string        `json:"doc_id"`
	Difficulty string        `json:"difficulty"`
	Question   string        `json:"question"`
	Answer     string        `json:"answer"`
	AnswerHTML template.HTML `json:"answer_html"`
	URL        string        `json:"url"`
}

type apiArticle struct {
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Updated     string `json:"updated"`
	URL         string `json:"url"`
}

// apiQuestions is GET /api/questions/{framework}/{topic}/{subtopic}: the subtopic with
// every question, its answer's Markdown and the answer rendered as on the page.
func (s *Server) apiQuestions(c echo.Context, ix *search.Index) error {
	st, err := s.loadSubtopic(c, ix, c.Param("framework"), c.Param("topic"), c.Param("subtopic"))
	if err != nil {
		return err
	}
	out := apiSubtopic{
		Framework: st.sub.Framework, FrameworkName: st.sub.FrameworkName,
		Topic: st.sub.Topic, TopicName: st.sub.TopicName,
		Subtopic: st.sub.Slug, SubtopicName: st.sub.Name,
		Difficulty: st.sub.Difficulty, Updated: st.sub.Updated, SEODescription: st.sub.SEODescription,
		Intro: st.sub.Intro, URL: "/" + st.sub.Path(),
		Questions: make([]apiQuestion, 0, len(st.sub.Questions)),
		Articles:  make([]apiArticle, 0),
	}
	if out.IntroHTML, err = s.md.Render(st.sub.Intro); err != nil {
		return err
	}
	for _, q := range st.sub.Questions {
		id := corpus.QuestionDocID(st.sub, q)
		md := st.markdown[id]
		h, err := s.md.Render(md)
		if err != nil {
			return err
		}
		out.Questions = append(out.Questions, apiQuestion{
			ID: q.ID, DocID: id, Difficulty: q.Difficulty, Question: q.Q,
			Answer: md, AnswerHTML: h, URL: "/" + id,
		})
	}
	for _, a := range ix.Catalog().ArticlesFor(st.sub) {
		out.Articles = append(out.Articles, apiArticle{Slug: a.Slug, Title: a.Title, Description: a.Description, Updated: a.Updated, URL: "/" + corpus.ArticleDocID(a)})
	}
	out.Related = []apiRelated{}
	for _, r := range st.sub.Related {
		if rs := ix.Catalog().Subtopic(r); rs != nil {
			out.Related = append(out.Related, apiRelated{Kind: "subtopic", ID: rs.Path(), Title: rs.Name, SubtopicName: rs.Name, URL: "/" + rs.Path()})
		}
	}
	for _, r := range ix.Related(st.sub.Path()) {
		out.Related = append(out.Related, apiRelated{Kind: "question", ID: r.ID, Title: r.Question, SubtopicName: r.SubtopicName, URL: r.URL, Similarity: r.Similarity})
	}
	return c.JSON(http.StatusOK, out)
}

// subtopicData is a subtopic from the catalog with its answers' Markdown from the index.
type subtopicData struct {
	sub      *corpus.Subtopic
	markdown map[string]string // document ID → answer Markdown
}

func (s *Server) loadSubtopic(c echo.Context, ix *search.Index, fw, topic, sub string) (*subtopicData, error) {
	if !validSlug(fw) || !validSlug(topic) || !validSlug(sub) {
		return nil, errNotFound
	}
	st := ix.Catalog().Subtopic(fw + "/" + topic + "/" + sub)
	if st == nil {
		return nil, errNotFound
	}
	ctx, cancel := s.searchContext(c)
	defer cancel()
	md, err := ix.PageMarkdown(ctx, st.Path())
	if err != nil {
		return nil, err
	}
	for _, q := range st.Questions {
		if _, ok := md[corpus.QuestionDocID(st, q)]; !ok {
			s.log.Warn("answer missing from the index", "doc", corpus.QuestionDocID(st, q))
		}
	}
	return &subtopicData{sub: st, markdown: md}, nil
}

// validSlug reports whether s can be a slug of the corpus: letters, digits, '-', '_'
// and '.', not starting with a dot, at most 200 bytes.
func validSlug(s string) bool {
	if s == "" || len(s) > 200 || s[0] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '_' || b == '.') {
			return false
		}
	}
	return true
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readiness is the body of /readyz.
type readiness struct {
	Status    string    `json:"status"`
	Documents int       `json:"documents,omitempty"`
	BuiltAt   time.Time `json:"built_at,omitzero"`
	Error     string    `json:"error,omitempty"`
}

func (s *Server) readyz(c echo.Context) error {
	ix, release := s.cfg.Holder.Acquire()
	defer release()
	if ix == nil {
		msg := errNoIndex.Error()
		if s.cfg.Rebuilder != nil {
			if err := s.cfg.Rebuilder.OpenError(); err != nil {
				msg += ": " + err.Error()
			}
			if st := s.cfg.Rebuilder.Status(); st.Building {
				msg += " (rebuilding from the corpus)"
			}
		}
		return c.JSON(http.StatusServiceUnavailable, readiness{Status: "not ready", Error: msg})
	}
	m := ix.Manifest()
	return c.JSON(http.StatusOK, readiness{Status: "ready", Documents: m.Documents(), BuiltAt: m.BuiltAt})
}

func (s *Server) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml; charset=utf-8", api.OpenAPI)
}
