package search

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"qdex/corpus"
	"qdex/embed"
	"qdex/eval"
	"qdex/indexer"
	"qdex/internal/testutil"
)

var hybridIndex struct {
	once  sync.Once
	dir   string
	model *embed.Model
	err   error
}

// openHybrid opens an index of ../data embedded with the model `make model` fetches
// (built once for the package's tests), with the model set; it skips without the
// model, or fails under QDEX_REQUIRE_MODEL=1.
func openHybrid(t *testing.T) *Index {
	t.Helper()
	modelDir := testutil.ModelDir(t)
	h := &hybridIndex
	h.once.Do(func() {
		if h.model, h.err = embed.Open(modelDir, embed.Options{Threads: 2}); h.err != nil {
			return
		}
		c, err := corpus.Load("../data")
		if err != nil {
			h.err = err
			return
		}
		h.dir = filepath.Join(testutil.SharedTempDir(), "hybrid-index")
		_, h.err = indexer.Build(context.Background(), c, h.dir, indexer.Options{Embedder: h.model})
	})
	if h.err != nil {
		t.Fatal(h.err)
	}
	ix := openIndex(t, h.dir)
	ix.SetEmbedder(h.model)
	if on, why := ix.Semantic(); !on {
		t.Fatalf("semantic search off: %s", why)
	}
	return ix
}

// TestHybridRelevance: on the judged set and the readers' questions, hybrid search
// ranks natural-language questions better than the lexical ranking alone, and no kind worse than it by more
// than one query's worth (typos lose a little: the model reads a misspelt word as
// another one); identifiers stay exact.
func TestHybridRelevance(t *testing.T) {
	ix := openHybrid(t)
	judged, err := eval.LoadJudged("../eval/testdata/judged")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	lexical := 0.0
	lex, err := eval.Evaluate(ctx, judged, ix.TopIDsAt(&lexical), ix.BaselineIDs)
	if err != nil {
		t.Fatal(err)
	}
	hyb, err := eval.Evaluate(ctx, judged, ix.TopIDs, ix.BaselineIDs)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range append(slices.Clone(eval.QueryKinds), "all") {
		l, h := lex.Qdex[k], hyb.Qdex[k]
		t.Logf("%-10s lexical %.3f hybrid %.3f", k, l.MRR, h.MRR)
		if h.MRR < l.MRR-1.0/float64(l.Queries) {
			t.Errorf("%s: hybrid MRR@10 %.3f, lexical %.3f", k, h.MRR, l.MRR)
		}
	}
	if n, l := hyb.Qdex["natural"].MRR, lex.Qdex["natural"].MRR; n <= l {
		t.Errorf("natural: hybrid MRR@10 %.3f, lexical %.3f: want more", n, l)
	}
	// A query of identifiers keeps the words' ranking: meaning only adds after it.
	if h, l := hyb.Qdex["identifier"].MRR, lex.Qdex["identifier"].MRR; h < l {
		t.Errorf("identifier: hybrid MRR@10 %.3f, lexical %.3f: want no less", h, l)
	}
	// The questions asked in readers' words too.
	readers, err := eval.LoadJudged("../eval/testdata/readers")
	if err != nil {
		t.Fatal(err)
	}
	if lex, err = eval.Evaluate(ctx, readers, ix.TopIDsAt(&lexical), ix.BaselineIDs); err != nil {
		t.Fatal(err)
	}
	if hyb, err = eval.Evaluate(ctx, readers, ix.TopIDs, ix.BaselineIDs); err != nil {
		t.Fatal(err)
	}
	if n, l := hyb.Qdex["natural"].MRR, lex.Qdex["natural"].MRR; n <= l {
		t.Errorf("readers: hybrid MRR@10 %.3f, lexical %.3f: want more", n, l)
	}
}

// TestHybridFindsByMeaning: a question in other words than the answer's finds it,
// with hits the words alone did not find, marked as such, counted in the total, and
// shown with a snippet.
func TestHybridFindsByMeaning(t *testing.T) {
	ix := openHybrid(t)
	// A floor low enough for documents the words do not match to come in.
	ix.SetEmbedder(lowFloor{hybridIndex.model})
	ctx := context.Background()
	q := "sluggish webpage" // no document has either word
	res, err := ix.Search(ctx, Request{Query: q, Size: 20})
	if err != nil {
		t.Fatal(err)
	}
	lexical := 0.0
	lex, err := ix.Search(ctx, Request{Query: q, Size: 20, SemanticRatio: &lexical})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Semantic.Used || lex.Semantic.Used || lex.Semantic.Reason == "" {
		t.Fatalf("semantic used %v (%s), with ratio 0 %v (%s)", res.Semantic.Used, res.Semantic.Reason, lex.Semantic.Used, lex.Semantic.Reason)
	}
	semantic := 0
	for _, h := range res.Hits {
		switch h.Found {
		case FoundSemantic:
			semantic++
			if len(h.Highlights.Answer) == 0 {
				t.Errorf("%s: found by meaning, no snippet", h.ID)
			}
		case FoundLexical, FoundBoth:
		default:
			t.Errorf("%s: found %q", h.ID, h.Found)
		}
	}
	if semantic == 0 {
		t.Errorf("no hit found by meaning only among %v", ids(res))
	}
	if res.Total <= lex.Total {
		t.Errorf("total %d, lexical %d: the hits found by meaning are not counted", res.Total, lex.Total)
	}
}

