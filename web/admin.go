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
	if err := s.checkAdmin(c); err != nil {
		return err
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

// checkAdmin accepts the admin token as a bearer token, or, for a person in a
// browser, as the password of HTTP basic authentication (any user name).
func (s *Server) checkAdmin(c echo.Context) error {
	if s.cfg.AdminToken == "" {
		return errNotFound
	}
	h := c.Request().Header.Get("Authorization")
	got, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		if _, pw, basic := c.Request().BasicAuth(); basic {
			got, ok = pw, true
		}
	}
	if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.cfg.AdminToken)) != 1 {
		c.Response().Header().Set("WWW-Authenticate", `Basic realm="qdex admin", charset="UTF-8"`)
		return echo.NewHTTPError(http.StatusUnauthorized, "a valid admin token is required (bearer token, or the password of basic authentication)")
	}
	return nil
}
