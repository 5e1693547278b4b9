package web

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"qdex/metrics"
	"qdex/reindex"
)

// status is GET /api/status: the manifest of the index being served, and, when the
// server rebuilds from a corpus, the last build with its errors.
func (s *Server) status(c echo.Context) error {
	var st reindex.Status
	if s.cfg.Rebuilder != nil {
		st = s.cfg.Rebuilder.Status()
	} else {
		st.Serving, st.Semantic = reindex.Serving(s.cfg.Holder)
	}
	return c.JSON(http.StatusOK, st)
}

// reindexNow is POST /api/admin/reindex: the same rebuild as a watched change. It
// exists only when an admin token is configured, and wants it as a bearer token.
func (s *Server) reindexNow(c echo.Context) error {
	if s.cfg.AdminToken == "" {
		return errNotFound
	}
	got, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.AdminToken)) != 1 {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="qdex admin"`)
		return echo.NewHTTPError(http.StatusUnauthorized, "a valid admin bearer token is required")
	}
	if s.cfg.Rebuilder == nil {
		return echo.NewHTTPError(http.StatusConflict, "the server has no corpus to rebuild from (start it with --data)")
	}
	// The rebuild outlives a client that hangs up: it would swap in a good index anyway.
	b := s.cfg.Rebuilder.Rebuild(context.WithoutCancel(c.Request().Context()), "admin")
	if !b.OK {
		return c.JSON(http.StatusUnprocessableEntity, b)
	}
	return c.JSON(http.StatusOK, b)
}

// corpusErrors lists the problems that keep the latest corpus from being served,
// for the notice on every page.
func (s *Server) corpusErrors() []string {
	if s.cfg.Rebuilder == nil {
		return nil
	}
	return s.cfg.Rebuilder.Errors()
}

// metricsHandler is GET /metrics.
func metricsHandler() echo.HandlerFunc { return echo.WrapHandler(metrics.Handler()) }
