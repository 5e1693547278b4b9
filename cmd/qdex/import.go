package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"qdex/corpus"
	"qdex/importer"
)

func cmdImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", "--format FORMAT --framework SLUG --topic SLUG [--subtopic-size N] --out DIR FILE...", stderr)
	format := fs.String("format", "auto", "input format: auto, "+strings.Join(importer.Formats, ", "))
	var o importer.Options
	fs.StringVar(&o.Framework, "framework", "", "framework slug (required)")
	fs.StringVar(&o.FrameworkName, "framework-name", "", "framework display name (default: from the slug)")
	fs.StringVar(&o.Topic, "topic", "", "topic slug (required)")
	fs.StringVar(&o.TopicName, "topic-name", "", "topic display name (default: from the slug)")
	fs.IntVar(&o.SubtopicSize, "subtopic-size", 0, "questions per subtopic file (0: one file per section)")
	fs.StringVar(&o.Difficulty, "difficulty", "medium", "difficulty of every imported question")
	fs.StringVar(&o.Out, "out", "data", "corpus directory to write into")
	fs.BoolVar(&o.Force, "force", false, "overwrite existing subtopic files")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	if !corpus.ValidDifficulty(o.Difficulty) {
		return fmt.Errorf("--difficulty %q: want easy, medium or hard", o.Difficulty)
	}
	merged := &importer.Parsed{}
	problems := 0
	for _, file := range fs.Args() {
		src, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		p, err := importer.Parse(*format, src)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		fmt.Fprintf(stdout, "%s: %s format, %d questions\n", file, p.Format, p.Count())
		for _, pr := range p.Problems {
			fmt.Fprintf(stderr, "%s:%d: %s\n", file, pr.Line, pr.Msg)
			problems++
		}
		merged.Sections = append(merged.Sections, p.Sections...)
	}
	if merged.Count() == 0 {
		return fmt.Errorf("no questions to import")
	}
	written, err := importer.Write(merged, o)
	if err != nil {
		return err
	}
	for _, w := range written {
		switch {
		case w.Kept:
			fmt.Fprintf(stdout, "  kept    %s\n", w.Path)
		case w.Questions > 0:
			fmt.Fprintf(stdout, "  wrote   %s (%d questions)\n", w.Path, w.Questions)
		default:
			fmt.Fprintf(stdout, "  wrote   %s\n", w.Path)
		}
	}
	fmt.Fprintf(stdout, "imported %d questions", merged.Count())
	if problems > 0 {
		fmt.Fprintf(stdout, "; %d block(s) could not be read (listed above)", problems)
	}
	fmt.Fprintln(stdout)
	return nil
}
