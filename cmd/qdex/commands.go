package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"qdex/api"
	"qdex/corpus"
	"qdex/embed"
	"qdex/eval"
	"qdex/indexer"
	"qdex/search"
)

var (
	// errUsage means the flags were wrong; the flag package has said why.
	errUsage = errors.New("usage")
	// errHelp means -h printed the usage: not a failure.
	errHelp = errors.New("help")
	// errReported means the command has printed its errors already.
	errReported = errors.New("reported")
	// errPartial means the index was built without the files that have errors (or
	// with their last good version): exit status 3.
	errPartial = errors.New("partial")
)

func newFlags(name, args string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: qdex %s %s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return errUsage
	}
	return nil
}

// parseInterspersed parses flags that may come before, between or after positional
// arguments (`qdex search goroutine leak --size 3`) and returns the positional ones.
// An argument that looks like a flag qdex does not define (`-java`, `--force`) is
// positional, as is everything after "--".
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		switch {
		case !strings.HasPrefix(a, "-") || a == "-":
			pos = append(pos, a)
		case name == "h" || name == "help":
			flags = append(flags, a)
		case f == nil:
			pos = append(pos, a)
		default:
			flags = append(flags, a)
			if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
				continue
			}
			if !hasValue && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	return pos, parse(fs, flags)
}

// loadCorpus reads a corpus and prints every problem in it to w. The corpus is nil
// only when it cannot be read at all; errs counts the files it left out or read at
// their last good version.
func loadCorpus(dir string, opts corpus.Options, w io.Writer) (c *corpus.Corpus, errs int, err error) {
	c, err = corpus.LoadWith(dir, opts)
	if c == nil {
		return nil, 0, err
	}
	es, ok := corpus.AsErrors(err)
	if err != nil && !ok {
		return nil, 0, err
	}
	for _, e := range es {
		fmt.Fprintln(w, e)
	}
	for _, e := range c.Warnings {
		fmt.Fprintln(w, e)
	}
	return c, len(es), nil
}

// describeProblems is one line on what the corpus's errors cost, for `qdex index`.
func describeProblems(c *corpus.Corpus, errs int) string {
	return fmt.Sprintf("%d error(s) in %s: %d file(s) kept at their last good version (%s), %d left out (%s)",
		errs, c.Root, len(c.Kept), listOrNone(c.Kept), len(c.LeftOut), listOrNone(c.LeftOut))
}

func listOrNone(files []string) string {
	if len(files) == 0 {
		return "none"
	}
	return strings.Join(files, ", ")
}

func cmdValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", "--data DIR", stderr)
	data := fs.String("data", "data", "corpus directory")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, errs, err := loadCorpus(*data, corpus.Options{}, stdout)
	if err != nil {
		return err
	}
	if errs > 0 {
		fmt.Fprintf(stdout, "%d error(s) in %s\n", errs, *data)
		return errReported
	}
	fmt.Fprintf(stdout, "%s: ok: %d frameworks, %d topics, %d subtopics, %d questions, %d articles, %d synonym groups\n",
		*data, len(c.Frameworks), len(c.Topics), len(c.Subtopics), c.QuestionCount(""), len(c.Articles), len(c.Synonyms))
	return nil
}

func cmdIndex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("index", "--data DIR --index DIR", stderr)
	data := fs.String("data", "data", "corpus directory")
	index := fs.String("index", "var/index", "index directory (a symlink to the current build)")
	full := fs.Bool("full", false, "rebuild every document, not only those of changed files")
	verbose := fs.Bool("v", false, "list the files added, changed and removed")
	model := modelFlag(fs)
	noSemantic := fs.Bool("no-semantic", false, "embed nothing: the index serves lexical search only")
	strict := fs.Bool("strict", false, "index nothing when any file has an error (for CI); without it, files with errors are kept at their last good version or left out, and the exit status is 3")
	if err := parse(fs, args); err != nil {
		return err
	}
	opts := corpus.Options{LastGood: indexer.LastGood(*index)}
	if *strict {
		opts = corpus.Options{}
	}
	c, errs, err := loadCorpus(*data, opts, stdout)
	if err != nil {
		return err
	}
	if errs > 0 && *strict {
		fmt.Fprintf(stdout, "%d error(s) in %s: --strict: nothing indexed, %s unchanged\n", errs, *data, *index)
		return errReported
	}
	iopts := indexer.Options{Progress: stderr, SemanticOff: "--no-semantic"}
	if !*noSemantic {
		// Index time has the machine to itself: two passages at once.
		m, off, err := openModel(*model, embed.Options{Threads: 2})
		if err != nil {
			return err
		}
		if m != nil {
			defer m.Close()
			iopts.Embedder = m
		}
		iopts.SemanticOff = off
	}
	rep, err := indexer.Update(ctx, c, *index, *full, iopts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s\n", *index, rep)
	if s := rep.Manifest.Semantic; s != nil {
		if s.Model == "" {
			fmt.Fprintf(stdout, "semantic: off: %s\n", s.Off)
		} else if !rep.Unchanged {
			fmt.Fprintf(stdout, "semantic: %s, %d passages (%d embedded in %.1fs, %d reused)\n", s.Model, s.Passages, s.Embedded, s.Seconds, s.Reused)
		}
	}
	if *verbose {
		for _, l := range []struct {
			what  string
			files []string
		}{{"added", rep.FilesAdded}, {"changed", rep.FilesChanged}, {"removed", rep.FilesRemoved}} {
			for _, f := range l.files {
				fmt.Fprintf(stdout, "  %-7s %s\n", l.what, f)
			}
		}
	}
	if errs > 0 {
		fmt.Fprintln(stdout, describeProblems(c, errs))
		return errPartial
	}
	return nil
}

func cmdSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("search", "--index DIR [--json] [--size N] QUERY...", stderr)
	index := fs.String("index", "var/index", "index directory")
	asJSON := fs.Bool("json", false, "print the JSON API's response")
	size := fs.Int("size", 10, "number of hits")
	page := fs.Int("page", 1, "page of hits")
	sort := fs.String("sort", "relevance", "relevance or newest")
	semantic := fs.Float64("semantic", search.DefaultSemanticRatio, "weight of the semantic ranking, 0 (lexical only) to 1")
	model := modelFlag(fs)
	words, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	ix, err := search.Open(*index)
	if err != nil {
		return err
	}
	defer ix.Close()
	if *semantic > 0 {
		m, _, err := openModel(*model, embed.Options{})
		if err != nil {
			return err
		}
		if m != nil {
			defer m.Close()
			ix.SetEmbedder(m)
		}
	}
	res, err := ix.Search(ctx, search.Request{Query: strings.Join(words, " "), Size: *size, Page: *page, Sort: *sort, SemanticRatio: semantic})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(api.NewResponse(res))
	}
	printResult(stdout, res, isTerminal(stdout))
	return nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && os.Getenv("NO_COLOR") == ""
}

func printResult(w io.Writer, res *search.Result, color bool) {
	open, close, dim, bold, reset := "[", "]", "", "", ""
	if color {
		open, close, dim, bold, reset = "\x1b[1;33m", "\x1b[0m", "\x1b[2m", "\x1b[1m", "\x1b[0m"
	}
	fmt.Fprintf(w, "%d results (%s)", res.Total, res.Took.Round(time.Microsecond))
	if res.Relaxed {
		fmt.Fprint(w, ", showing documents with some of the words")
	}
	fmt.Fprintln(w)
	if res.Suggestion != "" {
		fmt.Fprintf(w, "Did you mean: %s\n", res.Suggestion)
	}
	for i, h := range res.Hits {
		n := (res.Page-1)*res.Size + i + 1
		title := h.Question
		if len(h.Highlights.Question) > 0 {
			title = h.Highlights.Question[0].Text(open, close)
		}
		fmt.Fprintf(w, "\n%s%2d.%s %s\n", bold, n, reset, title)
		fmt.Fprintf(w, "    %s%s · %s · %s · %s%s\n", dim, h.ID, h.FrameworkName, h.TopicName, h.Difficulty, reset)
		for _, f := range h.Highlights.Answer {
			fmt.Fprintf(w, "    %s\n", strings.ReplaceAll(f.Text(open, close), "\n", " "))
		}
		for _, f := range h.Highlights.Code {
			fmt.Fprintf(w, "    %s│%s %s\n", dim, reset, f.Text(open, close))
		}
	}
}

func cmdEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", "--index DIR --queries DIR [-v]", stderr)
	index := fs.String("index", "var/index", "index directory")
	queries := fs.String("queries", "eval/testdata/judged", "directory of judged query files (*.yml)")
	verbose := fs.Bool("v", false, "list the queries whose first hit is not relevant")
	semantic := fs.Float64("semantic", search.DefaultSemanticRatio, "semantic ratio of the hybrid run")
	model := modelFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	judged, err := eval.LoadJudged(*queries)
	if err != nil {
		return err
	}
	ix, err := search.Open(*index)
	if err != nil {
		return err
	}
	defer ix.Close()
	lexical := 0.0
	rep, err := eval.Evaluate(ctx, judged, ix.TopIDsAt(&lexical), ix.BaselineIDs)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "lexical:")
	rep.Print(stdout, *verbose)
	m, off, err := openModel(*model, embed.Options{})
	if err != nil {
		return err
	}
	if m == nil {
		fmt.Fprintf(stdout, "\nhybrid: not run: %s\n", off)
		return nil
	}
	defer m.Close()
	ix.SetEmbedder(m)
	if on, why := ix.Semantic(); !on {
		fmt.Fprintf(stdout, "\nhybrid: not run: %s\n", why)
		return nil
	}
	if rep, err = eval.Evaluate(ctx, judged, ix.TopIDsAt(semantic), ix.BaselineIDs); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nhybrid (semantic %.2f):\n", *semantic)
	rep.Print(stdout, *verbose)
	return nil
}
