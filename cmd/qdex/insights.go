package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"qdex/insights"
	"qdex/web"
)

// cmdInsights prints the search insights report of a server's events database.
func cmdInsights(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("insights", "--index DIR [--since 7d] [--framework SLUG] [--json]", stderr)
	index := fs.String("index", "var/index", "index directory; the events database is insights.db beside it")
	path := fs.String("insights", "", "the events database (default: insights.db beside --index)")
	since := fs.String("since", "7d", "window: days (7d), hours (24h) or a date (2026-11-01)")
	framework := fs.String("framework", "", "one framework's searches only")
	asJSON := fs.Bool("json", false, "print the report as JSON, as GET /api/admin/insights does")
	if err := parse(fs, args); err != nil {
		return err
	}
	from, err := web.ParseSince(*since, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "qdex insights: --since %v\n", err)
		return errUsage
	}
	p := *path
	if p == "" {
		p = filepath.Join(filepath.Dir(filepath.Clean(*index)), "insights.db")
	}
	if _, err := os.Stat(p); err != nil {
		return fmt.Errorf("%s: no events database (qdex serve writes it): %w", p, err)
	}
	store, err := insights.OpenStore(p, nil)
	if err != nil {
		return err
	}
	rep, err := store.Report(from, *framework)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	printReport(stdout, rep)
	return nil
}

func printReport(w io.Writer, rep *insights.Report) {
	fmt.Fprintf(w, "since %s UTC: %d searches, %d clicks, %.1f%% found nothing; database %s, %d bytes\n",
		rep.Since.Format("2006-01-02 15:04"), rep.Searches, rep.Clicks, 100*rep.ZeroResultShare, rep.Store.Path, rep.Store.Bytes)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	section := func(title string) { fmt.Fprintf(tw, "\n%s\n", title) }
	section("searches per day")
	for _, d := range rep.PerDay {
		fmt.Fprintf(tw, "  %s\t%d\t(%d found nothing)\n", d.Date, d.Searches, d.ZeroResults)
	}
	section("found nothing\tsearches\tcorrection offered\ttaken")
	for _, z := range rep.ZeroResults {
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%d\n", z.Query, z.Searches, z.Suggestion, z.Taken)
	}
	queries := func(title string, l []insights.QueryStats) {
		section(title + "\tsearches\tclicks\tclicks/search\tmean position")
		for _, q := range l {
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%.2f\t%.1f\n", q.Query, q.Searches, q.Clicks, q.ClickRate, q.MeanPosition)
		}
	}
	queries("top queries", rep.Top)
	queries("searched often, rarely opened", rep.Unclicked)
	queries("opened far down the list", rep.FarDown)
	tw.Flush()
}
