// Package embed runs a BERT-style sentence encoder on the box: tokenisation with the
// model's own tokenizer.json, inference with ONNX Runtime, pooling and L2
// normalisation. It is the only package that loads ONNX Runtime; a model is a
// directory with a model.json that says how to run it (see README).
package embed

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/sugarme/tokenizer"
	"github.com/sugarme/tokenizer/normalizer"
	"github.com/sugarme/tokenizer/pretrained"
	ort "github.com/yalue/onnxruntime_go"
	"golang.org/x/text/unicode/norm"
)

// Config is a model's model.json.
type Config struct {
	Name          string `json:"name"`
	ONNX          string `json:"onnx"`      // file name in the model directory
	Tokenizer     string `json:"tokenizer"` // a Hugging Face tokenizer.json
	Pooling       string `json:"pooling"`   // "mean" (over the attention mask) or "cls"
	QueryPrefix   string `json:"query_prefix"`
	PassagePrefix string `json:"passage_prefix"`
	MaxTokens     int    `json:"max_tokens"` // texts are cut to this many tokens, [CLS] and [SEP] included
	Dim           int    `json:"dim"`
	// Output is the model's output of token states (default last_hidden_state).
	Output string `json:"output"`
	// SimilarityFloor is the least cosine similarity of a semantic hit (default
	// 0.5): models spread similarities on scales of their own.
	SimilarityFloor float32 `json:"similarity_floor"`
}

// RuntimeEnv names the environment variable with the path of ONNX Runtime's shared
// library (libonnxruntime.so.1).
const RuntimeEnv = "QDEX_ONNXRUNTIME"

// Options tune a model.
type Options struct {
	// Runtime is the path of libonnxruntime.so; default $QDEX_ONNXRUNTIME, else
	// onnxruntime/libonnxruntime.so.1 beside the model directory.
	Runtime string
	// Threads bounds the threads one inference uses (default 1): qdex serve runs
	// searches side by side, each on one core.
	Threads int
}

// Model is a loaded encoder. It is safe for concurrent use.
type Model struct {
	cfg   Config
	id    string
	tok   *tokenizer.Tokenizer
	tokMu sync.Mutex
	// decompose puts text in Unicode NFD before the tokenizer strips accents:
	// sugarme/tokenizer removes combining marks without decomposing first.
	decompose bool
	session   *ort.DynamicAdvancedSession
	inputs    []string // the model's input names, in order
}

var (
	envOnce sync.Once
	envErr  error
	envLib  string
)

// initRuntime loads ONNX Runtime once per process.
func initRuntime(lib string) error {
	envOnce.Do(func() {
		envLib = lib
		if _, err := os.Stat(lib); err != nil {
			envErr = fmt.Errorf("ONNX Runtime library: %w (set %s or run make model)", err, RuntimeEnv)
			return
		}
		ort.SetSharedLibraryPath(lib)
		envErr = ort.InitializeEnvironment()
	})
	if envErr == nil && lib != envLib {
		return fmt.Errorf("ONNX Runtime is already loaded from %s", envLib)
	}
	return envErr
}

// DefaultRuntime is where the runtime library is looked for for a model directory.
func DefaultRuntime(modelDir string) string {
	if p := os.Getenv(RuntimeEnv); p != "" {
		return p
	}
	return filepath.Join(filepath.Dir(filepath.Clean(modelDir)), "onnxruntime", "libonnxruntime.so.1")
}

