// Package eval measures relevance: it runs a set of judged queries through two
// engines (qdex and a baseline) and reports MRR@10, recall@10 and latency per kind
// of query. It knows nothing of how the engines rank, so search's own tests can read
// the judged set too.
package eval

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"gopkg.in/yaml.v3"
)

// Judged is one query of the judged set, with the documents that answer it.
type Judged struct {
	Kind     string   `yaml:"kind"`
	Query    string   `yaml:"query"`
	Relevant []string `yaml:"relevant"`
	File     string   `yaml:"-"`
	Line     int      `yaml:"-"`
}

// QueryKinds are the kinds of judged queries, in report order.
var QueryKinds = []string{"keyword", "natural", "typo", "identifier", "prefix"}

// LoadJudged reads every *.yml file in dir.
func LoadJudged(dir string) ([]Judged, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no judged query files (*.yml)", dir)
	}
	var all []Judged
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if len(doc.Content) == 0 {
			continue
		}
		for _, n := range doc.Content[0].Content {
			var j Judged
			if err := n.Decode(&j); err != nil {
				return nil, fmt.Errorf("%s:%d: %w", f, n.Line, err)
			}
			j.File, j.Line = f, n.Line
			if !slices.Contains(QueryKinds, j.Kind) {
				return nil, fmt.Errorf("%s:%d: kind %q is not one of %v", f, n.Line, j.Kind, QueryKinds)
			}
			if j.Query == "" || len(j.Relevant) == 0 {
				return nil, fmt.Errorf("%s:%d: a judged query needs query and relevant", f, n.Line)
			}
			all = append(all, j)
		}
	}
	return all, nil
}

// KindScore is the relevance and speed of one engine on one kind of query.
type KindScore struct {
	Kind     string
	Queries  int
	MRR      float64 // mean reciprocal rank of the first relevant hit in the top 10
	Recall   float64 // mean share of the relevant documents found in the top 10
	Median   time.Duration
	P99      time.Duration
	Failures []Failure // queries whose first relevant hit is not first
}

// Failure records a judged query that did not put a relevant document first.
type Failure struct {
	Judged Judged
	Rank   int // 0 when not in the top 10
	Top    []string
}

// Report compares qdex with the baseline, per kind and overall ("all").
type Report struct {
	Qdex, Baseline map[string]*KindScore
}

// Engine returns the IDs of the first n documents it ranks for q: the methods
// TopIDs (qdex) and BaselineIDs (plain BM25) of *search.Index are engines.
type Engine func(ctx context.Context, q string, n int) ([]string, error)

// cutoff is the rank the measures stop at (MRR@10, recall@10).
const cutoff = 10

// Evaluate runs every judged query through both engines.
func Evaluate(ctx context.Context, judged []Judged, qdex, baseline Engine) (*Report, error) {
	r := &Report{}
	var err error
	if r.Qdex, err = score(ctx, judged, qdex); err != nil {
		return nil, err
	}
	if r.Baseline, err = score(ctx, judged, baseline); err != nil {
		return nil, err
	}
	return r, nil
}

func score(ctx context.Context, judged []Judged, engine Engine) (map[string]*KindScore, error) {
	out := map[string]*KindScore{}
	lat := map[string][]time.Duration{}
	for _, j := range judged {
		start := time.Now()
		top, err := engine(ctx, j.Query, cutoff)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %q: %w", j.File, j.Line, j.Query, err)
		}
		d := time.Since(start)
		rank := 0
		found := 0
		for i, id := range top {
			if slices.Contains(j.Relevant, id) {
				if rank == 0 {
					rank = i + 1
				}
				found++
			}
		}
		rr := 0.0
		if rank > 0 {
			rr = 1 / float64(rank)
		}
		recall := float64(found) / float64(len(j.Relevant))
		for _, k := range []string{j.Kind, "all"} {
			s := out[k]
			if s == nil {
				s = &KindScore{Kind: k}
				out[k] = s
			}
			s.Queries++
			s.MRR += rr
			s.Recall += recall
			lat[k] = append(lat[k], d)
			if rank != 1 && k != "all" {
				s.Failures = append(s.Failures, Failure{Judged: j, Rank: rank, Top: top})
			}
		}
	}
	for k, s := range out {
		s.MRR /= float64(s.Queries)
		s.Recall /= float64(s.Queries)
		ds := lat[k]
		sort.Slice(ds, func(a, b int) bool { return ds[a] < ds[b] })
		s.Median = ds[len(ds)/2]
		s.P99 = ds[min(len(ds)-1, (len(ds)*99)/100)]
	}
	return out, nil
}

// Print writes the report as a table, and the failures when verbose.
func (r *Report) Print(w io.Writer, verbose bool) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "kind\tqueries\tMRR@10\trecall@10\tbaseline MRR@10\tbaseline recall@10\tmedian\tp99\t")
	for _, k := range append(slices.Clone(QueryKinds), "all") {
		q, b := r.Qdex[k], r.Baseline[k]
		if q == nil {
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%s\t\n", k, q.Queries, q.MRR, q.Recall, b.MRR, b.Recall,
			q.Median.Round(10*time.Microsecond), q.P99.Round(10*time.Microsecond))
	}
	tw.Flush()
	if !verbose {
		return
	}
	for _, k := range QueryKinds {
		q := r.Qdex[k]
		if q == nil {
			continue
		}
		for _, f := range q.Failures {
			fmt.Fprintf(w, "\n%s:%d [%s] %q: relevant at rank %d, want %s\n", filepath.Base(f.Judged.File), f.Judged.Line, k, f.Judged.Query, f.Rank, strings.Join(f.Judged.Relevant, ", "))
			for i, id := range f.Top[:min(3, len(f.Top))] {
				fmt.Fprintf(w, "    %d. %s\n", i+1, id)
			}
		}
	}
}
