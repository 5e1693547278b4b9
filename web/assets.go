package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// embedded holds the templates and the static files.
//
//go:embed templates/*.html static/*
var embedded embed.FS

// pageTemplates are the pages; each is parsed with layout.html and partials.html.
var pageTemplates = []string{"home.html", "search.html", "framework.html", "topic.html", "subtopic.html", "article.html", "error.html", "insights.html"}

// generatedCSS is the name of the chroma stylesheet, made at start-up.
const generatedCSS = "chroma.css"

// assets are the parsed templates and the static files with their versions.
type assets struct {
	dev    bool
	fsys   fs.FS // templates/ and static/
	chroma []byte
	// corpusErrors feeds the notice shown on every page while the corpus is broken.
	corpusErrors func() []string

	mu      sync.Mutex
	pages   map[string]*template.Template
	version map[string]string // static file name → short content hash
}

// loadAssets parses every template and hashes every static file; in dev mode they
// come from dir on disk and are read again on each request.
func loadAssets(dev bool, dir string, corpusErrors func() []string) (*assets, error) {
	a := &assets{dev: dev, fsys: embedded, corpusErrors: corpusErrors}
	if dev {
		if _, err := os.Stat(filepath.Join(dir, "templates")); err != nil {
			return nil, fmt.Errorf("web: dev mode: %w", err)
		}
		a.fsys = os.DirFS(dir)
	}
	css, err := chromaCSS()
	if err != nil {
		return nil, fmt.Errorf("web: chroma stylesheet: %w", err)
	}
	a.chroma = css
	if err := a.load(); err != nil {
		return nil, err
	}
	return a, nil
}

func (a *assets) load() error {
	version := map[string]string{generatedCSS: hash(a.chroma)}
	files, err := fs.ReadDir(a.fsys, "static")
	if err != nil {
		return fmt.Errorf("web: static: %w", err)
	}
	for _, f := range files {
		data, err := fs.ReadFile(a.fsys, "static/"+f.Name())
		if err != nil {
			return fmt.Errorf("web: %w", err)
		}
		version[f.Name()] = hash(data)
	}
	pages := map[string]*template.Template{}
	for _, name := range pageTemplates {
		t := template.New(name).Funcs(templateFuncs(version, a.corpusErrors))
		t, err := t.ParseFS(a.fsys, "templates/layout.html", "templates/partials.html", "templates/"+name)
		if err != nil {
			return fmt.Errorf("web: template %s: %w", name, err)
		}
		if t.Lookup("layout") == nil || t.Lookup("content") == nil {
			return fmt.Errorf("web: template %s: needs a layout and a content block", name)
		}
		pages[name] = t
	}
	a.mu.Lock()
	a.pages, a.version = pages, version
	a.mu.Unlock()
	return nil
}

func hash(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:5])
}

// page returns a parsed page template (parsed again from disk in dev mode).
func (a *assets) page(name string) (*template.Template, error) {
	if a.dev {
		if err := a.load(); err != nil {
			return nil, err
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	t, ok := a.pages[name]
	if !ok {
		return nil, fmt.Errorf("web: no template %s", name)
	}
	return t, nil
}

// render executes a page into a buffer first, so a template error becomes a 500
// page and never half a page.
func (s *Server) render(c echo.Context, status int, name string, data any) error {
	t, err := s.assets.page(name)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	return c.HTMLBlob(status, b.Bytes())
}

// static serves the embedded static files. A request carrying the file's current
// version (?v=…, as the templates link them) may be cached for good.
func (s *Server) static(c echo.Context) error {
	name := c.Param("*")
	if !fs.ValidPath(name) || strings.Contains(name, "/") {
		return errNotFound
	}
	var data []byte
	if name == generatedCSS {
		data = s.assets.chroma
	} else {
		var err error
		if data, err = fs.ReadFile(s.assets.fsys, "static/"+name); err != nil {
			return errNotFound
		}
	}
	h := c.Response().Header()
	s.assets.mu.Lock()
	v := s.assets.version[name]
	s.assets.mu.Unlock()
	if !s.assets.dev && v != "" && c.QueryParam("v") == v {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	return c.Blob(http.StatusOK, ctype, data)
}

func (s *Server) favicon(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, staticURL(s.assets.versionOf("favicon.svg"), "favicon.svg"))
}

func robots(c echo.Context) error {
	return c.String(http.StatusOK, "User-agent: *\nDisallow: /api/\nDisallow: /search\n")
}

func (a *assets) versionOf(name string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.version[name]
}

func staticURL(version, name string) string {
	u := "/static/" + name
	if version != "" {
		u += "?v=" + version
	}
	return u
}