// Open loads the model in dir.
func Open(dir string, opts Options) (*Model, error) {
	cfgPath := filepath.Join(dir, "model.json")
	data, err := os.ReadFile(cfgPath)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	var cfg Config
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", cfgPath, err)
	}
	if cfg.Output == "" {
		cfg.Output = "last_hidden_state"
	}
	if cfg.SimilarityFloor == 0 {
		cfg.SimilarityFloor = 0.5
	}
	switch {
	case cfg.Name == "" || cfg.ONNX == "" || cfg.Tokenizer == "":
		return nil, fmt.Errorf("%s: name, onnx and tokenizer are required", cfgPath)
	case cfg.Pooling != "mean" && cfg.Pooling != "cls":
		return nil, fmt.Errorf("%s: pooling %q: want mean or cls", cfgPath, cfg.Pooling)
	case cfg.MaxTokens < 8 || cfg.MaxTokens > 8192:
		return nil, fmt.Errorf("%s: max_tokens %d: want 8 to 8192", cfgPath, cfg.MaxTokens)
	case cfg.Dim < 1:
		return nil, fmt.Errorf("%s: dim %d: want a positive number", cfgPath, cfg.Dim)
	}
	onnxPath := filepath.Join(dir, cfg.ONNX)
	sum, err := fileDigest(onnxPath)
	if err != nil {
		return nil, fmt.Errorf("model: %w", err)
	}
	if opts.Runtime == "" {
		opts.Runtime = DefaultRuntime(dir)
	}
	if opts.Threads <= 0 {
		opts.Threads = 1
	}
	if err := initRuntime(opts.Runtime); err != nil {
		return nil, err
	}
	tokPath := filepath.Join(dir, cfg.Tokenizer)
	tok, err := pretrained.FromFile(tokPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tokPath, err)
	}
	n, strip, err := bertNormalizer(tokPath)
	if err != nil {
		return nil, err
	}
	if n != nil {
		tok.WithNormalizer(n)
	}
	// Texts are cut to the model's limit; batches are padded here, to their longest.
	tok.WithTruncation(&tokenizer.TruncationParams{MaxLength: cfg.MaxTokens, Strategy: tokenizer.LongestFirst})
	tok.WithPadding(nil)
	ins, outs, err := ort.GetInputOutputInfo(onnxPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", onnxPath, err)
	}
	m := &Model{cfg: cfg, tok: tok, id: cfg.Name + "@" + sum[:12], decompose: strip}
	for _, in := range ins {
		switch in.Name {
		case "input_ids", "attention_mask", "token_type_ids":
			m.inputs = append(m.inputs, in.Name)
		default:
			return nil, fmt.Errorf("%s: input %q: a BERT-style encoder takes input_ids, attention_mask and token_type_ids", onnxPath, in.Name)
		}
	}
	if !slices.ContainsFunc(outs, func(o ort.InputOutputInfo) bool { return o.Name == cfg.Output }) {
		return nil, fmt.Errorf("%s: no output %q", onnxPath, cfg.Output)
	}
	so, err := ort.NewSessionOptions()
	if err != nil {
		return nil, err
	}
	defer so.Destroy()
	if err := so.SetIntraOpNumThreads(opts.Threads); err != nil {
		return nil, err
	}
	if err := so.SetInterOpNumThreads(1); err != nil {
		return nil, err
	}
	if m.session, err = ort.NewDynamicAdvancedSession(onnxPath, m.inputs, []string{cfg.Output}, so); err != nil {
		return nil, fmt.Errorf("%s: %w", onnxPath, err)
	}
	return m, nil
}

// bertNormalizer reads the BertNormalizer of a tokenizer.json again: for
// "strip_accents": null, Hugging Face's tokenizers strip accents when they lower-case,
// and sugarme/tokenizer does not (café would be an unknown word). nil when the file
// has no such normalizer; strip says whether it strips accents.
func bertNormalizer(path string) (n normalizer.Normalizer, strip bool, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, false, err
	}
	var tj struct {
		Normalizer *struct {
			Type               string `json:"type"`
			CleanText          bool   `json:"clean_text"`
			HandleChineseChars bool   `json:"handle_chinese_chars"`
			StripAccents       *bool  `json:"strip_accents"`
			Lowercase          bool   `json:"lowercase"`
		} `json:"normalizer"`
	}
	if err := json.Unmarshal(data, &tj); err != nil {
		return nil, false, fmt.Errorf("%s: %w", path, err)
	}
	bn := tj.Normalizer
	if bn == nil || bn.Type != "BertNormalizer" {
		return nil, false, nil
	}
	strip = bn.Lowercase
	if bn.StripAccents != nil {
		strip = *bn.StripAccents
	}
	return normalizer.NewBertNormalizer(bn.CleanText, bn.Lowercase, bn.HandleChineseChars, strip), strip, nil
}

