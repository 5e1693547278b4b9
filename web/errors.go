package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"qdex/search"
)

// Errors handlers return; handleError maps them to statuses.
var (
	// errNotFound: no such page, question or article.
	errNotFound = echo.ErrNotFound
	// errNoIndex: the server has no index open (yet).
	errNoIndex = errors.New("the search index is not available")
	// errBusy: every search slot stayed taken until the request's search timeout.
	errBusy = errors.New("the server is busy; try again")
)

func notFound(echo.Context) error { return errNotFound }

// statusOf maps an error to an HTTP status and the message the client sees. Only 5xx
// messages are generic: the details go to the log.
func statusOf(err error) (int, string) {
	var he *echo.HTTPError
	switch {
	case errors.Is(err, search.ErrBadRequest):
		return http.StatusBadRequest, badRequestMessage(err)
	case errors.Is(err, errNoIndex):
		return http.StatusServiceUnavailable, errNoIndex.Error()
	case errors.Is(err, errBusy):
		return http.StatusServiceUnavailable, errBusy.Error()
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "the search took too long; try a more specific query"
	case errors.As(err, &he):
		switch he.Code {
		case http.StatusNotFound:
			return he.Code, "page not found"
		case http.StatusMethodNotAllowed:
			return he.Code, "method not allowed"
		}
		if he.Code < 500 {
			msg, _ := he.Message.(string)
			if msg == "" {
				msg = strings.ToLower(http.StatusText(he.Code))
			}
			return he.Code, msg
		}
		return he.Code, "internal server error"
	}
	return http.StatusInternalServerError, "internal server error"
}

// badRequestMessage is what the client reads for a bad request: the parameter and the
// problem, without the "bad request" prefix the status already says.
func badRequestMessage(err error) string {
	msg := err.Error()
	prefix := search.ErrBadRequest.Error() + ": "
	if i := strings.Index(msg, prefix); i >= 0 {
		msg = msg[i+len(prefix):]
	}
	return msg
}

// handleError writes the one response for an error: JSON under /api/ and for the
// health checks, an HTML page elsewhere. Only 5xx errors are logged, with the cause.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := statusOf(err)
	r := c.Request()
	if status >= 500 {
		// A client that went away needs no log line, and a missing index was logged
		// when it failed to open.
		gone := errors.Is(err, context.Canceled) && r.Context().Err() != nil
		if !gone && !errors.Is(err, errNoIndex) {
			s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
		}
	}
	if status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "10")
	}
	var werr error
	switch {
	case r.Method == http.MethodHead:
		werr = c.NoContent(status)
	case wantsJSON(r):
		werr = c.JSON(status, apiError{Error: msg})
	default:
		werr = s.renderError(c, status, msg)
	}
	if werr != nil {
		s.log.Error("writing error response", "path", r.URL.Path, "err", werr)
	}
}

// wantsJSON reports whether the request is for the API (or the health checks).
func wantsJSON(r *http.Request) bool {
	p := r.URL.Path
	return p == "/api" || strings.HasPrefix(p, "/api/") || p == "/healthz" || p == "/readyz"
}

// apiError is the body of every API error.
type apiError struct {
	Error string `json:"error"`
}

// hasDotSegment reports whether a path has a "." or ".." segment.
func hasDotSegment(p string) bool {
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return false
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
