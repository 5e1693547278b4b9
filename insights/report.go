package insights

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ParseAge reads a span of time in days (7d, 90d) or as a Go duration (36h).
func ParseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if d, err := strconv.Atoi(n); err == nil && d > 0 && d <= 3650 {
			return time.Duration(d) * 24 * time.Hour, nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("%q: want a number of days (7d) or hours (24h)", s)
}

// Report is what readers searched for in a window of time.
type Report struct {
	Since     time.Time `json:"since"`
	Until     time.Time `json:"until"`
	Framework string    `json:"framework,omitempty"` // "" for all
	Searches  int       `json:"searches"`
	Clicks    int       `json:"clicks"`
	// ZeroResultShare is the share of searches that found nothing.
	ZeroResultShare float64 `json:"zero_result_share"`
	PerDay          []Day   `json:"per_day"`
	// ClickPositions counts clicks by the position of the hit: 1 to 10, then 11 for
	// anything further down.
	ClickPositions []int        `json:"click_positions"`
	Top            []QueryStats `json:"top"`
	ZeroResults    []ZeroResult `json:"zero_results"`
	// Unclicked are queries searched often whose results are rarely opened.
	Unclicked []QueryStats `json:"unclicked"`
	// FarDown are queries whose clicks land on average below the fifth hit.
	FarDown []QueryStats `json:"far_down"`
	Store   StoreStats   `json:"store"`
}

// Day is the searches of one UTC day.
type Day struct {
	Date        string `json:"date"` // YYYY-MM-DD
	Searches    int    `json:"searches"`
	ZeroResults int    `json:"zero_results"`
}

// QueryStats is one query over the window.
type QueryStats struct {
	Query        string  `json:"query"`
	Searches     int     `json:"searches"`
	ZeroResults  int     `json:"zero_results"`
	Clicks       int     `json:"clicks"`
	ClickRate    float64 `json:"click_rate"`    // clicks per search
	MeanPosition float64 `json:"mean_position"` // of the clicks, 0 without any
}

// ZeroResult is a query that found nothing, with the correction offered and how
// often readers took it.
type ZeroResult struct {
	Query      string `json:"query"`
	Searches   int    `json:"searches"`
	Suggestion string `json:"suggestion,omitempty"`
	Taken      int    `json:"taken"`
}

// StoreStats describe the database.
type StoreStats struct {
	Path          string `json:"path"`
	Bytes         int64  `json:"bytes"`
	Written       int64  `json:"written"` // events stored since the server started
	Dropped       int64  `json:"dropped"` // events lost since the server started
	RetentionDays int    `json:"retention_days"`
}

// Limits of a report's lists.
const (
	listSize = 50
	// minSearches is how often a query must be searched to count as rarely clicked
	// or clicked far down: below it a rate says nothing.
	minSearches = 3
	// rareClickRate is the click rate under which a query's results are "rarely
	// opened".
	rareClickRate = 0.2
	// farDown is the mean click position past which answers are "far down".
	farDown = 5.0
)

