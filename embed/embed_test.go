package embed

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// DefaultModel is the model `make model` fetches; CI requires its tests to run.
const DefaultModel = "all-minilm-l6-v2-q"

// modelRoot is where `make model` puts models, relative to this package.
const modelRoot = "../var/model"

type reference struct {
	Model string `json:"model"`
	Texts []struct {
		Text    string    `json:"text"`
		IDs     []int64   `json:"ids"`
		Query   []float32 `json:"query"`
		Passage []float32 `json:"passage"`
	} `json:"texts"`
}

func loadReference(t *testing.T, name string) *reference {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "reference-"+name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Texts) < 20 {
		t.Fatalf("reference-%s.json has %d texts; want 20 or more", name, len(r.Texts))
	}
	return &r
}

// referenceModels are the models with a committed reference fixture.
func referenceModels(t *testing.T) []string {
	files, err := filepath.Glob("testdata/reference-*.json")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "reference-"), ".json"))
	}
	return names
}

// needModel returns the model's directory, or skips the test when the model (or, with
// tokenizerOnly, its tokenizer) is not there, except for the default model when
// QDEX_REQUIRE_MODEL=1, where it fails: CI fetches the default model and must not pass
// by skipping.
func needModel(t *testing.T, name string, tokenizerOnly bool) string {
	t.Helper()
	dir := filepath.Join(modelRoot, name)
	cfg, err := LoadConfig(dir)
	missing := err
	if err == nil {
		files := []string{cfg.Tokenizer}
		if !tokenizerOnly {
			files = append(files, cfg.ONNX)
		}
		for _, f := range files {
			if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
				missing = err
				break
			}
		}
	}
	if missing == nil && !tokenizerOnly {
		if _, err := os.Stat(RuntimePath(dir, Options{})); err != nil {
			missing = err
		}
	}
	if missing != nil {
		if name == DefaultModel && os.Getenv("QDEX_REQUIRE_MODEL") == "1" {
			t.Fatalf("QDEX_REQUIRE_MODEL=1 and the model is not usable: %v", missing)
		}
		t.Skipf("model %s not fetched (make model MODEL=%s): %v", name, name, missing)
	}
	return dir
}

func cosine(a, b []float32) float64 {
	var ab, aa, bb float64
	for i := range a {
		ab += float64(a[i]) * float64(b[i])
		aa += float64(a[i]) * float64(a[i])
		bb += float64(b[i]) * float64(b[i])
	}
	return ab / math.Sqrt(aa*bb)
}

// TestTokensMatchReference checks the WordPiece tokenizer against Hugging Face's on
// every fixture text; it needs only the tokenizer file.
func TestTokensMatchReference(t *testing.T) {
	for _, name := range referenceModels(t) {
		t.Run(name, func(t *testing.T) {
			dir := needModel(t, name, true)
			cfg, err := LoadConfig(dir)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := loadTokenizer(filepath.Join(dir, cfg.Tokenizer), true)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range loadReference(t, name).Texts {
				if got := tok.encode(r.Text, cfg.MaxTokens); !slices.Equal(got, r.IDs) {
					t.Errorf("%.60q:\n got %v\nwant %v", r.Text, got, r.IDs)
				}
			}
		})
	}
}

// TestVectorsMatchReference compares query and passage vectors with the reference
// implementation's, text by text. Passages go through EmbedPassages in batches for the
// full-precision model, one at a time for the quantised ones (see Options.BatchSize).
func TestVectorsMatchReference(t *testing.T) {
	for _, name := range referenceModels(t) {
		t.Run(name, func(t *testing.T) {
			batch := 1
			if !strings.HasSuffix(name, "-q") {
				batch = 8
			}
			m, err := Open(needModel(t, name, false), Options{Threads: 2, BatchSize: batch})
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			ref := loadReference(t, name)
			ctx := context.Background()
			var texts []string
			for _, r := range ref.Texts {
				texts = append(texts, r.Text)
			}
			passages, err := m.EmbedPassages(ctx, texts)
			if err != nil {
				t.Fatal(err)
			}
			worst := 1.0
			for i, r := range ref.Texts {
				q, err := m.EmbedQuery(ctx, r.Text)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range []struct {
					kind      string
					got, want []float32
				}{{"query", q, r.Query}, {"passage", passages[i], r.Passage}} {
					if len(c.got) != m.Dim() {
						t.Fatalf("%s %.40q: %d values, want %d", c.kind, r.Text, len(c.got), m.Dim())
					}
					cos := cosine(c.got, c.want)
					worst = min(worst, cos)
					if cos < 0.999 {
						t.Errorf("%s %.60q: cosine %.5f with the reference; want 0.999 or more", c.kind, r.Text, cos)
					}
				}
			}
			t.Logf("%s: worst cosine with the reference %.6f over %d texts", m.ID(), worst, len(ref.Texts))
		})
	}
}