func fileDigest(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ID names the model and its weights: the name and the start of the ONNX file's
// SHA-256. An index records it; vectors of another ID are not comparable.
func (m *Model) ID() string { return m.id }

// SimilarityFloor is the least cosine similarity of a semantic hit.
func (m *Model) SimilarityFloor() float32 { return m.cfg.SimilarityFloor }

// Dim is the length of the vectors.
func (m *Model) Dim() int { return m.cfg.Dim }

// Config is the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// Close releases the model.
func (m *Model) Close() error { return m.session.Destroy() }

// EmbedQuery embeds a search query, with the model's query prefix.
func (m *Model) EmbedQuery(ctx context.Context, text string) ([]float32, error) {
	vs, err := m.embed(ctx, []string{m.cfg.QueryPrefix + text})
	if err != nil {
		return nil, err
	}
	return vs[0], nil
}

// EmbedPassages embeds passages to search among, with the model's passage prefix.
func (m *Model) EmbedPassages(ctx context.Context, texts []string) ([][]float32, error) {
	in := make([]string, len(texts))
	for i, t := range texts {
		in[i] = m.cfg.PassagePrefix + t
	}
	return m.embed(ctx, in)
}

// Tokens are the token IDs the model reads for text, [CLS] and [SEP] included.
func (m *Model) Tokens(text string) ([]int, error) {
	if m.decompose {
		text = norm.NFD.String(text)
	}
	m.tokMu.Lock()
	defer m.tokMu.Unlock()
	enc, err := m.tok.EncodeSingle(text, true)
	if err != nil {
		return nil, err
	}
	return enc.GetIds(), nil
}

func (m *Model) embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, t := range texts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		ids, err := m.Tokens(t)
		if err != nil {
			return nil, fmt.Errorf("tokenising %.40q: %w", t, err)
		}
		// One text per run: the quantised models quantise their activations over
		// the whole batch, so a text's vector would depend on its batch-mates and
		// their padding (cosine 0.98 to 0.99 against the text alone).
		vs, err := m.run([][]int{ids})
		if err != nil {
			return nil, err
		}
		out[i] = vs[0]
	}
	return out, nil
}

// run embeds one batch of token rows, padded to the longest.
func (m *Model) run(rows [][]int) ([][]float32, error) {
	n, width := len(rows), 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	idData := make([]int64, n*width)
	maskData := make([]int64, n*width)
	for i, r := range rows {
		for j, id := range r {
			idData[i*width+j] = int64(id)
			maskData[i*width+j] = 1
		}
	}
	shape := ort.NewShape(int64(n), int64(width))
	var inputs []ort.Value
	defer func() {
		for _, v := range inputs {
			v.Destroy()
		}
	}()
	for _, name := range m.inputs {
		data := idData
		switch name {
		case "attention_mask":
			data = maskData
		case "token_type_ids":
			data = make([]int64, n*width)
		}
		t, err := ort.NewTensor(shape, data)
		if err != nil {
			return nil, err
		}
		inputs = append(inputs, t)
	}
	outputs := []ort.Value{nil}
	if err := m.session.Run(inputs, outputs); err != nil {
		return nil, fmt.Errorf("model %s: %w", m.cfg.Name, err)
	}
	defer outputs[0].Destroy()
	states, ok := outputs[0].(*ort.Tensor[float32])
	if !ok {
		return nil, errors.New("model output is not a float32 tensor")
	}
	s := states.GetShape()
	if len(s) != 3 || s[0] != int64(n) || s[1] != int64(width) || s[2] != int64(m.cfg.Dim) {
		return nil, fmt.Errorf("model output of shape %v, want [%d %d %d]", s, n, width, m.cfg.Dim)
	}
	h := states.GetData()
	dim := m.cfg.Dim
	out := make([][]float32, n)
	for i, r := range rows {
		v := make([]float32, dim)
		if m.cfg.Pooling == "cls" {
			copy(v, h[i*width*dim:i*width*dim+dim])
		} else {
			for j := range r {
				tok := h[(i*width+j)*dim : (i*width+j+1)*dim]
				for d, x := range tok {
					v[d] += x
				}
			}
			for d := range v {
				v[d] /= float32(len(r))
			}
		}
		normalize(v)
		out[i] = v
	}
	return out, nil
}

func normalize(v []float32) {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 {
		return
	}
	inv := float32(1 / math.Sqrt(sum))
	for i := range v {
		v[i] *= inv
	}
}
