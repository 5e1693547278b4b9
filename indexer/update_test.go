package indexer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/blevesearch/bleve/v2"

	"qdex/corpus"
	"qdex/internal/testutil"
)

// corpusCopy copies the good test corpus into a temporary directory.
func corpusCopy(t *testing.T) string {
	t.Helper()
	src := "../corpus/testdata/good"
	dst := t.TempDir()
	if err := copyTree(src, dst); err != nil {
		t.Fatal(err)
	}
	return dst
}

func edit(t *testing.T, dir, rel, old, new string) {
	t.Helper()
	testutil.Edit(t, dir, rel, old, new)
}

func update(t *testing.T, data, index string, full bool) *Report {
	t.Helper()
	c, err := corpus.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Update(context.Background(), c, index, full, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func hits(t *testing.T, index, field, text string) []string {
	t.Helper()
	b, _ := openBleve(t, index)
	q := bleve.NewMatchQuery(text)
	q.SetField(field)
	res, err := b.Search(bleve.NewSearchRequest(q))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestUpdateIncremental(t *testing.T) {
	data := corpusCopy(t)
	index := filepath.Join(t.TempDir(), "index")
	if rep := update(t, data, index, false); !rep.Full || rep.FullReason != "no index yet" || rep.DocsAdded != 7 {
		t.Fatalf("first build: %+v", rep)
	}
	if rep := update(t, data, index, false); !rep.Unchanged {
		t.Errorf("second build of the same corpus: %+v", rep)
	}

	// Edit one question: its page and the article about it are written again.
	edit(t, data, "qa/python/concurrency/gil.md", "What is the GIL?", "What is the GIL, zebra?")
	rep := update(t, data, index, false)
	if rep.Full || len(rep.FilesChanged) != 1 || rep.DocsUpdated != 3 || rep.DocsAdded != 0 || rep.DocsDeleted != 0 {
		t.Errorf("after an edit: %+v", rep)
	}
	if got := hits(t, index, FieldQuestion, "zebra"); len(got) != 1 || got[0] != "python/concurrency/gil#what-is-the-gil" {
		t.Errorf("edited question not searchable: %v", got)
	}
	if words, err := ReadVocabulary(mustResolve(t, index)); err != nil || !slices.Contains(words[FieldQuestionExact].Words, "zebra") {
		t.Errorf("the updated index's vocabulary lacks the edited question's new word (%v)", err)
	}

	// Delete a file: its documents go.
	os.Remove(filepath.Join(data, "qa/python/concurrency/asyncio.md"))
	rep = update(t, data, index, false)
	if len(rep.FilesRemoved) != 1 || rep.DocsDeleted != 2 {
		t.Errorf("after a delete: %+v", rep)
	}
	if got := hits(t, index, FieldCode, "asyncio.gather"); len(got) != 0 {
		t.Errorf("deleted documents still found: %v", got)
	}

	// Rename a framework: every document under it carries the new name.
	edit(t, data, "frameworks/go.yml", "name: Go", "name: Golang Quokka")
	rep = update(t, data, index, false)
	if rep.DocsUpdated != 2 {
		t.Errorf("after a framework rename: %+v", rep)
	}
	if got := hits(t, index, FieldContext, "quokka"); len(got) != 2 {
		t.Errorf("renamed framework not in context: %v", got)
	}

	// The incremental index equals a full build of the same corpus.
	full := filepath.Join(t.TempDir(), "full")
	update(t, data, full, true)
	bi, mi := openBleve(t, index)
	bf, mf := openBleve(t, full)
	if countDocs(t, bi) != countDocs(t, bf) || mi.CorpusDigest != mf.CorpusDigest {
		t.Errorf("incremental %d docs (%s), full %d docs (%s)", countDocs(t, bi), mi.CorpusDigest, countDocs(t, bf), mf.CorpusDigest)
	}

	// Synonyms change the thesaurus: a full build.
	edit(t, data, "synonyms.yml", "- [js, javascript]", "- [js, javascript, ecmascript]")
	if rep := update(t, data, index, false); !rep.Full || rep.FullReason != "synonyms changed" {
		t.Errorf("after a synonym change: %+v", rep)
	}
}
