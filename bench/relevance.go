package bench

import (
	"context"

	"qdex/corpus"
)

// BuildFTS indexes the corpus into a new FTS5 database at path, as the speed
// comparison's peer does, for FTSEngine; it returns the number of rows.
func BuildFTS(ctx context.Context, c *corpus.Corpus, path string) (int, error) {
	return ftsBuild(ctx, c, path)
}
