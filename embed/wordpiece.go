package embed

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// wordpiece is BERT's tokenizer: clean, split CJK ideographs apart, strip accents,
// lowercase, split at whitespace and punctuation, then cut each word into the longest
// vocabulary pieces from the left. It follows Hugging Face's BertNormalizer,
// BertPreTokenizer and WordPiece, which the reference vectors were made with.
//
// It is written here rather than taken from github.com/sugarme/tokenizer: v0.3.0 of
// that library turns accented words into [UNK] (it does not strip accents when the
// tokenizer.json leaves strip_accents to follow lowercase, as every model here does),
// and brings a progress bar and download code that qdex has no use for.
type wordpiece struct {
	vocab    map[string]int64
	prefix   string // continuing_subword_prefix, "##"
	maxChars int    // a longer word is [UNK]
	unk      int64
	cls, sep int64

	clean, chinese, strip, lower bool

	// special are the added tokens matched in the raw text before normalising
	// ("[SEP]" typed in a question is the separator, as in the reference tokenizer),
	// longest first.
	special []string
}

// hfTokenizer is the part of a tokenizer.json that a BERT WordPiece tokenizer uses.
type hfTokenizer struct {
	AddedTokens []struct {
		ID         int64  `json:"id"`
		Content    string `json:"content"`
		Normalized bool   `json:"normalized"`
	} `json:"added_tokens"`
	Normalizer *struct {
		Type               string `json:"type"`
		CleanText          bool   `json:"clean_text"`
		HandleChineseChars bool   `json:"handle_chinese_chars"`
		StripAccents       *bool  `json:"strip_accents"`
		Lowercase          bool   `json:"lowercase"`
	} `json:"normalizer"`
	PreTokenizer *struct {
		Type string `json:"type"`
	} `json:"pre_tokenizer"`
	Model struct {
		Type                    string           `json:"type"`
		UnkToken                string           `json:"unk_token"`
		ContinuingSubwordPrefix string           `json:"continuing_subword_prefix"`
		MaxInputCharsPerWord    int              `json:"max_input_chars_per_word"`
		Vocab                   map[string]int64 `json:"vocab"`
	} `json:"model"`
}

// loadTokenizer reads a tokenizer.json, or a vocab.txt when the name ends in .txt.
func loadTokenizer(path string, lowercase bool) (*wordpiece, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("embed: tokenizer: %w", err)
	}
	var w *wordpiece
	if strings.HasSuffix(path, ".txt") {
		w, err = vocabTxt(data, lowercase)
	} else {
		w, err = tokenizerJSON(data)
	}
	if err != nil {
		return nil, fmt.Errorf("embed: %s: %w", path, err)
	}
	return w, nil
}

func tokenizerJSON(data []byte) (*wordpiece, error) {
	var t hfTokenizer
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, err
	}
	if t.Model.Type != "WordPiece" {
		return nil, fmt.Errorf("model type %q: only WordPiece (BERT) tokenizers are supported", t.Model.Type)
	}
	if n := t.Normalizer; n != nil && n.Type != "BertNormalizer" {
		return nil, fmt.Errorf("normalizer %q: only BertNormalizer is supported", n.Type)
	}
	if p := t.PreTokenizer; p != nil && p.Type != "BertPreTokenizer" {
		return nil, fmt.Errorf("pre_tokenizer %q: only BertPreTokenizer is supported", p.Type)
	}
	w := &wordpiece{
		vocab:    t.Model.Vocab,
		prefix:   t.Model.ContinuingSubwordPrefix,
		maxChars: t.Model.MaxInputCharsPerWord,
	}
	if n := t.Normalizer; n != nil {
		w.clean, w.chinese, w.lower = n.CleanText, n.HandleChineseChars, n.Lowercase
		w.strip = n.Lowercase // strip_accents: null follows lowercase
		if n.StripAccents != nil {
			w.strip = *n.StripAccents
		}
	}
	for _, a := range t.AddedTokens {
		if _, ok := w.vocab[a.Content]; !ok {
			w.vocab[a.Content] = a.ID
		}
		if !a.Normalized {
			w.special = append(w.special, a.Content)
		}
	}
	return w, w.finish(t.Model.UnkToken)
}

