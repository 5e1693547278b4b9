package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"qdex/embed"
)

// defaultModel is where `make model` puts the sentence encoder.
const defaultModel = "var/model/all-minilm-l6-v2-q"

// modelFlag adds --model to a command: the sentence encoder's directory (default
// $QDEX_MODEL, else where make model puts it).
func modelFlag(fs *flag.FlagSet) *string {
	def := os.Getenv("QDEX_MODEL")
	if def == "" {
		def = defaultModel
	}
	return fs.String("model", def, "sentence-embedding model directory, with model.json (ONNX Runtime: $"+embed.RuntimeEnv+"); semantic search is off without one")
}

// openModel loads the model in dir. A model that is not there is no error: search is
// lexical, and off says why.
func openModel(dir string, opts embed.Options) (m *embed.Model, off string, err error) {
	if _, err := os.Stat(filepath.Join(dir, "model.json")); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Sprintf("no model at %s (make model fetches one)", dir), nil
	}
	m, err = embed.Open(dir, opts)
	if err != nil {
		return nil, "", err
	}
	return m, "", nil
}
