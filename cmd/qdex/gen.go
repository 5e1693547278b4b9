package main

import (
	"context"
	"fmt"
	"io"

	"qdex/gen"
)

func cmdGen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("gen", "--questions N --seed S --out DIR", stderr)
	questions := fs.Int("questions", 1000, "number of questions")
	seed := fs.Uint64("seed", 1, "random seed: the same seed and size give the same corpus")
	out := fs.String("out", "", "directory to write the corpus into (must not exist or be empty)")
	articles := fs.Float64("articles", 0, "blog articles per subtopic page (0: as in data/, one per four pages; negative: none)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	st, err := gen.Generate(ctx, *out, gen.Options{Questions: *questions, Seed: *seed, ArticleRatio: *articles})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %s\n", *out, st)
	return nil
}
