//go:build !fts5

package bench

import (
	"context"
	"errors"

	"qdex/corpus"
	"qdex/eval"
)

// FTS5Available is true when the program was built with -tags fts5. Without the tag
// the SQLite driver is not compiled in (it is cgo and slow to build), so `go test ./...`
// and `go vet ./...` stay fast; `make bench` sets the tag.
const FTS5Available = false

var errNoFTS5 = errors.New("fts5: not built in (build with -tags fts5)")

type ftsIndex struct{}

func ftsBuild(context.Context, *corpus.Corpus, string) (int, error) { return 0, errNoFTS5 }

func ftsOpen(string) (*ftsIndex, error) { return nil, errNoFTS5 }

func (*ftsIndex) Close() error { return nil }

func (*ftsIndex) Search(context.Context, Query, bool) (int, error) { return 0, errNoFTS5 }

func ftsVersion() string { return "" }

// FTSEngine needs the fts5 tag.
func FTSEngine(string, bool) (eval.Engine, func() error, error) { return nil, nil, errNoFTS5 }
