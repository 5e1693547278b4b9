package indexer

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blevesearch/bleve/v2"
)

// The index's words with their document frequencies feed typo correction,
// completions and word forms. They are written beside the index when it is built:
// reading them from bleve's dictionaries when the index opens took most of the open
// time, and the dictionaries' counts touch the postings of every word, so a server
// began with most of the index's pages in memory.

// VocabularyFields are the fields whose words are kept.
var VocabularyFields = []string{FieldQuestionExact, FieldAnswerExact, FieldContextExact, FieldCode}

// MaxVocabularyWord bounds the length in bytes of the words kept: longer ones are not
// typed. Words of one byte are not kept either.
const MaxVocabularyWord = 40

const (
	vocabularyFile  = "vocabulary.bin"
	vocabularyMagic = "qdex vocabulary 1\n"
)

// FieldWords are one field's words in byte order and, for each, the number of
// documents with it.
type FieldWords struct {
	Words  []string
	Counts []int32
}

// writeVocabulary writes the words of idx's VocabularyFields into buildDir.
func writeVocabulary(idx bleve.Index, buildDir string) error {
	path := filepath.Join(buildDir, vocabularyFile)
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	var buf [binary.MaxVarintLen64]byte
	uvarint := func(n uint64) { w.Write(buf[:binary.PutUvarint(buf[:], n)]) }
	str := func(s string) { uvarint(uint64(len(s))); w.WriteString(s) }
	w.WriteString(vocabularyMagic)
	uvarint(uint64(len(VocabularyFields)))
	for _, field := range VocabularyFields {
		d, err := idx.FieldDict(field)
		if err != nil {
			f.Close()
			return fmt.Errorf("index: vocabulary of %s: %w", field, err)
		}
		var words []string
		var counts []uint64
		for e, err := d.Next(); err == nil && e != nil; e, err = d.Next() {
			if len(e.Term) >= 2 && len(e.Term) <= MaxVocabularyWord {
				words = append(words, e.Term)
				counts = append(counts, e.Count)
			}
		}
		d.Close()
		str(field)
		uvarint(uint64(len(words)))
		for i, t := range words {
			str(t)
			uvarint(counts[i])
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("index: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("index: writing %s: %w", path, err)
	}
	return nil
}

// ReadVocabulary reads the words written beside the index in buildDir, by field.
func ReadVocabulary(buildDir string) (map[string]FieldWords, error) {
	path := filepath.Join(buildDir, vocabularyFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// One string holds every word: each is a piece of it, not an allocation of its own.
	s := string(data)
	if len(s) < len(vocabularyMagic) || s[:len(vocabularyMagic)] != vocabularyMagic {
		return nil, fmt.Errorf("%s: not a qdex vocabulary", path)
	}
	pos := len(vocabularyMagic)
	errTruncated := errors.New("truncated")
	uvarint := func() (uint64, error) {
		n, k := binary.Uvarint(data[pos:])
		if k <= 0 {
			return 0, errTruncated
		}
		pos += k
		return n, nil
	}
	str := func() (string, error) {
		n, err := uvarint()
		if err != nil || n > uint64(len(s)-pos) {
			return "", errTruncated
		}
		pos += int(n)
		return s[pos-int(n) : pos], nil
	}
	out := map[string]FieldWords{}
	fields, err := uvarint()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for range fields {
		field, err := str()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		n, err := uvarint()
		if err != nil || n > uint64(len(s)-pos) {
			return nil, fmt.Errorf("%s: %s: %w", path, field, errTruncated)
		}
		fw := FieldWords{Words: make([]string, n), Counts: make([]int32, n)}
		for i := range fw.Words {
			if fw.Words[i], err = str(); err != nil {
				return nil, fmt.Errorf("%s: %s: word %d: %w", path, field, i, err)
			}
			c, err := uvarint()
			if err != nil {
				return nil, fmt.Errorf("%s: %s: word %d: %w", path, field, i, err)
			}
			fw.Counts[i] = int32(c)
		}
		out[field] = fw
	}
	if pos != len(s) {
		return nil, fmt.Errorf("%s: %d bytes after the last field", path, len(s)-pos)
	}
	return out, nil
}
