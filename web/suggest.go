package web

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"qdex/corpus"
	"qdex/search"
	"qdex/suggest"
)

// suggestRefresh is how often the suggester takes in the latest popular queries.
const suggestRefresh = time.Minute

// Popular queries are offered once searched this often in the last suggestWindow.
const (
	suggestMinSearches = 2
	suggestWindow      = 30 * 24 * time.Hour
	suggestMaxQueries  = 5000
)

// suggesters keeps the suggester of the index being served, rebuilt when another
// index is swapped in or, in the background, every suggestRefresh.
type suggesters struct {
	mu      sync.Mutex
	ix      *search.Index
	built   time.Time
	current *suggest.Suggester
	busy    bool
}

// suggester returns the suggester for ix, building it on first use.
func (s *Server) suggester(ix *search.Index) *suggest.Suggester {
	st := &s.suggest
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.ix != ix || st.current == nil {
		st.current, st.ix, st.built = s.buildSuggester(ix), ix, time.Now()
		return st.current
	}
	if time.Since(st.built) > suggestRefresh && !st.busy {
		st.busy = true
		go func() {
			next := s.buildSuggester(ix)
			st.mu.Lock()
			if st.ix == ix {
				st.current, st.built = next, time.Now()
			}
			st.busy = false
			st.mu.Unlock()
		}()
	}
	return st.current
}

// invalidate makes the next request build the suggester again (a block changed).
func (st *suggesters) invalidate() {
	st.mu.Lock()
	st.current = nil
	st.mu.Unlock()
}

func (s *Server) buildSuggester(ix *search.Index) *suggest.Suggester {
	cat := ix.Catalog()
	var titles []suggest.Title
	for _, sub := range cat.Subtopics {
		for _, q := range sub.Questions {
			id := corpus.QuestionDocID(sub, q)
			titles = append(titles, suggest.Title{Text: q.Q, ID: id, URL: "/" + id})
		}
	}
	for _, a := range cat.Articles {
		id := corpus.ArticleDocID(a)
		titles = append(titles, suggest.Title{Text: a.Title, ID: id, URL: "/" + id})
	}
	var queries []suggest.Query
	var blocked []string
	if rec := s.cfg.Insights; rec != nil && rec.Store() != nil {
		pop, err := rec.Store().PopularQueries(time.Now().Add(-suggestWindow), suggestMaxQueries)
		if err != nil {
			s.log.Error("suggestions: reading popular queries", "error", err)
		}
		for _, p := range pop {
			if p.Searches >= suggestMinSearches {
				queries = append(queries, suggest.Query{Text: p.Query, Searches: p.Searches, Results: p.Results})
			}
		}
		if blocked, err = rec.Store().Blocked(); err != nil {
			s.log.Error("suggestions: reading the blocked ones", "error", err)
		}
	}
	return suggest.New(titles, queries, blocked)
}

type apiSuggestion struct {
	Text string `json:"text"`
	// HTML is the text escaped, with the words the input matched in <mark>.
	HTML string `json:"html"`
	Kind string `json:"kind"`          // query or question
	URL  string `json:"url,omitempty"` // a question's page
}

// apiSuggest is GET /api/suggest?q=&size=: completions of what the reader is
// typing, from popular past queries that found something and from the questions.
func (s *Server) apiSuggest(c echo.Context, ix *search.Index) error {
	q := c.QueryParam("q")
	if len(q) > search.MaxQueryBytes {
		return badParam("q", "over 512 bytes")
	}
	size := 8
	if v := c.QueryParam("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 20 {
			return badParam("size", "must be between 1 and 20")
		}
		size = n
	}
	out := []apiSuggestion{}
	for _, sg := range s.suggester(ix).Complete(q, size) {
		out = append(out, apiSuggestion{Text: sg.Text, HTML: markSpans(sg.Text, sg.Marks), Kind: string(sg.Kind), URL: sg.URL})
	}
	return c.JSON(http.StatusOK, map[string]any{"query": q, "suggestions": out})
}

// markSpans escapes text and wraps the spans in <mark>.
func markSpans(text string, spans []suggest.Span) string {
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		if sp.Start < at || sp.End > len(text) || sp.Start >= sp.End {
			continue
		}
		b.WriteString(html.EscapeString(text[at:sp.Start]))
		b.WriteString("<mark>" + html.EscapeString(text[sp.Start:sp.End]) + "</mark>")
		at = sp.End
	}
	b.WriteString(html.EscapeString(text[at:]))
	return b.String()
}

// blockedSuggestions is GET, POST and DELETE /api/admin/suggestions/blocked: the
// suggestions the admin keeps out, listed, added ({"text": …}) or removed (?text=).
func (s *Server) blockedSuggestions(c echo.Context) error {
	if err := s.checkAdmin(c); err != nil {
		return err
	}
	rec := s.cfg.Insights
	if rec == nil || rec.Store() == nil {
		return echo.NewHTTPError(http.StatusNotFound, "insights are off: there is nowhere to keep blocked suggestions")
	}
	store := rec.Store()
	switch c.Request().Method {
	case http.MethodPost:
		var body struct{ Text string }
		raw, _ := io.ReadAll(io.LimitReader(c.Request().Body, 4096))
		if err := json.Unmarshal(raw, &body); err != nil || strings.TrimSpace(body.Text) == "" || len(body.Text) > search.MaxQueryBytes {
			return badParam("text", "want {\"text\": \"the suggestion\"}, up to 512 bytes")
		}
		if err := store.Block(body.Text); err != nil {
			return err
		}
		s.suggest.invalidate()
		return c.NoContent(http.StatusNoContent)
	case http.MethodDelete:
		t := c.QueryParam("text")
		if strings.TrimSpace(t) == "" {
			return badParam("text", "the suggestion to unblock")
		}
		if err := store.Unblock(t); err != nil {
			return err
		}
		s.suggest.invalidate()
		return c.NoContent(http.StatusNoContent)
	}
	list, err := store.Blocked()
	if err != nil {
		return err
	}
	if list == nil {
		list = []string{}
	}
	return c.JSON(http.StatusOK, map[string]any{"blocked": list})
}