// Report reads the events since since (of one framework, or all with "") and
// reports on them.
func (s *Store) Report(since time.Time, framework string) (*Report, error) {
	rep := &Report{Since: since.UTC(), Until: time.Now().UTC(), Framework: framework, ClickPositions: make([]int, 11)}
	stats := map[string]*QueryStats{}
	zero := map[string]*ZeroResult{}
	days := map[string]*Day{}
	taken := map[string]int{}
	positions := map[string][]int{}
	var first time.Time // the oldest search read
	inFramework := func(f map[string][]string) bool {
		if framework == "" {
			return true
		}
		for _, v := range f["framework"] {
			if v == framework {
				return true
			}
		}
		return false
	}
	err := s.scan(since, func(e Search) {
		if !inFramework(e.Filters) || e.Query == "" {
			return
		}
		rep.Searches++
		if first.IsZero() || e.Time.Before(first) {
			first = e.Time
		}
		d := e.Time.UTC().Format(time.DateOnly)
		if days[d] == nil {
			days[d] = &Day{Date: d}
		}
		days[d].Searches++
		q := stats[e.Query]
		if q == nil {
			q = &QueryStats{Query: e.Query}
			stats[e.Query] = q
		}
		q.Searches++
		if e.Results == 0 {
			q.ZeroResults++
			days[d].ZeroResults++
			z := zero[e.Query]
			if z == nil {
				z = &ZeroResult{Query: e.Query}
				zero[e.Query] = z
			}
			z.Searches++
			if e.Suggestion != "" {
				z.Suggestion = e.Suggestion
			}
		}
		if e.CorrectedFrom != "" {
			taken[e.CorrectedFrom]++
		}
	}, func(e Click) {
		q := stats[e.Query]
		if q == nil {
			return // a click on a search outside the window or the framework
		}
		rep.Clicks++
		q.Clicks++
		positions[e.Query] = append(positions[e.Query], e.Position)
		rep.ClickPositions[min(max(e.Position, 1), 11)-1]++
	})
	if err != nil {
		return nil, err
	}
	var all []QueryStats
	for _, q := range stats {
		if q.Searches > 0 {
			q.ClickRate = float64(q.Clicks) / float64(q.Searches)
		}
		if ps := positions[q.Query]; len(ps) > 0 {
			sum := 0
			for _, p := range ps {
				sum += p
			}
			q.MeanPosition = float64(sum) / float64(len(ps))
		}
		all = append(all, *q)
	}
	byCount := func(l []QueryStats) {
		sort.Slice(l, func(i, j int) bool {
			if l[i].Searches != l[j].Searches {
				return l[i].Searches > l[j].Searches
			}
			return l[i].Query < l[j].Query
		})
	}
	byCount(all)
	rep.Top = all[:min(len(all), listSize)]
	for _, q := range all {
		if q.Searches < minSearches || q.ZeroResults == q.Searches {
			continue
		}
		if q.ClickRate < rareClickRate && len(rep.Unclicked) < listSize {
			rep.Unclicked = append(rep.Unclicked, q)
		}
		if q.MeanPosition > farDown && len(rep.FarDown) < listSize {
			rep.FarDown = append(rep.FarDown, q)
		}
	}
	for _, z := range zero {
		z.Taken = taken[z.Query]
		rep.ZeroResults = append(rep.ZeroResults, *z)
	}
	sort.Slice(rep.ZeroResults, func(i, j int) bool {
		a, b := rep.ZeroResults[i], rep.ZeroResults[j]
		if a.Searches != b.Searches {
			return a.Searches > b.Searches
		}
		return a.Query < b.Query
	})
	rep.ZeroResults = rep.ZeroResults[:min(len(rep.ZeroResults), listSize)]
	start := rep.Since
	if since.IsZero() {
		start = first.UTC() // "since forever" starts at the oldest event
	}
	for d := start.Truncate(24 * time.Hour); !first.IsZero() && !d.After(rep.Until); d = d.Add(24 * time.Hour) {
		key := d.Format(time.DateOnly)
		if day := days[key]; day != nil {
			rep.PerDay = append(rep.PerDay, *day)
		} else {
			rep.PerDay = append(rep.PerDay, Day{Date: key})
		}
	}
	if rep.Searches > 0 {
		zeros := 0
		for _, d := range rep.PerDay {
			zeros += d.ZeroResults
		}
		rep.ZeroResultShare = float64(zeros) / float64(rep.Searches)
	}
	rep.Store = StoreStats{Path: s.path, Bytes: s.Size()}
	return rep, nil
}

// Popular is a query readers searched for that found something, and how often.
type Popular struct {
	Query    string
	Searches int
	Results  int // of its latest search
}

// PopularQueries returns the queries searched since since whose latest search found
// something, most searched first, at most n. A query that found nothing is left
// out: it must never be suggested.
func (s *Store) PopularQueries(since time.Time, n int) ([]Popular, error) {
	byQuery := map[string]*Popular{}
	err := s.scan(since, func(e Search) {
		if e.Query == "" {
			return
		}
		p := byQuery[e.Query]
		if p == nil {
			p = &Popular{Query: e.Query}
			byQuery[e.Query] = p
		}
		p.Searches++
		p.Results = e.Results // events are read oldest first
	}, func(Click) {})
	if err != nil {
		return nil, err
	}
	var out []Popular
	for _, p := range byQuery {
		if p.Results > 0 {
			out = append(out, *p)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Searches != out[j].Searches {
			return out[i].Searches > out[j].Searches
		}
		return out[i].Query < out[j].Query
	})
	return out[:min(len(out), n)], nil
}
