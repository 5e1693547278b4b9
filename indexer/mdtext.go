package indexer

import (
	"bytes"
	"slices"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// CodeBlock is one fenced or indented code block of an answer.
type CodeBlock struct {
	Language string // the fence's info word, lower-cased; "" when none
	Code     string
}

// Extracted is the searchable text of a Markdown answer.
type Extracted struct {
	Prose string // paragraphs, headings, lists and inline code, without formatting
	Code  []CodeBlock
}

var mdParser = goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser()

// ExtractText splits Markdown into prose and code blocks. Raw HTML is dropped from the
// prose: it is markup, not content a reader searches for.
func ExtractText(md string) Extracted {
	src := []byte(md)
	doc := mdParser.Parse(text.NewReader(src))
	var prose bytes.Buffer
	var ex Extracted
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.FencedCodeBlock:
			if entering {
				lang := ""
				if n.Info != nil {
					lang = CanonicalLanguage(strings.Fields(string(n.Info.Segment.Value(src)) + " ")[0])
				}
				ex.Code = append(ex.Code, CodeBlock{Language: lang, Code: linesText(n.Lines(), src)})
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock:
			if entering {
				ex.Code = append(ex.Code, CodeBlock{Code: linesText(n.Lines(), src)})
			}
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if entering {
				prose.Write(n.Segment.Value(src))
				if n.SoftLineBreak() || n.HardLineBreak() {
					prose.WriteByte(' ')
				}
			}
		case *ast.String:
			if entering {
				prose.Write(n.Value)
			}
		case *ast.AutoLink:
			if entering {
				prose.Write(n.Label(src))
			}
		default:
			if !entering && n.Type() == ast.TypeBlock && prose.Len() > 0 && !bytes.HasSuffix(prose.Bytes(), []byte("\n")) {
				prose.WriteByte('\n')
			}
		}
		return ast.WalkContinue, nil
	})
	ex.Prose = strings.TrimSpace(prose.String())
	return ex
}

// languageAliases folds common fence tags into the one name a reader filters by.
var languageAliases = map[string]string{
	"py": "python", "python3": "python", "py3": "python",
	"golang": "go",
	"js":     "javascript", "node": "javascript", "mjs": "javascript", "cjs": "javascript",
	"ts": "typescript",
	"sh": "bash", "shell": "bash", "zsh": "bash", "console": "bash", "shell-session": "bash",
	"yml":        "yaml",
	"rs":         "rust",
	"dockerfile": "docker",
	"postgresql": "sql", "postgres": "sql", "psql": "sql", "plpgsql": "sql", "mysql": "sql", "sqlite": "sql",
	"c++": "cpp", "cxx": "cpp",
	"cs": "csharp", "c#": "csharp",
	"kt":  "kotlin",
	"rb":  "ruby",
	"k8s": "yaml",
}

// CanonicalLanguage maps a fence's language tag to one name per language (py and
// python3 → python, sh → bash); plain text gives "".
func CanonicalLanguage(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	switch tag {
	case "", "text", "txt", "plain", "plaintext", "output":
		return ""
	}
	if c, ok := languageAliases[tag]; ok {
		return c
	}
	return tag
}

func linesText(lines *text.Segments, src []byte) string {
	var b strings.Builder
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	return strings.TrimRight(b.String(), "\n")
}

// Languages returns the distinct languages of the code blocks, in order of appearance.
func (e Extracted) Languages() []string {
	var langs []string
	for _, c := range e.Code {
		if c.Language != "" && !slices.Contains(langs, c.Language) {
			langs = append(langs, c.Language)
		}
	}
	return langs
}

// CodeText joins the code blocks, separated by blank lines.
func (e Extracted) CodeText() string {
	parts := make([]string, len(e.Code))
	for i, c := range e.Code {
		parts[i] = c.Code
	}
	return strings.Join(parts, "\n\n")
}
