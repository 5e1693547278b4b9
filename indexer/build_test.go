package indexer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"qdex/corpus"
)

func loadGood(t *testing.T) *corpus.Corpus {
	t.Helper()
	c, err := corpus.Load("../corpus/testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func openBleve(t *testing.T, dir string) (bleve.Index, *Manifest) {
	t.Helper()
	build, m, err := Resolve(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := bleve.OpenUsing(BlevePath(build), map[string]any{"read_only": true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b, m
}

func TestBuildRoundTrip(t *testing.T) {
	c := loadGood(t)
	dir := filepath.Join(t.TempDir(), "index")
	m, err := Build(context.Background(), c, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m.Questions != 6 || m.Articles != 1 || m.SchemaVersion != SchemaVersion || m.CorpusDigest != c.Digest() {
		t.Errorf("manifest: %+v", m)
	}
	b, _ := openBleve(t, dir)
	if n := countDocs(t, b); n != 7 {
		t.Errorf("doc count %d, want 7", n)
	}
	for _, tc := range []struct{ field, text, want string }{
		{FieldCode, "threadpoolexecutor", "python/concurrency/gil#threadpool-executor"},
		{FieldCode, "ThreadPool", "python/concurrency/gil#threadpool-executor"},
		{FieldCode, "asyncio.gather", "python/concurrency/asyncio#asyncio-gather"},
		{FieldCode, "gather", "python/concurrency/asyncio#asyncio-gather"},
		{FieldAnswerExact, "sockets", "python/concurrency/gil#threadpool-executor"},
		{FieldAnswerExact, "sync.WaitGroup", "go/concurrency/goroutines#waitgroup"},
		{FieldQuestion, "explained", "blog/python-gil-explained"},
	} {
		q := bleve.NewMatchQuery(tc.text)
		q.SetField(tc.field)
		q.SetOperator(1) // and
		res, err := b.Search(bleve.NewSearchRequest(q))
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 1 || res.Hits[0].ID != tc.want {
			t.Errorf("%s:%q: got %d hits %v, want only %s", tc.field, tc.text, res.Total, res.Hits, tc.want)
		}
	}
	// The stemmed answer is stored for highlights, not indexed (schema 3).
	q0 := bleve.NewMatchQuery("socket")
	q0.SetField(FieldAnswer)
	if res, err := b.Search(bleve.NewSearchRequest(q0)); err != nil || res.Total != 0 {
		t.Errorf("answer:socket: %v, %v; want no hits, the field is not indexed", res, err)
	}
	// Keyword fields and stored Markdown.
	q := bleve.NewTermQuery("go")
	q.SetField(FieldLanguage)
	req := bleve.NewSearchRequest(q)
	req.Fields = []string{FieldMarkdown}
	res, err := b.Search(req)
	if err != nil || res.Total != 2 {
		t.Fatalf("language:go: %v, %v", res, err)
	}
	if md, _ := res.Hits[0].Fields[FieldMarkdown].(string); md == "" {
		t.Error("Markdown not stored")
	}
	cat, err := ReadCatalog(mustResolve(t, dir))
	if err != nil || cat.QuestionCount("") != 6 || cat.Subtopics[0].Questions[0].A != "" {
		t.Errorf("catalog: %v", err)
	}
}

func mustResolve(t *testing.T, dir string) string {
	d, _, err := Resolve(dir)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestFailedBuildKeepsOldIndex(t *testing.T) {
	c := loadGood(t)
	parent := t.TempDir()
	dir := filepath.Join(parent, "index")
	if _, err := Build(context.Background(), c, dir, Options{}); err != nil {
		t.Fatal(err)
	}
	before := mustResolve(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Build(ctx, c, dir, Options{BatchSize: 1}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled build: got %v", err)
	}
	if after := mustResolve(t, dir); after != before {
		t.Errorf("index moved from %s to %s after a failed build", before, after)
	}
	b, _ := openBleve(t, dir)
	if n := countDocs(t, b); n != 7 {
		t.Errorf("old index has %d docs, want 7", n)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 2 { // the symlink and its build
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("leftovers beside the index: %v", names)
	}
}

// cancellingEmbedder embeds like fakeEmbedder, and cancels the build while it does:
// late enough for the index to be on disk, so that the commit's wait for the disk
// does not notice.
type cancellingEmbedder struct {
	fakeEmbedder
	cancel context.CancelFunc
}

func (e *cancellingEmbedder) EmbedPassages(ctx context.Context, texts []string) ([][]float32, error) {
	time.Sleep(200 * time.Millisecond)
	e.cancel()
	return e.fakeEmbedder.EmbedPassages(ctx, texts)
}

// TestCancelledBuildIsNotSwapped: a build cancelled after its last batch (here while
// the passages are embedded) does not replace the live index.
func TestCancelledBuildIsNotSwapped(t *testing.T) {
	c := loadGood(t)
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := Build(context.Background(), c, dir, Options{}); err != nil {
		t.Fatal(err)
	}
	before := mustResolve(t, dir)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := &cancellingEmbedder{fakeEmbedder{id: "fake"}, cancel}
	if _, err := Build(ctx, c, dir, Options{Embedder: e}); !errors.Is(err, context.Canceled) {
		t.Fatalf("build cancelled while embedding: got %v", err)
	}
	if after := mustResolve(t, dir); after != before {
		t.Errorf("index moved from %s to %s after a cancelled build", before, after)
	}
}

func TestRebuildSwapsAndCleansUp(t *testing.T) {
	c := loadGood(t)
	parent := t.TempDir()
	dir := filepath.Join(parent, "index")
	var builds []string
	for i := 0; i < 3; i++ {
		if _, err := Build(context.Background(), c, dir, Options{}); err != nil {
			t.Fatal(err)
		}
		builds = append(builds, mustResolve(t, dir))
	}
	if _, err := os.Stat(builds[0]); !os.IsNotExist(err) {
		t.Errorf("oldest build %s not removed", builds[0])
	}
	if _, err := os.Stat(builds[1]); err != nil {
		t.Errorf("previous build %s removed while a server may read it", builds[1])
	}
}

func TestPlainDirectoryIndexIsReplaced(t *testing.T) {
	c := loadGood(t)
	dir := filepath.Join(t.TempDir(), "index")
	if err := os.MkdirAll(filepath.Join(dir, "junk"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Resolve(dir); !errors.Is(err, ErrNoIndex) {
		t.Errorf("Resolve of a directory without manifest: %v", err)
	}
	if _, err := Build(context.Background(), c, dir, Options{}); err != nil {
		t.Fatal(err)
	}
	mustResolve(t, dir)
}

func TestSchemaMismatch(t *testing.T) {
	c := loadGood(t)
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := Build(context.Background(), c, dir, Options{}); err != nil {
		t.Fatal(err)
	}
	build := mustResolve(t, dir)
	m, err := readManifest(build)
	if err != nil {
		t.Fatal(err)
	}
	m.SchemaVersion = SchemaVersion + 1
	if err := writeJSON(filepath.Join(build, manifestFile), m); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Resolve(dir); !errors.Is(err, ErrSchemaMismatch) {
		t.Errorf("Resolve: got %v, want ErrSchemaMismatch", err)
	}
}

func TestExtractText(t *testing.T) {
	ex := ExtractText("Use **asyncio.gather** and `await`.\n\n```py\nawait asyncio.gather(a, b)\n```\n\n<script>alert(1)</script>\n\n- item one\n- item two\n\n```\nplain\n```\n")
	if ex.Prose != "Use asyncio.gather and await.\nitem one\nitem two" {
		t.Errorf("prose %q", ex.Prose)
	}
	if len(ex.Code) != 2 || ex.Code[0].Language != "python" || ex.Code[0].Code != "await asyncio.gather(a, b)" || ex.Code[1].Language != "" {
		t.Errorf("code %+v", ex.Code)
	}
	if got := ex.Languages(); len(got) != 1 || got[0] != "python" {
		t.Errorf("languages %v", got)
	}
}

// countDocs counts questions and articles (the index also holds synonym definitions).
func countDocs(t *testing.T, b bleve.Index) int {
	t.Helper()
	q := bleve.NewTermQuery(TypeQuestion)
	q.SetField(FieldType)
	a := bleve.NewTermQuery(TypeArticle)
	a.SetField(FieldType)
	res, err := b.Search(bleve.NewSearchRequest(bleve.NewDisjunctionQuery(q, a)))
	if err != nil {
		t.Fatal(err)
	}
	return int(res.Total)
}
