// Package metrics holds qdex's Prometheus metrics: what operators watch (traffic,
// latency, errors, rebuilds) and what writers want (searches that find nothing).
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Registry holds every qdex metric plus the Go runtime and process collectors.
var Registry = prometheus.NewRegistry()

var (
	requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "qdex_http_requests_total",
		Help: "HTTP requests by route pattern, method and status code.",
	}, []string{"route", "method", "code"})
	requestSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "qdex_http_request_duration_seconds",
		Help:    "HTTP request latency by route pattern.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"route"})
	searches = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "qdex_searches_total",
		Help: "Searches by how many documents they found: zero, few (1-9) or many (10+).",
	}, []string{"results"})
	documents = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "qdex_index_documents",
		Help: "Documents in the index being served, by type.",
	}, []string{"type"})
	builds = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "qdex_index_builds_total",
		Help: "Index rebuilds by outcome: ok, partial (files with errors served at their last good version or left out) or failed (the last index kept serving).",
	}, []string{"outcome"})
	rateLimited = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "qdex_rate_limited_total",
		Help: "Requests answered 429 because their client passed the rate limit.",
	})
	eventsDropped = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "qdex_insights_events_dropped_total",
		Help: "Search and click events not stored: the queue was full or the database failed.",
	})
	buildSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name:    "qdex_index_build_duration_seconds",
		Help:    "Duration of index rebuilds that succeeded.",
		Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 10),
	})
)

func init() {
	Registry.MustRegister(requests, requestSeconds, searches, documents, builds, buildSeconds, rateLimited, eventsDropped,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
}

// Handler serves the metrics in the Prometheus text format.
func Handler() http.Handler {
	return promhttp.HandlerFor(Registry, promhttp.HandlerOpts{Registry: Registry})
}

// ObserveRequest records one HTTP request. route is the route pattern, never the raw
// path, so that the number of series stays bounded.
func ObserveRequest(route, method string, code int, d time.Duration) {
	requests.WithLabelValues(route, method, strconv.Itoa(code)).Inc()
	requestSeconds.WithLabelValues(route).Observe(d.Seconds())
}

// ObserveSearch records a search by its result count.
func ObserveSearch(total int) {
	switch {
	case total == 0:
		searches.WithLabelValues("zero").Inc()
	case total < 10:
		searches.WithLabelValues("few").Inc()
	default:
		searches.WithLabelValues("many").Inc()
	}
}

// SetDocuments records the documents of the index being served.
func SetDocuments(questions, articles int) {
	documents.WithLabelValues("question").Set(float64(questions))
	documents.WithLabelValues("article").Set(float64(articles))
}

// ObserveBuild records a rebuild's outcome and, when it succeeded, its duration.
func ObserveBuild(outcome string, d time.Duration) {
	builds.WithLabelValues(outcome).Inc()
	if outcome == "ok" {
		buildSeconds.Observe(d.Seconds())
	}
}

// ObserveRateLimited records a request refused by the rate limit.
func ObserveRateLimited() { rateLimited.Inc() }

// ObserveEventsDropped records insights events lost.
func ObserveEventsDropped(n int) { eventsDropped.Add(float64(n)) }
