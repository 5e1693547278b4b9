package web

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	"qdex/metrics"
)

// DefaultRateLimit is the requests per second one client may make to the public
// endpoints, with twice as many at once: typing sends a search and a suggestion
// request per pause, ten or so a second at the most, so no person reaches it; a
// script does.
const DefaultRateLimit = 50

// corsMaxAge is how long a browser may cache a preflight answer.
const corsMaxAge = 24 * time.Hour

// publicReads wraps the handlers of the endpoints other sites may call from a
// browser (the search and the questions' JSON): CORS for the configured origins
// only, answering their preflight, and nothing for any other origin.
func (s *Server) publicReads() []echo.MiddlewareFunc {
	if len(s.cfg.CORSOrigins) == 0 {
		return nil
	}
	return []echo.MiddlewareFunc{middleware.CORSWithConfig(middleware.CORSConfig{
		AllowOrigins: s.cfg.CORSOrigins,
		AllowMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost},
		AllowHeaders: []string{echo.HeaderAccept, echo.HeaderContentType},
		MaxAge:       int(corsMaxAge.Seconds()),
	})}
}

// rateLimit limits each client to RateLimit requests a second on the routes it
// wraps (burst: twice that), answering 429 with Retry-After past it; 0 turns it off.
// The client is the connection's address, or, behind a trusted proxy, the address
// the proxy forwarded (see ipExtractor).
func (s *Server) rateLimit() echo.MiddlewareFunc {
	if s.cfg.RateLimit <= 0 {
		return func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	}
	retry := strconv.Itoa(int(math.Max(1, math.Ceil(1/s.cfg.RateLimit))))
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate:      rate.Limit(s.cfg.RateLimit),
		Burst:     int(math.Max(1, math.Ceil(2*s.cfg.RateLimit))),
		ExpiresIn: 3 * time.Minute,
	})
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store:               store,
		IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
		DenyHandler: func(c echo.Context, client string, _ error) error {
			metrics.ObserveRateLimited()
			c.Response().Header().Set("Retry-After", retry)
			return echo.NewHTTPError(http.StatusTooManyRequests, fmt.Sprintf("rate limit: more than %g requests a second from this address", s.cfg.RateLimit))
		},
		ErrorHandler: func(c echo.Context, err error) error {
			return echo.NewHTTPError(http.StatusForbidden, "rate limit: no client address")
		},
	})
}

// ipExtractor finds a request's client: the connection's address, unless it comes
// from one of the trusted proxies, whose X-Forwarded-For is read instead (the
// address just before the first trusted one, from the right).
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// ParseTrustedProxies reads --trusted-proxy values: addresses or CIDR ranges.
func ParseTrustedProxies(values []string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, v := range values {
		if ip := net.ParseIP(v); ip != nil {
			bits := 8 * len(ip.To16())
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(v)
		if err != nil {
			return nil, fmt.Errorf("--trusted-proxy %q: not an address or a CIDR range", v)
		}
		out = append(out, n)
	}
	return out, nil
}
