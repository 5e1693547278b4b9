package embed

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"qdex/internal/testutil"
)

// openTestModel opens the model `make model` fetches, or skips (fails under
// QDEX_REQUIRE_MODEL=1, as in CI) when it is absent.
func openTestModel(t testing.TB) *Model {
	t.Helper()
	dir := testutil.ModelDir(t)
	m, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

func cosine(a, b []float32) float64 {
	var dot, na, nb float64
	for i := range a {
		dot += float64(a[i]) * float64(b[i])
		na += float64(a[i]) * float64(a[i])
		nb += float64(b[i]) * float64(b[i])
	}
	return dot / math.Sqrt(na*nb)
}

// TestMatchesReference: token IDs and vectors of fixed texts (code, punctuation,
// Unicode, a text past the token limit) agree with those Hugging Face's tokenizers
// and Python's onnxruntime compute (testdata/reference.py), batched or one by one.
func TestMatchesReference(t *testing.T) {
	m := openTestModel(t)
	data, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Model string
		Texts []struct {
			Text   string
			IDs    []int
			Vector []float32
		}
	}
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatal(err)
	}
	if ref.Model != m.Config().Name {
		t.Skipf("the reference is of %s, the model is %s", ref.Model, m.Config().Name)
	}
	texts := make([]string, len(ref.Texts))
	for i, r := range ref.Texts {
		texts[i] = r.Text
	}
	batched, err := m.EmbedPassages(context.Background(), texts)
	if err != nil {
		t.Fatal(err)
	}
	long := 0
	for i, r := range ref.Texts {
		ids, err := m.Tokens(r.Text)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids, r.IDs) {
			t.Errorf("%.40q: tokens\n%v\nwant\n%v", r.Text, ids, r.IDs)
		}
		if len(ids) == m.Config().MaxTokens {
			long++
		}
		one, err := m.EmbedPassages(context.Background(), []string{r.Text})
		if err != nil {
			t.Fatal(err)
		}
		for name, v := range map[string][]float32{"alone": one[0], "batched": batched[i]} {
			if c := cosine(v, r.Vector); c < 0.999 {
				t.Errorf("%.40q %s: cosine %.5f with the reference, want 0.999 or more", r.Text, name, c)
			}
		}
	}
	if long == 0 {
		t.Error("no reference text reaches the token limit")
	}
}

// TestQueryVector: a query's vector is a unit vector of the model's dimension, and a
// question is closer to its paraphrase than to an unrelated one.
func TestQueryVector(t *testing.T) {
	m := openTestModel(t)
	ctx := context.Background()
	q, err := m.EmbedQuery(ctx, "stop a fetch request that takes too long")
	if err != nil {
		t.Fatal(err)
	}
	if len(q) != m.Dim() || math.Abs(cosine(q, q)-1) > 1e-5 {
		t.Fatalf("vector of %d dimensions", len(q))
	}
	ps, err := m.EmbedPassages(ctx, []string{"How do you abort an HTTP request after a timeout with AbortController?", "What is a B-tree index in PostgreSQL?"})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := cosine(q, ps[0]), cosine(q, ps[1]); a <= b {
		t.Errorf("cosine %.3f with the paraphrase, %.3f with the unrelated question", a, b)
	}
}

// TestOpenErrors: a model directory that is missing or misconfigured is an error
// naming the file.
func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(dir, Options{}); err == nil {
		t.Error("no model.json: no error")
	}
	os.WriteFile(dir+"/model.json", []byte(`{"name":"x","onnx":"m.onnx","tokenizer":"t.json","pooling":"max","max_tokens":128,"dim":384}`), 0o644)
	if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "model.json: pooling") {
		t.Errorf("bad pooling: %v", err)
	}
}

// BenchmarkEmbedQuery embeds a 16-word query (make bench reports it beside FTS5).
func BenchmarkEmbedQuery(b *testing.B) {
	m := openTestModel(b)
	ctx := context.Background()
	q := "why does my pod keep getting killed for using too much memory when the node has room"
	for i := 0; b.Loop(); i++ {
		if _, err := m.EmbedQuery(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}
