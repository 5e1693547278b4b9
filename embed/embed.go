// Package embed turns text into sentence vectors with a BERT-style encoder run by ONNX
// Runtime on the CPU. It is the only package that imports the ONNX binding, so the
// rest of qdex sees a model as a function from strings to unit vectors and builds and
// tests without cgo's runtime library present.
//
// A model is a directory with a model.json (see Config), the ONNX file and the
// tokenizer it names; `make model` puts the default one in var/model/<name> and the
// runtime library beside it in var/model/libonnxruntime.so.1.
package embed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// RuntimeEnv names the environment variable that gives the ONNX Runtime shared
// library's path when Options.Runtime is empty.
const RuntimeEnv = "QDEX_ONNXRUNTIME"

// RuntimeFile is the library's name where `make model` puts it: in the parent of
// the model directory.
const RuntimeFile = "libonnxruntime.so.1"

// Options tune how a model runs. The zero value is one inference at a time on one
// thread, which leaves the second core of a small machine to the lexical search.
type Options struct {
	// Runtime is the path of libonnxruntime; empty means $QDEX_ONNXRUNTIME, and when
	// that is empty too, RuntimeFile in the model directory's parent. The first Open
	// of the process loads it; a later Open naming another library fails.
	Runtime string
	// Threads is ONNX Runtime's intra-op thread count for one inference (default 1).
	Threads int
	// Parallel is how many inferences may run at once on the shared session
	// (default 1); callers beyond it wait.
	Parallel int
	// BatchSize is the most passages one inference takes in EmbedPassages (default 1).
	// Leave it at 1 for a quantised model: their graphs quantise activations with one
	// scale per tensor, so a passage's vector would depend on the other passages of
	// its batch and on their padding (cosine with the unbatched vector down to 0.96
	// for short texts), and a vector cached by the passage's content would not be
	// reproducible. Full-precision models batch exactly.
	BatchSize int
}

// Model is an open encoder. It is safe for concurrent use.
type Model struct {
	cfg     Config
	id      string
	tok     *wordpiece
	session *ort.DynamicAdvancedSession
	typeIDs bool // the graph takes token_type_ids
	pooled  bool // the output is already batch × dimension
	slots   chan struct{}
	batch   int
	closeMu sync.RWMutex // held for reading by inferences, for writing by Close
	closed  bool
}

// ErrClosed is returned by a Model used after Close.
var ErrClosed = errors.New("embed: model is closed")

// runtime is the process's one ONNX Runtime environment, loaded by the first Open and
// kept until the process ends: the binding cannot load a second library, and
// destroying and re-creating the environment buys nothing.
var runtime struct {
	sync.Mutex
	path string
}

func initRuntime(path string) error {
	runtime.Lock()
	defer runtime.Unlock()
	if runtime.path != "" {
		if runtime.path != path {
			return fmt.Errorf("embed: ONNX Runtime is already loaded from %s; cannot load %s too", runtime.path, path)
		}
		return nil
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("embed: ONNX Runtime library (run make model, or set %s): %w", RuntimeEnv, err)
	}
	ort.SetSharedLibraryPath(path)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		return fmt.Errorf("embed: loading ONNX Runtime from %s: %w", path, err)
	}
	runtime.path = path
	return nil
}

