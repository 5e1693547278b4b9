package indexer

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"
)

// Embedder turns passages into unit vectors: the sentence-embedding model (package
// embed) when there is one. indexer does not know how.
type Embedder interface {
	// ID names the model and its weights: vectors of another ID are not comparable.
	ID() string
	Dim() int
	EmbedPassages(ctx context.Context, texts []string) ([][]float32, error)
}

// vectorsFile holds a build's passage vectors, beside the bleve index.
const vectorsFile = "vectors.bin"

// vectorsMagic opens the file; its last byte is the format version.
var vectorsMagic = [8]byte{'q', 'd', 'x', 'v', 'e', 'c', 0, 1}

// Limits that keep a corrupt file from asking for absurd allocations.
const (
	maxVectorDim   = 4096
	maxVectorCount = 50_000_000
)

// Vectors are an index's passage vectors: one or more per document (a question has
// one, an article one per section), in one block of Dim floats per passage.
type Vectors struct {
	Model   string
	Dim     int
	IDs     []string   // the document of each passage
	Digests [][32]byte // what was embedded: SHA-256 of the model ID and the text
	Data    []float32  // len(IDs) × Dim, L2-normalised rows
}

// Len is the number of passages.
func (v *Vectors) Len() int { return len(v.IDs) }

// Row is passage i's vector.
func (v *Vectors) Row(i int) []float32 { return v.Data[i*v.Dim : (i+1)*v.Dim] }

// passage is one text to embed for a document.
type passage struct {
	id, text string
}

func passageDigest(model, text string) [32]byte {
	return sha256.Sum256([]byte(model + "\x00" + text))
}

// ReadVectors reads the vectors of a build directory; it returns nil and no error
// when the build has none (built without a model).
func ReadVectors(buildDir string) (*Vectors, error) {
	p := filepath.Join(buildDir, vectorsFile)
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	v, err := decodeVectors(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return v, nil
}

func decodeVectors(r io.Reader) (*Vectors, error) {
	var magic [8]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if magic != vectorsMagic {
		return nil, fmt.Errorf("not a vectors file of this version (%q)", magic[:])
	}
	var hdr struct{ Dim, Count, ModelLen uint32 }
	if err := binary.Read(r, binary.LittleEndian, &hdr); err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	if hdr.Dim == 0 || hdr.Dim > maxVectorDim || hdr.Count > maxVectorCount || hdr.ModelLen > 4096 {
		return nil, fmt.Errorf("header: dimension %d, %d vectors, model name of %d bytes: out of range", hdr.Dim, hdr.Count, hdr.ModelLen)
	}
	model := make([]byte, hdr.ModelLen)
	if _, err := io.ReadFull(r, model); err != nil {
		return nil, fmt.Errorf("model name: %w", err)
	}
	v := &Vectors{Model: string(model), Dim: int(hdr.Dim), IDs: make([]string, hdr.Count), Digests: make([][32]byte, hdr.Count)}
	var idLen [2]byte
	for i := range v.IDs {
		if _, err := io.ReadFull(r, idLen[:]); err != nil {
			return nil, fmt.Errorf("passage %d: %w", i, err)
		}
		id := make([]byte, binary.LittleEndian.Uint16(idLen[:]))
		if _, err := io.ReadFull(r, id); err != nil {
			return nil, fmt.Errorf("passage %d: %w", i, err)
		}
		v.IDs[i] = string(id)
		if _, err := io.ReadFull(r, v.Digests[i][:]); err != nil {
			return nil, fmt.Errorf("passage %d: %w", i, err)
		}
	}
	v.Data = make([]float32, int(hdr.Count)*v.Dim)
	buf := make([]byte, 4*v.Dim)
	for i := 0; i < int(hdr.Count); i++ {
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, fmt.Errorf("vector %d: %w", i, err)
		}
		row := v.Row(i)
		for j := range row {
			row[j] = math.Float32frombits(binary.LittleEndian.Uint32(buf[4*j:]))
		}
	}
	return v, nil
}

// writeVectors writes v into the build directory.
func writeVectors(buildDir string, v *Vectors) error {
	p := filepath.Join(buildDir, vectorsFile)
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = encodeVectors(w, v)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	return nil
}

