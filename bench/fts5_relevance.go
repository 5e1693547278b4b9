//go:build fts5

package bench

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"qdex/eval"
)

// ftsWord is a token as FTS5's unicode61 tokenizer reads one.
var ftsWord = regexp.MustCompile(`[\p{L}\p{N}]+`)

// FTSEngine opens the FTS5 database at path (built by BuildFTS) as the plain BM25
// ranking qdex's relevance is compared with: the documents with every word of the
// query ranked by bm25, then, when they are fewer than asked for, those with any
// word, by bm25 too. weighted uses the peer's column weights (see topSQL); without
// it every column counts the same.
func FTSEngine(path string, weighted bool) (eval.Engine, func() error, error) {
	f, err := ftsOpen(path)
	if err != nil {
		return nil, nil, err
	}
	rank := "bm25(docs)"
	if weighted {
		rank = "bm25(docs, 4.0, 1.0, 1.0, 0.5)"
	}
	st, err := f.db.Prepare(`SELECT id FROM docs WHERE docs MATCH ? ORDER BY ` + rank + ` LIMIT ?`)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("fts5: %w", err)
	}
	engine := func(ctx context.Context, q string, n int) ([]string, error) {
		words := ftsWord.FindAllString(strings.ToLower(q), -1)
		if len(words) == 0 {
			return nil, nil
		}
		var out []string
		seen := map[string]bool{}
		for _, sep := range []string{" ", " OR "} {
			quoted := make([]string, len(words))
			for i, w := range words {
				quoted[i] = ftsQuote(w)
			}
			match := strings.Join(quoted, sep)
			rows, err := st.QueryContext(ctx, match, n)
			if err != nil {
				return nil, fmt.Errorf("fts5 %s: %w", match, err)
			}
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return nil, err
				}
				if !seen[id] && len(out) < n {
					seen[id] = true
					out = append(out, id)
				}
			}
			if err := rows.Close(); err != nil {
				return nil, err
			}
			if len(out) >= n {
				break
			}
		}
		return out, nil
	}
	return engine, f.Close, nil
}