// RuntimePath is the library Open would load for the model directory dir.
func RuntimePath(dir string, opts Options) string {
	if opts.Runtime != "" {
		return opts.Runtime
	}
	if p := os.Getenv(RuntimeEnv); p != "" {
		return p
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	return filepath.Join(filepath.Dir(abs), RuntimeFile)
}

// Open loads the model in dir. Errors name the file concerned; a missing file's error
// wraps fs.ErrNotExist, so a caller can tell "no model here" from a broken one.
func Open(dir string, opts Options) (*Model, error) {
	cfg, err := LoadConfig(dir)
	if err != nil {
		return nil, err
	}
	tokLower := true
	if cfg.Lowercase != nil {
		tokLower = *cfg.Lowercase
	}
	tok, err := loadTokenizer(filepath.Join(dir, cfg.Tokenizer), tokLower)
	if err != nil {
		return nil, err
	}
	onnxPath := filepath.Join(dir, cfg.ONNX)
	id, err := identity(cfg, onnxPath, filepath.Join(dir, cfg.Tokenizer))
	if err != nil {
		return nil, err
	}
	if err := initRuntime(RuntimePath(dir, opts)); err != nil {
		return nil, err
	}

	m := &Model{cfg: *cfg, id: id, tok: tok}
	inputs, outputs, err := ort.GetInputOutputInfo(onnxPath)
	if err != nil {
		return nil, fmt.Errorf("embed: %s: %w", onnxPath, err)
	}
	names := map[string]bool{}
	for _, in := range inputs {
		names[in.Name] = true
	}
	if !names["input_ids"] || !names["attention_mask"] {
		return nil, fmt.Errorf("embed: %s: inputs %v; want input_ids and attention_mask", onnxPath, inputs)
	}
	m.typeIDs = names["token_type_ids"]
	if len(inputs) != len(names) || len(inputs) > 3 || len(inputs) == 3 && !m.typeIDs {
		return nil, fmt.Errorf("embed: %s: inputs %v; want input_ids, attention_mask and perhaps token_type_ids", onnxPath, inputs)
	}
	if len(outputs) == 0 {
		return nil, fmt.Errorf("embed: %s: the model has no output", onnxPath)
	}
	out := outputs[0]
	for _, o := range outputs {
		if o.Name == "last_hidden_state" {
			out = o
		}
	}
	switch d := out.Dimensions; {
	case len(d) == 3 && (d[2] < 0 || d[2] == int64(cfg.Dimension)):
	case len(d) == 2 && (d[1] < 0 || d[1] == int64(cfg.Dimension)):
		m.pooled = true
	default:
		return nil, fmt.Errorf("embed: %s: output %s has shape %v; want batch × tokens × %d (dimension in %s)",
			onnxPath, out.Name, d, cfg.Dimension, ConfigFile)
	}

	so, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("embed: session options: %w", err)
	}
	defer so.Destroy()
	threads := max(opts.Threads, 1)
	if err := so.SetIntraOpNumThreads(threads); err != nil {
		return nil, fmt.Errorf("embed: intra-op threads: %w", err)
	}
	if err := so.SetInterOpNumThreads(1); err != nil {
		return nil, fmt.Errorf("embed: inter-op threads: %w", err)
	}
	// Spinning threads would keep a core busy between queries, taking it from the
	// lexical search that shares the machine.
	if err := so.AddSessionConfigEntry("session.intra_op.allow_spinning", "0"); err != nil {
		return nil, fmt.Errorf("embed: session config: %w", err)
	}
	in := []string{"input_ids", "attention_mask"}
	if m.typeIDs {
		in = append(in, "token_type_ids")
	}
	m.session, err = ort.NewDynamicAdvancedSession(onnxPath, in, []string{out.Name}, so)
	if err != nil {
		return nil, fmt.Errorf("embed: %s: %w", onnxPath, err)
	}
	m.slots = make(chan struct{}, max(opts.Parallel, 1))
	m.batch = opts.BatchSize
	if m.batch <= 0 {
		m.batch = 1
	}
	return m, nil
}

// identity is the model's name and a digest of everything that decides its vectors:
// the ONNX file, the tokenizer file, and the configuration's pooling, normalisation,
// prefixes and token limit. The name alone would let an edited model.json or a new
// download pass for the old model.
func identity(cfg *Config, onnxPath, tokPath string) (string, error) {
	h := sha256.New()
	for _, p := range []string{onnxPath, tokPath} {
		f, err := os.Open(p)
		if err != nil {
			return "", fmt.Errorf("embed: model file: %w", err)
		}
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", fmt.Errorf("embed: %s: %w", p, err)
		}
	}
	fmt.Fprintf(h, "\x00%s\x00%t\x00%q\x00%q\x00%d\x00%d\x00%v", cfg.Pooling, cfg.Normalize,
		cfg.QueryPrefix, cfg.PassagePrefix, cfg.MaxTokens, cfg.Dimension, cfg.Lowercase == nil || *cfg.Lowercase)
	return cfg.Name + "@" + hex.EncodeToString(h.Sum(nil))[:12], nil
}

// Dim is the length of the vectors.
func (m *Model) Dim() int { return m.cfg.Dimension }

// SimilarityFloor is the least cosine similarity of a semantic hit.
func (m *Model) SimilarityFloor() float32 {
	if m.cfg.SimilarityFloor == 0 {
		return 0.5
	}
	return m.cfg.SimilarityFloor
}

// ID names the model and what its vectors depend on (name@12 hex digits of a SHA-256
// over the ONNX file, the tokenizer file and model.json's pooling, normalisation,
// prefixes and token limit), so that vectors stored under one ID are never compared
// with another's: a changed ID means re-embedding.
func (m *Model) ID() string { return m.id }

// Config is the model's configuration as read from model.json.
func (m *Model) Config() Config { return m.cfg }

// Tokens returns the token ids the model reads for text (no prefix added), [CLS] and
// [SEP] included, cut to the model's limit.
func (m *Model) Tokens(text string) []int64 { return m.tok.encode(text, m.cfg.MaxTokens) }

