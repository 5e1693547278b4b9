// Command dumppassages writes a corpus's documents as JSON (id, question, answer
// prose) for model/compare.py, which compares sentence encoders on the judged queries.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"qdex/corpus"
	"qdex/indexer"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./model/dumppassages DATA_DIR > passages.json")
		os.Exit(2)
	}
	c, err := corpus.Load(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	type doc struct{ ID, Q, A string }
	var out []doc
	prose := func(md string) string { return strings.Join(strings.Fields(indexer.ExtractText(md).Prose), " ") }
	for _, s := range c.Subtopics {
		for _, q := range s.Questions {
			out = append(out, doc{corpus.QuestionDocID(s, q), q.Q, prose(q.A)})
		}
	}
	for _, a := range c.Articles {
		out = append(out, doc{corpus.ArticleDocID(a), a.Title, prose(a.Body)})
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
