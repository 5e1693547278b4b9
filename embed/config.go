package embed

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// ConfigFile is the name of the model configuration inside a model directory.
const ConfigFile = "model.json"

// Config describes a BERT-style encoder: which files hold it, how its output becomes
// one vector, and what it expects in front of the text. It is model.json in a model
// directory; writing one is all it takes to use an encoder qdex was not shipped with.
type Config struct {
	// Name identifies the model in logs and in ID.
	Name string `json:"name"`
	// ONNX is the model file, relative to the directory. Its inputs are input_ids and
	// attention_mask (int64, batch × tokens), and token_type_ids when the graph has it;
	// its first output is the last hidden state (batch × tokens × dimension) or an
	// already pooled batch × dimension.
	ONNX string `json:"onnx"`
	// Tokenizer is a Hugging Face tokenizer.json with a WordPiece model, or a BERT
	// vocab.txt (one token per line; then Lowercase says whether to lowercase).
	Tokenizer string `json:"tokenizer"`
	// Lowercase applies to a vocab.txt only; tokenizer.json says it itself. Default true.
	Lowercase *bool `json:"lowercase,omitempty"`
	// Pooling is "mean" (average over the attended tokens) or "cls" (the first token).
	Pooling string `json:"pooling"`
	// Normalize scales each vector to unit length, so a dot product is the cosine.
	Normalize bool `json:"normalize"`
	// QueryPrefix and PassagePrefix go in front of the text, for models trained with
	// them (e5: "query: " and "passage: "; bge: an instruction for queries).
	QueryPrefix   string `json:"query_prefix"`
	PassagePrefix string `json:"passage_prefix"`
	// MaxTokens is the most tokens one input may have, [CLS] and [SEP] included;
	// longer texts are cut at the end.
	MaxTokens int `json:"max_tokens"`
	// Dimension is the length of the vectors; Open checks the model agrees.
	Dimension int `json:"dimension"`
	// SimilarityFloor is the least cosine similarity of a semantic hit (default 0.5):
	// each model spreads its similarities on a scale of its own.
	SimilarityFloor float32 `json:"similarity_floor,omitempty"`
}

// LoadConfig reads and checks dir/model.json.
func LoadConfig(dir string) (*Config, error) {
	path := filepath.Join(dir, ConfigFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("embed: model config: %w", err)
	}
	var c Config
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("embed: %s: %w", path, err)
	}
	if err := c.check(); err != nil {
		return nil, fmt.Errorf("embed: %s: %w", path, err)
	}
	return &c, nil
}

func (c *Config) check() error {
	switch {
	case c.Name == "":
		return fmt.Errorf("name is empty")
	case c.ONNX == "":
		return fmt.Errorf("onnx (the model file) is empty")
	case c.Tokenizer == "":
		return fmt.Errorf("tokenizer (tokenizer.json or vocab.txt) is empty")
	case c.Pooling != "mean" && c.Pooling != "cls":
		return fmt.Errorf("pooling is %q; want mean or cls", c.Pooling)
	case c.MaxTokens < 3:
		return fmt.Errorf("max_tokens is %d; want at least 3", c.MaxTokens)
	case c.Dimension < 1:
		return fmt.Errorf("dimension is %d; want the vector length", c.Dimension)
	}
	return nil
}