// TestHybridKeepsFiltersAndExactness: semantic hits obey the filters and the
// exclusions, and the facet counts count what is shown; an identifier's lexical hits
// rank above every hit found by meaning only; quoted phrases and code: words are
// searched lexically only.
func TestHybridKeepsFiltersAndExactness(t *testing.T) {
	ix := openHybrid(t)
	ctx := context.Background()
	q := "how do I stop a slow request after a few seconds"
	res, err := ix.Search(ctx, Request{Query: q, Size: 50, Filters: map[string][]string{"framework": {"javascript"}}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Semantic.Used {
		t.Fatalf("semantic not used: %s", res.Semantic.Reason)
	}
	for _, h := range res.Hits {
		if h.Framework != "javascript" {
			t.Errorf("%s (%s) outside framework:javascript", h.ID, h.Found)
		}
	}
	for _, f := range res.Facets["framework"] {
		if f.Value == "javascript" && f.Count != res.Total {
			t.Errorf("framework facet counts %d javascript documents, total %d", f.Count, res.Total)
		}
	}
	sum := 0
	for _, f := range res.Facets["difficulty"] {
		sum += f.Count
	}
	if sum != res.Total {
		t.Errorf("difficulty facet counts %d documents, total %d", sum, res.Total)
	}

	ex, err := ix.Search(ctx, Request{Query: q + " -fetch", Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range ex.Hits {
		if strings.Contains(strings.ToLower(h.Question), "fetch") {
			t.Errorf("-fetch: %s (%s) has it", h.ID, h.Found)
		}
	}

	id, err := ix.Search(ctx, Request{Query: "asyncio.gather run many things at the same time", Size: 30})
	if err != nil {
		t.Fatal(err)
	}
	seenMeaning := false
	for _, h := range id.Hits {
		if h.Found == FoundSemantic {
			seenMeaning = true
		} else if seenMeaning {
			t.Errorf("%s (%s) ranks below a hit found by meaning only", h.ID, h.Found)
		}
	}

	for _, q := range []string{`"event loop" block`, "code:gather", `retry -"thread pool"`} {
		res, err := ix.Search(ctx, Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if res.Semantic.Used || res.Semantic.Reason == "" {
			t.Errorf("%s: semantic used %v (%s)", q, res.Semantic.Used, res.Semantic.Reason)
		}
	}
}

// TestSemanticOffWithoutModel: an index with vectors and no model, or a model of
// another identity, searches lexically and says why.
func TestSemanticOffWithoutModel(t *testing.T) {
	ix := openHybrid(t)
	ix.SetEmbedder(nil)
	res, err := ix.Search(context.Background(), Request{Query: "my container runs out of memory"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Semantic.Used || !strings.Contains(res.Semantic.Reason, "no model") {
		t.Errorf("no model: semantic %+v", res.Semantic)
	}
	ix.SetEmbedder(otherModel{hybridIndex.model})
	if on, why := ix.Semantic(); on || !strings.Contains(why, "rebuild") {
		t.Errorf("another model: on %v, %s", on, why)
	}
}

type otherModel struct{ *embed.Model }

type lowFloor struct{ *embed.Model }

func (lowFloor) SimilarityFloor() float32 { return 0.2 }

func (otherModel) ID() string { return "another-model@0" }

// TestRelated: a page's related questions are questions of other subtopics, at most
// five, closest first, above the floor; most pages have some.
func TestRelated(t *testing.T) {
	ix := openHybrid(t)
	with := 0
	for _, s := range ix.Catalog().Subtopics {
		rs := ix.Related(s.Path())
		if len(rs) > 0 {
			with++
		}
		if len(rs) > maxRelated {
			t.Errorf("%s: %d related questions", s.Path(), len(rs))
		}
		for i, r := range rs {
			if strings.HasPrefix(r.ID, s.Path()+"#") || strings.HasPrefix(r.ID, "blog/") || r.Question == "" || r.URL != "/"+r.ID {
				t.Errorf("%s: related %+v", s.Path(), r)
			}
			if r.Similarity < relatedFloor || i > 0 && r.Similarity > rs[i-1].Similarity {
				t.Errorf("%s: similarities out of order or under the floor: %+v", s.Path(), rs)
			}
		}
	}
	if with < len(ix.Catalog().Subtopics)/2 {
		t.Errorf("%d of %d pages have related questions", with, len(ix.Catalog().Subtopics))
	}
}
