// Package web serves qdex over HTTP: the JSON search API, the search pages, the
// browse pages and the answer pages, rendered from the index alone. It is the only
// package that knows about echo.
package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"qdex/insights"
	"qdex/metrics"
	"qdex/reindex"
	"qdex/search"
)

// Config is what New needs.
type Config struct {
	// Holder holds the index to serve; it may hold none yet (pages answer 503).
	Holder *search.Holder
	// Logger receives request logs and 5xx errors; nil discards them.
	Logger *slog.Logger
	// Dev reads templates and static files from DevDir on each request, so an edit
	// shows without a rebuild.
	Dev    bool
	DevDir string // the web/ directory of the source tree; default "web"
	// SearchTimeout bounds one search or page lookup; default 5s.
	SearchTimeout time.Duration
	// Rebuilder rebuilds the index from the corpus (POST /api/admin/reindex) and
	// reports builds (GET /api/status, the corpus-error notice); nil without a corpus.
	Rebuilder *reindex.Rebuilder
	// MaxSearches bounds the searches running at once (default 2 × GOMAXPROCS);
	// requests beyond it wait, up to SearchTimeout.
	MaxSearches int
	// AdminToken is the bearer token of the admin endpoints; "" turns them off (404).
	AdminToken string
	// CORSOrigins are the origins (https://example.com) whose pages may call the
	// public read endpoints from a browser; none by default.
	CORSOrigins []string
	// RateLimit is the requests per second one client may make to the public
	// endpoints (DefaultRateLimit in qdex serve); 0 turns the limit off.
	RateLimit float64
	// TrustedProxies are the proxies whose X-Forwarded-For names the client.
	TrustedProxies []*net.IPNet
	// Insights records searches and clicks (nil: nothing is recorded, and the
	// insights report is 404).
	Insights *insights.Recorder
}

// Timeouts of the HTTP server.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 120 * time.Second
	// maxPathBytes bounds the URL path: longer ones are 404 without routing.
	maxPathBytes = 1024
)

// ShutdownTimeout is how long Serve lets requests in flight finish once its context
// is cancelled.
const ShutdownTimeout = 15 * time.Second

// Server is the qdex web server. It is an http.Handler.
type Server struct {
	cfg    Config
	log    *slog.Logger
	e      *echo.Echo
	md     *markdown
	assets *assets
	slots  chan struct{} // one token per search running

	suggest suggesters
}

// New builds the server: it parses every template and prepares every asset, and fails
// if one is broken.
func New(cfg Config) (*Server, error) {
	if cfg.Holder == nil {
		return nil, errors.New("web: no index holder")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.DevDir == "" {
		cfg.DevDir = "web"
	}
	if cfg.SearchTimeout <= 0 {
		cfg.SearchTimeout = 5 * time.Second
	}
	if cfg.MaxSearches <= 0 {
		cfg.MaxSearches = 2 * runtime.GOMAXPROCS(0)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, md: newMarkdown(), slots: make(chan struct{}, cfg.MaxSearches)}
	as, err := loadAssets(cfg.Dev, cfg.DevDir, s.corpusErrors)
	if err != nil {
		return nil, err
	}
	s.assets = as

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = ipExtractor(cfg.TrustedProxies)
	e.Pre(s.securityHeaders, s.checkPath)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		s.log.Error("panic", "path", c.Request().URL.Path, "err", err, "stack", string(stack))
		return err
	}}))
	e.Use(s.logRequests)
	s.e = e
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	e := s.e
	// get routes GET and HEAD (net/http drops the body of a HEAD response).
	get := func(path string, h echo.HandlerFunc) { e.Match([]string{http.MethodGet, http.MethodHead}, path, h) }
	get("/healthz", s.healthz)
	get("/readyz", s.readyz)

	limit := s.rateLimit()
	// The endpoints other sites call from their pages: CORS for the configured
	// origins (with their preflight), and the rate limit.
	public := func(path string, h echo.HandlerFunc) {
		methods := []string{http.MethodGet, http.MethodHead}
		if len(s.cfg.CORSOrigins) > 0 {
			methods = append(methods, http.MethodOptions) // the preflight
		}
		e.Match(methods, path, h, append(s.publicReads(), limit)...)
	}
	public("/api/search", s.withIndex(s.apiSearch))
	public("/api/questions/:framework/:topic/:subtopic", s.withIndex(s.apiQuestions))
	public("/api/suggest", s.withIndex(s.apiSuggest))
	e.Match([]string{http.MethodGet, http.MethodPost, http.MethodDelete}, "/api/admin/suggestions/blocked", s.blockedSuggestions)
	// Click beacons, from qdex's pages and from the widget on other sites.
	e.Match([]string{http.MethodPost, http.MethodOptions}, "/api/events", s.postEvent, append(s.publicReads(), limit)...)
	get("/api/admin/insights", s.apiInsights)
	get("/admin/insights", s.insightsPage)
	get("/api/openapi.yaml", s.openAPI)
	get("/api/status", s.status)
	e.POST("/api/admin/reindex", s.reindexNow)
	e.Any("/api/*", notFound)
	get("/metrics", metricsHandler())

	get("/static/*", s.static)
	get("/widget.js", s.widgetScript("widget.js"))
	get("/highlight.js", s.widgetScript("highlight.js"))
	get("/favicon.ico", s.favicon)
	get("/robots.txt", robots)

	page := func(path string, h echo.HandlerFunc) {
		e.Match([]string{http.MethodGet, http.MethodHead}, path, h, limit)
	}
	page("/", s.withIndex(s.home))
	page("/search", s.withIndex(s.searchPage))
	page("/blog/:slug", s.withIndex(s.articlePage))
	page("/:framework", s.withIndex(s.frameworkPage))
	page("/:framework/:topic", s.withIndex(s.topicPage))
	page("/:framework/:topic/:subtopic", s.withIndex(s.subtopicPage))
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.e.ServeHTTP(w, r) }

// Serve accepts connections on ln until ctx is cancelled, then shuts down gracefully:
// it stops accepting and lets requests in flight finish (up to a timeout).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := s.e.Server
	srv.ReadHeaderTimeout = readHeaderTimeout
	srv.ReadTimeout = readTimeout
	srv.WriteTimeout = writeTimeout
	srv.IdleTimeout = idleTimeout
	srv.ErrorLog = slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)
	s.e.Listener = ln

	errc := make(chan error, 1)
	go func() { errc <- s.e.StartServer(srv) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "timeout", ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	if err := s.e.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// contentSecurityPolicy allows only the site's own scripts, styles and images: no
// inline script, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; base-uri 'self'; form-action 'self'"

// securityHeaders sets the headers every response carries, errors included.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		return next(c)
	}
}

// checkPath answers 404 to paths no route could serve sensibly: very long ones,
// ones with dot segments, encoded slashes or backslashes. Routing never touches the
// file system, but these are refused before it starts.
func (s *Server) checkPath(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		p, raw := r.URL.Path, r.URL.RawPath
		if len(p) > maxPathBytes || len(raw) > maxPathBytes*3 || hasDotSegment(p) || containsAny(raw, "%2f", "%2F", "%5c", "%5C") || containsAny(p, "\\", "\x00") {
			return echo.ErrNotFound
		}
		return next(c)
	}
}

// logRequests logs each request with its status and duration.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // write the error response now, so its status is logged
		}
		r := c.Request()
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		metrics.ObserveRequest(route, r.Method, c.Response().Status, time.Since(start))
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", c.Response().Status,
			"bytes", c.Response().Size, "ms", float64(time.Since(start).Microseconds())/1000)
		return nil
	}
}