func encodeVectors(w io.Writer, v *Vectors) error {
	if _, err := w.Write(vectorsMagic[:]); err != nil {
		return err
	}
	hdr := struct{ Dim, Count, ModelLen uint32 }{uint32(v.Dim), uint32(len(v.IDs)), uint32(len(v.Model))}
	if err := binary.Write(w, binary.LittleEndian, hdr); err != nil {
		return err
	}
	if _, err := io.WriteString(w, v.Model); err != nil {
		return err
	}
	for i, id := range v.IDs {
		if len(id) > math.MaxUint16 {
			return fmt.Errorf("document ID of %d bytes", len(id))
		}
		if err := binary.Write(w, binary.LittleEndian, uint16(len(id))); err != nil {
			return err
		}
		if _, err := io.WriteString(w, id); err != nil {
			return err
		}
		if _, err := w.Write(v.Digests[i][:]); err != nil {
			return err
		}
	}
	buf := make([]byte, 4*v.Dim)
	for i := range v.IDs {
		for j, x := range v.Row(i) {
			binary.LittleEndian.PutUint32(buf[4*j:], math.Float32bits(x))
		}
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// EmbedStats say what a build embedded.
type EmbedStats struct {
	Passages int     `json:"passages"`
	Embedded int     `json:"embedded"` // passages the model ran on
	Reused   int     `json:"reused"`   // passages whose vector the previous index had
	Seconds  float64 `json:"seconds"`
}

// embedBatch is how many passages go to the model at once.
const embedBatch = 32

// embedPassages embeds the passages, taking the vector of any text embedded before
// (by the same model) from prev, and reporting progress on w every second.
func embedPassages(ctx context.Context, e Embedder, ps []passage, prev *Vectors, w io.Writer) (*Vectors, EmbedStats, error) {
	start := time.Now()
	model := e.ID()
	v := &Vectors{Model: model, Dim: e.Dim(), IDs: make([]string, len(ps)), Digests: make([][32]byte, len(ps)), Data: make([]float32, len(ps)*e.Dim())}
	known := map[[32]byte]int{}
	if prev != nil && prev.Model == model && prev.Dim == v.Dim {
		for i, d := range prev.Digests {
			known[d] = i
		}
	}
	st := EmbedStats{Passages: len(ps)}
	var todo []int
	for i, p := range ps {
		v.IDs[i], v.Digests[i] = p.id, passageDigest(model, p.text)
		if j, ok := known[v.Digests[i]]; ok {
			copy(v.Row(i), prev.Row(j))
			st.Reused++
			continue
		}
		todo = append(todo, i)
	}
	last := time.Now()
	for b := 0; b < len(todo); b += embedBatch {
		if err := ctx.Err(); err != nil {
			return nil, st, err
		}
		batch := todo[b:min(len(todo), b+embedBatch)]
		texts := make([]string, len(batch))
		for k, i := range batch {
			texts[k] = ps[i].text
		}
		out, err := e.EmbedPassages(ctx, texts)
		if err != nil {
			return nil, st, fmt.Errorf("embedding %s: %w", ps[batch[0]].id, err)
		}
		if len(out) != len(batch) {
			return nil, st, fmt.Errorf("embedding: %d vectors for %d passages", len(out), len(batch))
		}
		for k, i := range batch {
			if len(out[k]) != v.Dim {
				return nil, st, fmt.Errorf("embedding %s: %d dimensions, want %d", ps[i].id, len(out[k]), v.Dim)
			}
			copy(v.Row(i), out[k])
		}
		st.Embedded += len(batch)
		if w != nil && time.Since(last) >= time.Second {
			last = time.Now()
			rate := float64(st.Embedded) / time.Since(start).Seconds()
			left := time.Duration(float64(len(todo)-st.Embedded) / rate * float64(time.Second))
			fmt.Fprintf(w, "embedded %d/%d passages, %.0f/s, %s left\n", st.Embedded, len(todo), rate, left.Round(time.Second))
		}
	}
	st.Seconds = time.Since(start).Seconds()
	return v, st, nil
}

// SemanticInfo is what a manifest says of the index's vectors.
type SemanticInfo struct {
	Model string `json:"model,omitempty"` // the embedder's ID; "" when off
	Dim   int    `json:"dim,omitempty"`
	EmbedStats
	Off string `json:"off,omitempty"` // why the index has no vectors
}

// embedDocuments embeds the passages with the build's embedder, reusing prev's
// vectors, and records what it did in the manifest; nil vectors without an embedder.
func embedDocuments(ctx context.Context, ps []passage, prev *Vectors, opts Options, m *Manifest) (*Vectors, error) {
	if opts.Embedder == nil {
		m.Semantic = &SemanticInfo{Off: opts.SemanticOff}
		if m.Semantic.Off == "" {
			m.Semantic.Off = "no model"
		}
		return nil, nil
	}
	v, st, err := embedPassages(ctx, opts.Embedder, ps, prev, opts.Progress)
	if err != nil {
		return nil, err
	}
	m.Semantic = &SemanticInfo{Model: v.Model, Dim: v.Dim, EmbedStats: st}
	return v, nil
}

// without is v less the passages of the documents given.
func (v *Vectors) without(ids map[string]bool) *Vectors {
	out := &Vectors{Model: v.Model, Dim: v.Dim}
	for i, id := range v.IDs {
		if !ids[id] {
			out.IDs = append(out.IDs, id)
			out.Digests = append(out.Digests, v.Digests[i])
			out.Data = append(out.Data, v.Row(i)...)
		}
	}
	return out
}

// with is v and more's passages after them.
func (v *Vectors) with(more *Vectors) *Vectors {
	v.IDs = append(v.IDs, more.IDs...)
	v.Digests = append(v.Digests, more.Digests...)
	v.Data = append(v.Data, more.Data...)
	return v
}

// embedderID is the ID of the build's model, "" for none.
func embedderID(o Options) string {
	if o.Embedder == nil {
		return ""
	}
	return o.Embedder.ID()
}

// semanticModel is the model the index's vectors were embedded with, "" for none.
func (m *Manifest) semanticModel() string {
	if m.Semantic == nil {
		return ""
	}
	return m.Semantic.Model
}