func TestConcurrentQueries(t *testing.T) {
	m, err := Open(needModel(t, DefaultModel, false), Options{Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	want, err := m.EmbedQuery(ctx, "rules of hooks")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for range 4 {
				got, err := m.EmbedQuery(ctx, "rules of hooks")
				if err != nil {
					errs <- err
					return
				}
				if cosine(got, want) < 0.99999 {
					errs <- errors.New("a concurrent query's vector differs")
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if !strings.HasPrefix(m.ID(), DefaultModel+"@") || len(m.ID()) != len(DefaultModel)+13 {
		t.Errorf("ID %q; want %s@ and 12 hex digits", m.ID(), DefaultModel)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := m.EmbedQuery(ctx, "x"); !errors.Is(err, ErrClosed) {
		t.Errorf("EmbedQuery after Close: %v; want ErrClosed", err)
	}
}

// TestCancelledEmbedding: a cancelled context stops the embedding before any
// inference, even with inference slots free.
func TestCancelledEmbedding(t *testing.T) {
	m, err := Open(needModel(t, DefaultModel, false), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 20 {
		if _, err := m.EmbedPassages(ctx, []string{"a goroutine leak"}); !errors.Is(err, context.Canceled) {
			t.Fatalf("EmbedPassages with a cancelled context: %v; want context.Canceled", err)
		}
	}
}

func TestOpenErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	_, err := Open(dir, Options{})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "model.json") {
		t.Errorf("no model.json: %v; want a not-exist error naming model.json", err)
	}
	cfg := `{"name":"x","onnx":"x.onnx","tokenizer":"vocab.txt","pooling":"mean","normalize":true,"max_tokens":16,"dimension":4}`
	os.WriteFile(filepath.Join(dir, ConfigFile), []byte(cfg), 0o644)
	_, err = Open(dir, Options{})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "vocab.txt") {
		t.Errorf("no vocab.txt: %v; want a not-exist error naming vocab.txt", err)
	}
	os.WriteFile(filepath.Join(dir, "vocab.txt"), []byte("[PAD]\n[UNK]\n[CLS]\n[SEP]\n"), 0o644)
	_, err = Open(dir, Options{})
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "x.onnx") {
		t.Errorf("no x.onnx: %v; want a not-exist error naming x.onnx", err)
	}
	os.WriteFile(filepath.Join(dir, ConfigFile), []byte(strings.Replace(cfg, `"mean"`, `"max"`, 1)), 0o644)
	if _, err = Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "pooling") {
		t.Errorf("pooling max: %v; want an error about pooling", err)
	}
}

// TestWordPiece runs the tokenizer on a small vocabulary, with no model needed.
func TestWordPiece(t *testing.T) {
	vocab := []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
		"async", "##io", ".", "gather", "(", ")", "cafe", "日", "本", "un", "##aff", "##able", "!", "$", "x"}
	w, err := vocabTxt([]byte(strings.Join(vocab, "\n")), true)
	if err != nil {
		t.Fatal(err)
	}
	id := func(toks ...string) []int64 {
		out := []int64{2}
		for _, s := range toks {
			out = append(out, int64(slices.Index(vocab, s)))
		}
		return append(out, 3)
	}
	for _, c := range []struct {
		in   string
		max  int
		want []int64
	}{
		{"asyncio.gather()", 16, id("async", "##io", ".", "gather", "(", ")")},
		{"Café CAFE", 16, id("cafe", "cafe")},
		{"日本", 16, id("日", "本")},
		{"unaffable!", 16, id("un", "##aff", "##able", "!")},
		{"unaffablez", 16, id("[UNK]")},
		{"x\u200b\x00x", 16, id("[UNK]")}, // zero-width and NUL removed: "xx" is not in the vocabulary
		{"$x [SEP] x", 16, id("$", "x", "[SEP]", "x")},
		{"", 16, id()},
		{"x x x x x", 4, id("x", "x")},
		{strings.Repeat("x", 101), 16, id("[UNK]")},
	} {
		if got := w.encode(c.in, c.max); !slices.Equal(got, c.want) {
			t.Errorf("encode(%q, %d) = %v; want %v", c.in, c.max, got, c.want)
		}
	}
}

// TestIDFollowsConfig checks that a model.json change that alters the vectors alters
// the ID, and that the same files and settings give the same ID.
func TestIDFollowsConfig(t *testing.T) {
	src := needModel(t, DefaultModel, false)
	abs, err := filepath.Abs(src)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Runtime: RuntimePath(src, Options{})}
	cfg, err := LoadConfig(src)
	if err != nil {
		t.Fatal(err)
	}
	id := func(edit func(*Config)) string {
		dir := t.TempDir()
		for _, f := range []string{cfg.ONNX, cfg.Tokenizer} {
			if err := os.Symlink(filepath.Join(abs, f), filepath.Join(dir, f)); err != nil {
				t.Fatal(err)
			}
		}
		c := *cfg
		edit(&c)
		data, _ := json.Marshal(c)
		if err := os.WriteFile(filepath.Join(dir, ConfigFile), data, 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := Open(dir, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		return m.ID()
	}
	same := id(func(*Config) {})
	if again := id(func(*Config) {}); again != same {
		t.Errorf("same files and config: ID %s then %s", same, again)
	}
	if other := id(func(c *Config) { c.QueryPrefix = "query: " }); other == same {
		t.Errorf("another query prefix kept the ID %s", same)
	}
	if other := id(func(c *Config) { c.MaxTokens = 64 }); other == same {
		t.Errorf("another token limit kept the ID %s", same)
	}
}

// FuzzWordPiece checks that any input encodes within the limit, between [CLS] and
// [SEP], with ids from the vocabulary.
func FuzzWordPiece(f *testing.F) {
	vocab := []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "##b", "é", "日", "."}
	w, err := vocabTxt([]byte(strings.Join(vocab, "\n")), true)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"", "ab.ab", "É日本[SEP]", "\x00\xff\u200b", "[CLS][SEP", strings.Repeat("a ", 40)} {
		f.Add(s, 8)
	}
	f.Fuzz(func(t *testing.T, s string, max int) {
		max = 3 + (max%64+64)%64
		ids := w.encode(s, max)
		if len(ids) < 2 || len(ids) > max || ids[0] != w.cls || ids[len(ids)-1] != w.sep {
			t.Fatalf("encode(%q, %d) = %v", s, max, ids)
		}
		for _, id := range ids {
			if id < 0 || int(id) >= len(vocab) {
				t.Fatalf("encode(%q) has id %d outside the vocabulary", s, id)
			}
		}
	})
}