// EmbedQuery returns the vector of a search query, with the model's query prefix.
// The context is checked while waiting for a free inference slot; a running
// inference is not interrupted.
func (m *Model) EmbedQuery(ctx context.Context, text string) ([]float32, error) {
	vs, err := m.run(ctx, [][]int64{m.tok.encode(m.cfg.QueryPrefix+text, m.cfg.MaxTokens)})
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

// EmbedPassages returns the vectors of texts to be searched, with the model's passage
// prefix, in the order given. Texts of similar length are batched together so that
// little of each batch is padding. The context is checked before each inference.
func (m *Model) EmbedPassages(ctx context.Context, texts []string) ([][]float32, error) {
	toks := make([][]int64, len(texts))
	order := make([]int, len(texts))
	for i, t := range texts {
		toks[i] = m.tok.encode(m.cfg.PassagePrefix+t, m.cfg.MaxTokens)
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(toks[a]) - len(toks[b]) })
	out := make([][]float32, len(texts))
	for start := 0; start < len(order); start += m.batch {
		idx := order[start:min(start+m.batch, len(order))]
		batch := make([][]int64, len(idx))
		for j, i := range idx {
			batch[j] = toks[i]
		}
		vs, err := m.run(ctx, batch)
		if err != nil {
			return nil, err
		}
		for j, i := range idx {
			out[i] = vs[j]
		}
	}
	return out, nil
}

// run infers one batch of token sequences, padded to the longest, and pools.
func (m *Model) run(ctx context.Context, seqs [][]int64) ([][]float32, error) {
	// A free slot would win the select below half the time over a cancelled context.
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	select {
	case m.slots <- struct{}{}:
		defer func() { <-m.slots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	m.closeMu.RLock()
	defer m.closeMu.RUnlock()
	if m.closed {
		return nil, ErrClosed
	}

	b, n := len(seqs), 0
	for _, s := range seqs {
		n = max(n, len(s))
	}
	ids := make([]int64, b*n)
	mask := make([]int64, b*n)
	for i, s := range seqs {
		copy(ids[i*n:], s)
		for j := range s {
			mask[i*n+j] = 1
		}
	}
	shape := ort.NewShape(int64(b), int64(n))
	var inputs []ort.Value
	defer func() {
		for _, v := range inputs {
			v.Destroy()
		}
	}()
	for _, data := range [][]int64{ids, mask, make([]int64, b*n)}[:2+btoi(m.typeIDs)] {
		t, err := ort.NewTensor(shape, data)
		if err != nil {
			return nil, fmt.Errorf("embed: input tensor: %w", err)
		}
		inputs = append(inputs, t)
	}
	outputs := []ort.Value{nil}
	if err := m.session.Run(inputs, outputs); err != nil {
		return nil, fmt.Errorf("embed: %s: inference: %w", m.cfg.Name, err)
	}
	defer outputs[0].Destroy()
	t, ok := outputs[0].(*ort.Tensor[float32])
	if !ok {
		return nil, fmt.Errorf("embed: %s: the output is not a float32 tensor", m.cfg.Name)
	}
	hidden, d := t.GetData(), m.cfg.Dimension
	want := b * n * d
	if m.pooled {
		want = b * d
	}
	if len(hidden) != want {
		return nil, fmt.Errorf("embed: %s: output has %d values, want %d (shape %v)", m.cfg.Name, len(hidden), want, t.GetShape())
	}

	vecs := make([][]float32, b)
	for i, s := range seqs {
		v := make([]float32, d)
		switch {
		case m.pooled:
			copy(v, hidden[i*d:(i+1)*d])
		case m.cfg.Pooling == "cls":
			copy(v, hidden[i*n*d:i*n*d+d])
		default: // mean over the sequence's own tokens; its padding is masked out
			acc := make([]float64, d)
			for j := range s {
				row := hidden[(i*n+j)*d : (i*n+j+1)*d]
				for k, x := range row {
					acc[k] += float64(x)
				}
			}
			for k := range v {
				v[k] = float32(acc[k] / float64(len(s)))
			}
		}
		if m.cfg.Normalize {
			normalize(v)
		}
		vecs[i] = v
	}
	return vecs, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// normalize scales v to unit length; a zero vector stays zero.
func normalize(v []float32) {
	var s float64
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	if s == 0 {
		return
	}
	inv := 1 / math.Sqrt(s)
	for i := range v {
		v[i] = float32(float64(v[i]) * inv)
	}
}

// Close releases the session once running inferences finish; later calls fail with
// ErrClosed. The runtime library stays loaded for the process.
func (m *Model) Close() error {
	m.closeMu.Lock()
	defer m.closeMu.Unlock()
	if m.closed {
		return nil
	}
	m.closed = true
	return m.session.Destroy()
}
