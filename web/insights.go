package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"qdex/insights"
)

// ParseSince reads a report window: a span back from now (7d, 36h) or a date
// (2026-11-01, UTC).
func ParseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		s = "7d"
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	d, err := insights.ParseAge(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%w, or a date (2026-11-01)", err)
	}
	return now.Add(-d), nil
}

// report is the insights report the admin asked for.
func (s *Server) report(c echo.Context) (*insights.Report, error) {
	if err := s.checkAdmin(c); err != nil {
		return nil, err
	}
	rec := s.cfg.Insights
	if rec == nil || rec.Store() == nil {
		return nil, echo.NewHTTPError(http.StatusNotFound, "insights are off: the server records no events (see qdex serve --insights)")
	}
	since, err := ParseSince(c.QueryParam("since"), time.Now())
	if err != nil {
		return nil, badParam("since", err.Error())
	}
	rep, err := rec.Store().Report(since, strings.ToLower(strings.TrimSpace(c.QueryParam("framework"))))
	if err != nil {
		return nil, fmt.Errorf("insights: %w", err)
	}
	rep.Store.Written, rep.Store.Dropped = rec.Written(), rec.Dropped()
	rep.Store.RetentionDays = int(rec.Retention() / (24 * time.Hour))
	return rep, nil
}

// apiInsights is GET /api/admin/insights: the report as JSON.
func (s *Server) apiInsights(c echo.Context) error {
	rep, err := s.report(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}

// insightsView is the admin page: the report, its charts drawn as SVG on the
// server, and the top queries in the order asked for.
type insightsView struct {
	page
	Report    *insights.Report
	Since     string
	PerDay    chart
	Positions chart
	Sort      string
	Sorts     []sortLink
}

type sortLink struct {
	Label, URL string
	Current    bool
}

// chart is a bar chart's geometry, in SVG user units.
type chart struct {
	Width, Height int
	Bars          []bar
	Max           int
}

type bar struct {
	X, Y, W, H int
	Label      string
	Value      int
}

// barChart lays out values as bars in a width × height box, leaving room below for
// the labels.
func barChart(labels []string, values []int, width, height int) chart {
	ch := chart{Width: width, Height: height}
	for _, v := range values {
		ch.Max = max(ch.Max, v)
	}
	if len(values) == 0 {
		return ch
	}
	plot := height - 20
	w := width / len(values)
	for i, v := range values {
		h := 0
		if ch.Max > 0 {
			h = v * plot / ch.Max
		}
		ch.Bars = append(ch.Bars, bar{X: i*w + 1, Y: plot - h, W: max(1, w-2), H: h, Label: labels[i], Value: v})
	}
	return ch
}

// insightsPage is GET /admin/insights.
func (s *Server) insightsPage(c echo.Context) error {
	rep, err := s.report(c)
	if err != nil {
		return err
	}
	v := insightsView{page: page{Title: "Search insights"}, Report: rep, Since: c.QueryParam("since")}
	if v.Since == "" {
		v.Since = "7d"
	}
	var labels []string
	var values []int
	for _, d := range rep.PerDay {
		labels = append(labels, d.Date[5:])
		values = append(values, d.Searches)
	}
	v.PerDay = barChart(labels, values, 720, 180)
	labels = labels[:0]
	for i := range rep.ClickPositions {
		l := strconv.Itoa(i + 1)
		if i == len(rep.ClickPositions)-1 {
			l = "11+"
		}
		labels = append(labels, l)
	}
	v.Positions = barChart(labels, rep.ClickPositions, 440, 160)
	v.Sort = c.QueryParam("sort")
	sorts := map[string]func(a, b insights.QueryStats) bool{
		"searches": func(a, b insights.QueryStats) bool { return a.Searches > b.Searches },
		"clicks":   func(a, b insights.QueryStats) bool { return a.Clicks > b.Clicks },
		"rate":     func(a, b insights.QueryStats) bool { return a.ClickRate < b.ClickRate },
		"zero":     func(a, b insights.QueryStats) bool { return a.ZeroResults > b.ZeroResults },
	}
	if _, ok := sorts[v.Sort]; !ok {
		v.Sort = "searches"
	}
	less := sorts[v.Sort]
	sort.SliceStable(rep.Top, func(i, j int) bool { return less(rep.Top[i], rep.Top[j]) })
	for _, k := range []string{"searches", "clicks", "rate", "zero"} {
		q := url.Values{"since": {v.Since}, "sort": {k}}
		if rep.Framework != "" {
			q.Set("framework", rep.Framework)
		}
		v.Sorts = append(v.Sorts, sortLink{Label: k, URL: "/admin/insights?" + q.Encode(), Current: k == v.Sort})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "insights.html", v)
}
