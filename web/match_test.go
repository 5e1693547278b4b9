package web

import (
	"context"
	"hash/fnv"
	"math"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"qdex/corpus"
	"qdex/indexer"
	"qdex/search"
)

// wordHashEmbedder is a stand-in sentence encoder: a text's vector is its words
// hashed into 16 buckets, normalised. Enough for semantic search to be on.
type wordHashEmbedder struct{}

func (wordHashEmbedder) ID() string               { return "word-hash-16" }
func (wordHashEmbedder) Dim() int                 { return 16 }
func (wordHashEmbedder) SimilarityFloor() float32 { return 0.5 }

func (e wordHashEmbedder) EmbedQuery(_ context.Context, text string) ([]float32, error) {
	return e.vector(text), nil
}

func (e wordHashEmbedder) EmbedPassages(_ context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		out[i] = e.vector(t)
	}
	return out, nil
}

func (wordHashEmbedder) vector(text string) []float32 {
	v := make([]float32, 16)
	for _, w := range strings.Fields(strings.ToLower(text)) {
		h := fnv.New32a()
		h.Write([]byte(w))
		v[h.Sum32()%16]++
	}
	var n float64
	for _, x := range v {
		n += float64(x * x)
	}
	for i := range v {
		v[i] /= float32(math.Max(math.Sqrt(n), 1e-9))
	}
	return v
}

// TestMatchMenu: with semantic search on, the search page offers the semantic ratio
// as a menu (words and meaning, exact words, meaning) showing the one in use;
// without it there is no menu.
func TestMatchMenu(t *testing.T) {
	c, err := corpus.Load("testdata/corpus")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := indexer.Build(context.Background(), c, dir, indexer.Options{Embedder: wordHashEmbedder{}}); err != nil {
		t.Fatal(err)
	}
	ix, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix.SetEmbedder(wordHashEmbedder{})
	if on, why := ix.Semantic(); !on {
		t.Fatalf("semantic off: %s", why)
	}
	holder := search.NewHolder(ix)
	defer holder.Close()
	s, err := New(Config{Holder: holder})
	if err != nil {
		t.Fatal(err)
	}
	selected := regexp.MustCompile(`<option value="([^"]*)" selected>([^<]*)</option>`)
	for target, want := range map[string]string{
		"/search?q=goroutine":              "Words and meaning",
		"/search?q=goroutine&semantic=0":   "Exact words",
		"/search?q=goroutine&semantic=1":   "Meaning",
		"/search?q=goroutine&semantic=0.3": "Meaning 30%",
	} {
		body := get(t, s, target).Body.String()
		menu, _, _ := strings.Cut(body[strings.Index(body, `name="semantic"`)+1:], "</select>")
		if m := selected.FindStringSubmatch(menu); m == nil || m[2] != want {
			t.Errorf("%s: selected %v, want %q", target, m, want)
		}
		if strings.Contains(body, `type="hidden" name="semantic"`) {
			t.Errorf("%s: the ratio is sent twice (menu and hidden field)", target)
		}
	}
	// The shared test index has no vectors: no menu, and a ratio in the URL is kept.
	body := get(t, newServer(t), "/search?q=goroutine&semantic=0").Body.String()
	if strings.Contains(body, `<select name="semantic"`) || !strings.Contains(body, `<input type="hidden" name="semantic" value="0">`) {
		t.Error("without semantic search: a menu, or the ratio dropped")
	}
}
