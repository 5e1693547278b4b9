package web

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// widgetMaxAge is how long a host page's browser keeps /widget.js and /highlight.js
// before asking again (with the ETag, so an unchanged file costs a 304): the URLs in
// the host's script tags never change, so a release reaches them within the hour.
const widgetMaxAge = "public, max-age=3600"

// widgetScript is GET /widget.js and GET /highlight.js: the drop-in search modal
// (with its stylesheet inside, for a shadow root: the host's CSP needs no style-src
// for it) and the highlighter for the host's answer pages.
func (s *Server) widgetScript(name string) echo.HandlerFunc {
	return func(c echo.Context) error {
		body, err := s.widgetBody(name)
		if err != nil {
			return err
		}
		etag := `"` + hash(body) + `"`
		h := c.Response().Header()
		h.Set("Cache-Control", widgetMaxAge)
		h.Set("ETag", etag)
		if inm := c.Request().Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, etag) {
			return c.NoContent(http.StatusNotModified)
		}
		return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", body)
	}
}

// widgetBody is the script as served: widget.js gets widget.css as a string.
func (s *Server) widgetBody(name string) ([]byte, error) {
	js, err := fs.ReadFile(s.assets.fsys, "static/"+name)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if name != "widget.js" {
		return js, nil
	}
	css, err := fs.ReadFile(s.assets.fsys, "static/widget.css")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	quoted, err := json.Marshal(string(css))
	if err != nil {
		return nil, err
	}
	const slot = "/*QDEX_CSS*/''"
	if !strings.Contains(string(js), slot) {
		return nil, fmt.Errorf("web: widget.js has no %s", slot)
	}
	return []byte(strings.Replace(string(js), slot, string(quoted), 1)), nil
}
