package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"qdex/insights"
	"qdex/metrics"
	"qdex/search"
)

// Limits of a click event sent to POST /api/events.
const (
	maxEventBytes    = 2048
	maxEventDocBytes = 300
	maxEventPosition = 1000
)

// eventSources are the values of the src parameter and of an event's source.
var eventSources = map[string]bool{"page": true, "instant": true, "widget": true, "api": true}

// recordSearch records a search of the first page of results: paging through them
// is not another search. The reader's address is not recorded.
func (s *Server) recordSearch(c echo.Context, req search.Request, res *search.Result) {
	rec := s.cfg.Insights
	q := insights.Normalize(req.Query)
	if rec == nil || req.Page > 1 || q == "" {
		return
	}
	src := c.QueryParam("src")
	if !eventSources[src] {
		src = "api"
		if c.Path() == "/search" {
			src = "page"
		}
	}
	e := insights.Search{
		Time: time.Now().UTC(), Query: q, Results: res.Total, Suggestion: res.Suggestion,
		CorrectedFrom: insights.Normalize(truncate(c.QueryParam("corrected"), 512)),
		LatencyMS:     float64(res.Took.Microseconds()) / 1000, Source: src,
	}
	filters := map[string][]string{}
	for k, vs := range res.Parsed.Filters {
		filters[k] = append(filters[k], vs...)
	}
	for k, vs := range req.Filters {
		filters[k] = append(filters[k], vs...)
	}
	if len(filters) > 0 {
		e.Filters = filters
	}
	for _, h := range res.Hits {
		if h.Found == search.FoundSemantic {
			e.Semantic++
		} else {
			e.Lexical++
		}
	}
	rec.Search(e)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// clickEvent is the body of POST /api/events.
type clickEvent struct {
	Type     string `json:"type"`
	Query    string `json:"query"`
	Doc      string `json:"doc"`
	Position int    `json:"position"`
	Source   string `json:"source"`
}

// postEvent is POST /api/events: a reader opened a result. The body is JSON of any
// content type (a beacon sends text/plain, which needs no preflight).
func (s *Server) postEvent(c echo.Context) error {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, maxEventBytes+1))
	if err != nil {
		return badParam("body", "unreadable")
	}
	if len(body) > maxEventBytes {
		return badParam("body", fmt.Sprintf("over %d bytes", maxEventBytes))
	}
	var e clickEvent
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		var field *json.UnmarshalTypeError
		if errors.As(err, &field) {
			return badParam(field.Field, "wrong type")
		}
		return badParam("body", "not a JSON event: "+err.Error())
	}
	switch {
	case e.Type != "click":
		return badParam("type", `must be "click"`)
	case strings.TrimSpace(e.Query) == "" || len(e.Query) > search.MaxQueryBytes || !utf8.ValidString(e.Query):
		return badParam("query", fmt.Sprintf("must be 1 to %d bytes of UTF-8", search.MaxQueryBytes))
	case e.Doc == "" || len(e.Doc) > maxEventDocBytes || !utf8.ValidString(e.Doc):
		return badParam("doc", fmt.Sprintf("must be a document ID of 1 to %d bytes", maxEventDocBytes))
	case e.Position < 1 || e.Position > maxEventPosition:
		return badParam("position", fmt.Sprintf("must be between 1 and %d", maxEventPosition))
	case e.Source != "" && !eventSources[e.Source]:
		return badParam("source", "must be page, instant, widget or api")
	}
	if e.Source == "" {
		e.Source = "api"
	}
	if s.cfg.Insights != nil {
		s.cfg.Insights.Click(insights.Click{Time: time.Now().UTC(), Query: insights.Normalize(e.Query), Doc: e.Doc, Position: e.Position, Source: e.Source})
	} else {
		metrics.ObserveEventsDropped(1)
	}
	return c.NoContent(http.StatusNoContent)
}