func vocabTxt(data []byte, lowercase bool) (*wordpiece, error) {
	w := &wordpiece{vocab: map[string]int64{}, prefix: "##", maxChars: 100,
		clean: true, chinese: true, strip: lowercase, lower: lowercase}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for id := int64(0); sc.Scan(); id++ {
		tok := strings.TrimRight(sc.Text(), "\r")
		if _, dup := w.vocab[tok]; !dup {
			w.vocab[tok] = id
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, s := range []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"} {
		if _, ok := w.vocab[s]; ok {
			w.special = append(w.special, s)
		}
	}
	return w, w.finish("[UNK]")
}

func (w *wordpiece) finish(unk string) error {
	if w.prefix == "" {
		w.prefix = "##"
	}
	if w.maxChars <= 0 {
		w.maxChars = 100
	}
	for _, t := range []struct {
		name string
		id   *int64
	}{{unk, &w.unk}, {"[CLS]", &w.cls}, {"[SEP]", &w.sep}} {
		id, ok := w.vocab[t.name]
		if !ok {
			return fmt.Errorf("the vocabulary has no %s token", t.name)
		}
		*t.id = id
	}
	slices.SortFunc(w.special, func(a, b string) int { return len(b) - len(a) })
	return nil
}

// encode returns the token ids of text between [CLS] and [SEP], at most max in all.
func (w *wordpiece) encode(text string, max int) []int64 {
	room := max - 2
	ids := make([]int64, 1, min(room, len(text)/2+8)+2)
	ids[0] = w.cls
	for text != "" && len(ids)-1 < room {
		i, tok := w.nextSpecial(text)
		ids = w.appendText(ids, text[:i], room)
		if tok == "" {
			break
		}
		if len(ids)-1 < room {
			ids = append(ids, w.vocab[tok])
		}
		text = text[i+len(tok):]
	}
	if len(ids)-1 > room {
		ids = ids[:room+1]
	}
	return append(ids, w.sep)
}

// nextSpecial finds the first added token in text: its offset and content, or
// len(text) and "".
func (w *wordpiece) nextSpecial(text string) (int, string) {
	best, tok := len(text), ""
	for _, s := range w.special {
		if i := strings.Index(text, s); i >= 0 && i < best {
			best, tok = i, s
		}
	}
	return best, tok
}

// appendText normalises and splits text and appends its pieces until ids holds more
// than room pieces after [CLS].
func (w *wordpiece) appendText(ids []int64, text string, room int) []int64 {
	text = w.normalize(text)
	start := -1
	for i, r := range text {
		if len(ids)-1 > room {
			return ids
		}
		switch {
		case r == ' ' || unicode.IsSpace(r):
			if start >= 0 {
				ids = w.appendWord(ids, text[start:i])
				start = -1
			}
		case isPunct(r):
			if start >= 0 {
				ids = w.appendWord(ids, text[start:i])
				start = -1
			}
			ids = w.appendWord(ids, text[i:i+utf8.RuneLen(r)])
		default:
			if start < 0 {
				start = i
			}
		}
	}
	if start >= 0 {
		ids = w.appendWord(ids, text[start:])
	}
	return ids
}

// appendWord appends the longest-match-first pieces of one word, or [UNK] when some
// part of it is in no piece of the vocabulary or the word is too long.
func (w *wordpiece) appendWord(ids []int64, word string) []int64 {
	if utf8.RuneCountInString(word) > w.maxChars {
		return append(ids, w.unk)
	}
	n := len(ids)
	var key strings.Builder
	for start := 0; start < len(word); {
		end, found := len(word), int64(-1)
		for end > start {
			key.Reset()
			if start > 0 {
				key.WriteString(w.prefix)
			}
			key.WriteString(word[start:end])
			if id, ok := w.vocab[key.String()]; ok {
				found = id
				break
			}
			_, size := utf8.DecodeLastRuneInString(word[start:end])
			end -= size
		}
		if found < 0 {
			return append(ids[:n], w.unk)
		}
		ids = append(ids, found)
		start = end
	}
	return ids
}

// normalize is BertNormalizer: drop control characters and turn whitespace into
// spaces, put spaces around CJK ideographs, strip accents (NFD, then drop nonspacing
// marks), lowercase.
func (w *wordpiece) normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for _, r := range s {
		if w.clean {
			if r == 0 || r == utf8.RuneError || isControl(r) {
				continue
			}
			if unicode.IsSpace(r) {
				r = ' '
			}
		}
		if w.chinese && isCJK(r) {
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	s = b.String()
	if w.strip {
		s = norm.NFD.String(s)
		s = strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Mn, r) {
				return -1
			}
			return r
		}, s)
	}
	if w.lower {
		s = strings.Map(unicode.ToLower, s)
	}
	return s
}

// isControl is the "other" categories (Cc, Cf, Co, Cs, unassigned) less tab and
// line ends, which count as whitespace.
func isControl(r rune) bool {
	if r == '\t' || r == '\n' || r == '\r' {
		return false
	}
	if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) {
		return true
	}
	return !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z)
}

// isPunct is BERT's punctuation: every ASCII non-alphanumeric printable character
// ($, +, <, ^, ` and | included, which Unicode calls symbols) and Unicode's P*.
func isPunct(r rune) bool {
	if r < 0x80 {
		return r > ' ' && r < 0x7f && !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z')
	}
	return unicode.IsPunct(r)
}

// isCJK reports a CJK Unified Ideograph or compatibility ideograph, the blocks BERT
// splits into single characters (kana and hangul are not among them).
func isCJK(r rune) bool {
	return 0x4E00 <= r && r <= 0x9FFF ||
		0x3400 <= r && r <= 0x4DBF ||
		0x20000 <= r && r <= 0x2A6DF ||
		0x2A700 <= r && r <= 0x2B73F ||
		0x2B740 <= r && r <= 0x2B81F ||
		0x2B920 <= r && r <= 0x2CEAF ||
		0xF900 <= r && r <= 0xFAFF ||
		0x2F800 <= r && r <= 0x2FA1F
}
