package indexer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"qdex/corpus"
)

// fakeEmbedder makes a unit vector from a text's digest and records what it embeds.
type fakeEmbedder struct {
	id       string
	embedded []string
}

func (f *fakeEmbedder) ID() string { return f.id }
func (f *fakeEmbedder) Dim() int   { return 8 }
func (f *fakeEmbedder) EmbedPassages(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		f.embedded = append(f.embedded, t)
		sum := sha256.Sum256([]byte(t))
		v := make([]float32, 8)
		for j := range v {
			v[j] = float32(sum[j]) - 127.5
		}
		out[i] = v
	}
	return out, nil
}

func updateWith(t *testing.T, data, index string, full bool, e Embedder) *Report {
	t.Helper()
	c, err := corpus.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Update(context.Background(), c, index, full, Options{Embedder: e})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func readVectors(t *testing.T, index string) *Vectors {
	t.Helper()
	live, _, err := Resolve(index)
	if err != nil {
		t.Fatal(err)
	}
	v, err := ReadVectors(live)
	if err != nil || v == nil {
		t.Fatalf("vectors of %s: %v %v", index, v, err)
	}
	return v
}

// TestVectorsReused: a build embeds every passage once; an unchanged corpus, even
// rebuilt in full, embeds nothing; a one-file edit embeds only the passages of that
// file's documents whose text changed; another model embeds everything again; and
// the vectors follow their documents.
func TestVectorsReused(t *testing.T) {
	data, index := corpusCopy(t), filepath.Join(t.TempDir(), "index")
	e := &fakeEmbedder{id: "fake@1"}
	rep := updateWith(t, data, index, false, e)
	first := len(e.embedded)
	if first == 0 || rep.Manifest.Semantic == nil || rep.Manifest.Semantic.Embedded != first {
		t.Fatalf("first build embedded %d passages, manifest %+v", first, rep.Manifest.Semantic)
	}
	v := readVectors(t, index)
	if v.Len() != first || v.Model != "fake@1" {
		t.Fatalf("%d vectors of %s, want %d of fake@1", v.Len(), v.Model, first)
	}

	e.embedded = nil
	updateWith(t, data, index, false, e)
	updateWith(t, data, index, true, e)
	if len(e.embedded) != 0 {
		t.Fatalf("unchanged corpus: embedded %d passages", len(e.embedded))
	}

	edit(t, data, "qa/go/concurrency/goroutines.md", "What causes a goroutine leak?", "What makes a goroutine leak?")
	updateWith(t, data, index, false, e)
	if len(e.embedded) != 1 || !strings.HasPrefix(e.embedded[0], "What makes a goroutine leak?") {
		t.Fatalf("one question edited: embedded %q", e.embedded)
	}
	after := readVectors(t, index)
	if after.Len() != first {
		t.Fatalf("%d vectors after the edit, want %d", after.Len(), first)
	}
	ids := slices.Clone(after.IDs)
	slices.Sort(ids)
	orig := slices.Clone(v.IDs)
	slices.Sort(orig)
	if !slices.Equal(ids, orig) {
		t.Errorf("documents of the vectors changed:\n%v\n%v", ids, orig)
	}

	e2 := &fakeEmbedder{id: "fake@2"}
	updateWith(t, data, index, false, e2)
	if len(e2.embedded) != first {
		t.Errorf("another model embedded %d passages, want %d", len(e2.embedded), first)
	}

	rep = updateWith(t, data, index, true, nil)
	if rep.Manifest.Semantic == nil || rep.Manifest.Semantic.Model != "" || rep.Manifest.Semantic.Off == "" {
		t.Errorf("no model: manifest says %+v", rep.Manifest.Semantic)
	}
}

// TestVectorsFileRoundTrip: what writeVectors writes, ReadVectors reads back; a
// truncated file is an error naming it.
func TestVectorsFileRoundTrip(t *testing.T) {
	v := &Vectors{Model: "m@1", Dim: 2, IDs: []string{"a#1", "blog/b"}, Digests: make([][32]byte, 2), Data: []float32{0.6, 0.8, -1, 0}}
	v.Digests[1][0] = 7
	var buf bytes.Buffer
	if err := encodeVectors(&buf, v); err != nil {
		t.Fatal(err)
	}
	got, err := decodeVectors(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got.Model != v.Model || got.Dim != 2 || !slices.Equal(got.IDs, v.IDs) || !slices.Equal(got.Data, v.Data) || got.Digests[1] != v.Digests[1] {
		t.Fatalf("read back %+v", got)
	}
	if _, err := decodeVectors(bytes.NewReader(buf.Bytes()[:buf.Len()-3])); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated: %v, want an unexpected EOF", err)
	}
}

// BenchmarkReadVectors100k reads the vectors of 100k questions (384 dimensions), as
// search.Open does.
func BenchmarkReadVectors100k(b *testing.B) {
	v := &Vectors{Model: "m@1", Dim: 384}
	for i := range 100_000 {
		v.IDs = append(v.IDs, fmt.Sprintf("framework/topic/subtopic-%d#question-%d", i/10, i))
	}
	v.Digests = make([][32]byte, len(v.IDs))
	v.Data = make([]float32, len(v.IDs)*v.Dim)
	for i := range v.Data {
		v.Data[i] = float32(i%97) / 97
	}
	dir := b.TempDir()
	if err := writeVectors(dir, v); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := ReadVectors(dir); err != nil {
			b.Fatal(err)
		}
	}
}
