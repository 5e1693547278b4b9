package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"qdex/internal/testutil"
)

// copyGood copies the good corpus into a temporary directory and applies edits
// (path → new content; "" removes the file).
func copyGood(t *testing.T, edits map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	testutil.CopyDir(t, good, dir)
	for rel, content := range edits {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if content == "" {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		write(t, dir, rel, content)
	}
	return dir
}

func readGood(t *testing.T, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(good, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// problems lists errors or warnings as path:line: message, paths relative to dir.
func problems(dir string, es Errors) []string {
	var out []string
	for _, e := range es {
		out = append(out, strings.TrimPrefix(e.Error(), dir+string(filepath.Separator)))
	}
	return out
}

// TestLoadLeavesBadFilesOut: a file with an error is left out whole and every other
// file is read, with the error at its path and line.
func TestLoadLeavesBadFilesOut(t *testing.T) {
	const gil = "qa/python/concurrency/gil.md"
	dir := copyGood(t, map[string]string{
		gil:                            strings.Replace(readGood(t, gil), "difficulty: medium", "difficulty: brutal", 1),
		"blog/python-gil-explained.md": "no front matter\n",
	})
	c, err := Load(dir)
	es, ok := AsErrors(err)
	if !ok || c == nil {
		t.Fatalf("Load: %v, corpus %v", err, c)
	}
	want := []string{
		`blog/python-gil-explained.md:1: not a Markdown file with YAML front matter (expected a first line "---" and a closing "---")`,
		gil + `:26: difficulty: "brutal" is not one of easy, medium, hard`,
	}
	if got := problems(dir, es); !slices.Equal(got, want) {
		t.Errorf("errors\n got %q\nwant %q", got, want)
	}
	if c.Subtopic(gil[3:len(gil)-3]) != nil || c.Article("python-gil-explained") != nil {
		t.Error("a file with an error was read in part")
	}
	if c.Subtopic("python/concurrency/asyncio") == nil || c.Subtopic("go/concurrency/goroutines") == nil || len(c.Synonyms) != 3 {
		t.Error("the good files were not all read")
	}
	if _, ok := c.Files[gil]; ok {
		t.Error("a file left out is in Files")
	}
	if want := []string{"blog/python-gil-explained.md", gil}; !slices.Equal(c.LeftOut, want) {
		t.Errorf("left out %v, want %v", c.LeftOut, want)
	}
}

// TestLoadKeepsLastGood: a file that now has an error is read at the version the
// index was built from, and reported; a file whose last good version fails too is
// left out.
func TestLoadKeepsLastGood(t *testing.T) {
	const gil = "qa/python/concurrency/gil.md"
	original := readGood(t, gil)
	dir := copyGood(t, map[string]string{gil: strings.Replace(original, "questions:", "questions: [", 1)})
	lastGood := func(p string) ([]byte, bool) {
		if p == gil {
			return []byte(original), true
		}
		return nil, false
	}
	c, err := LoadWith(dir, Options{LastGood: lastGood})
	es, ok := AsErrors(err)
	if !ok || len(es) != 1 || !strings.Contains(es[0].Error(), gil) {
		t.Fatalf("want the one error of %s, got %v", gil, err)
	}
	s := c.Subtopic("python/concurrency/gil")
	if s == nil || len(s.Questions) != 2 {
		t.Fatalf("the last good version was not read: %+v", s)
	}
	if !slices.Equal(c.Kept, []string{gil}) || len(c.LeftOut) != 0 {
		t.Errorf("kept %v, left out %v", c.Kept, c.LeftOut)
	}
	ref, _ := Load(good)
	if c.Files[gil] != ref.Files[gil] {
		t.Error("Files does not record the version read")
	}

	// The last good version is no good either: left out.
	c, _ = LoadWith(dir, Options{LastGood: func(string) ([]byte, bool) { return []byte("---\nbroken: [\n---\n"), true }})
	if c.Subtopic("python/concurrency/gil") != nil || !slices.Equal(c.LeftOut, []string{gil}) || len(c.Kept) != 0 {
		t.Errorf("kept %v, left out %v", c.Kept, c.LeftOut)
	}
}

// TestLoadRealContent: what public collections and the site write is read, not
// refused: ids with underscores and dots, a qaPath with a trailing slash or none, a
// page without difficulty, a question without an answer (left out, with a warning),
// .yaml beside .yml, and files qdex does not read (a warning each).
func TestLoadRealContent(t *testing.T) {
	const gil = "qa/python/concurrency/gil.md"
	const blog = "blog/python-gil-explained.md"
	page := strings.Replace(readGood(t, gil), "id: what-is-the-gil", "id: what_is.the-gil", 1)
	page = strings.Replace(page, "difficulty: hard\n", "", 1)
	page = strings.Replace(page, "  - id: threadpool-executor", "  - id: as_completed\n    q: What does as_completed yield?\n    a: \"\"\n  - id: threadpool-executor", 1)
	article := strings.Replace(readGood(t, blog), "qaPath: /python/concurrency/gil", "qaPath: /python/concurrency/gil/", 1)
	dir := copyGood(t, map[string]string{
		gil:                              page,
		blog:                             article,
		"blog/unlinked.md":               "---\ntitle: Not about one page\n---\nBody.\n",
		"frameworks/go.yml":              "",
		"frameworks/go.yaml":             readGood(t, "frameworks/go.yml"),
		"qa/python/concurrency/index.md": "# Concurrency\n",
		"README.md":                      "# our content\n",
	})
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Subtopic("python/concurrency/gil")
	if s == nil || len(s.Questions) != 2 || s.Questions[0].ID != "what_is.the-gil" {
		t.Fatalf("gil page: %+v", s)
	}
	if s.Difficulty != DefaultDifficulty || s.Questions[0].Difficulty != DefaultDifficulty || s.Questions[1].Difficulty != "medium" {
		t.Errorf("difficulties: page %q, questions %q %q", s.Difficulty, s.Questions[0].Difficulty, s.Questions[1].Difficulty)
	}
	if a := c.Article("python-gil-explained"); a == nil || a.QAPath != "/python/concurrency/gil" || len(c.ArticlesFor(s)) != 1 {
		t.Errorf("article with a trailing slash: %+v", a)
	}
	if a := c.Article("unlinked"); a == nil || a.QAPath != "" || a.Framework != "" {
		t.Errorf("article without qaPath: %+v", a)
	}
	if c.Framework("go") == nil || c.Subtopic("go/concurrency/goroutines") == nil {
		t.Error("frameworks/go.yaml was not read")
	}
	want := []string{
		"README.md: warning: ignored: not a file qdex reads (frameworks/*.yml, topics/*.yml, qa/FRAMEWORK/TOPIC/SUBTOPIC.md, blog/*.md, synonyms.yml)",
		gil + `:26: warning: question "as_completed" has no answer: left out`,
		"qa/python/concurrency/index.md: warning: ignored: not a file qdex reads (frameworks/*.yml, topics/*.yml, qa/FRAMEWORK/TOPIC/SUBTOPIC.md, blog/*.md, synonyms.yml)",
	}
	if got := problems(dir, c.Warnings); !slices.Equal(got, want) {
		t.Errorf("warnings\n got %q\nwant %q", got, want)
	}
}

// TestLoadRelated: related entries as paths or objects become the pages they name;
// one naming no page is a warning at its line.
func TestLoadRelated(t *testing.T) {
	const gil = "qa/python/concurrency/gil.md"
	page := strings.Replace(readGood(t, gil), "unknownKey: accepted\n", `unknownKey: accepted
related:
  - /python/concurrency/asyncio
  - go/concurrency/goroutines#anything
  - path: /python/concurrency/asyncio/
    title: Asyncio
  - /python/nowhere/page
`, 1)
	dir := copyGood(t, map[string]string{gil: page})
	c, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := c.Subtopic("python/concurrency/gil")
	want := []string{"python/concurrency/asyncio", "go/concurrency/goroutines", "python/concurrency/asyncio"}
	if !slices.Equal(s.Related, want) {
		t.Errorf("related %q, want %q", s.Related, want)
	}
	if got := problems(dir, c.Warnings); len(got) != 1 || got[0] != gil+`:17: warning: related: "python/nowhere/page" names no subtopic page: not shown` {
		t.Errorf("warnings %q", got)
	}
}

// TestLoadLimits: a file past any limit fails alone with its path and line, before
// anything is expanded, in well under a second.
func TestLoadLimits(t *testing.T) {
	const gil = "qa/python/concurrency/gil.md"
	many := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(f(i))
		}
		return b.String()
	}
	bigGroup := "- [" + many(MaxSynonymGroup, func(i int) string { return fmt.Sprintf("word%d, ", i) }) + "last]\n"
	// The hostile file of the issue: a 100,000-character term behind an anchor,
	// repeated by aliases.
	anchored := "- &t [" + strings.Repeat("x", 100000) + ", y]\n" + many(2000, func(int) string { return "- *t\n" })
	tooManyTerms := many(MaxSynonymTerms/10+1, func(i int) string {
		return "- [" + many(9, func(j int) string { return fmt.Sprintf("t%d-%d, ", i, j) }) + "end]\n"
	})
	questions := "questions:\n" + many(MaxQuestionsPerFile+1, func(i int) string {
		return fmt.Sprintf("  - id: q%d\n    q: Question %d?\n    a: Answer.\n", i, i)
	})
	page := func(qs string) string {
		head, _, _ := strings.Cut(readGood(t, gil), "questions:")
		return head + qs + "---\nIntro.\n"
	}
	tests := []struct {
		name, file, content, want string
	}{
		{"synonym group", "synonyms.yml", bigGroup, "synonyms.yml:1: a synonym group of 51 terms: a group may have at most 50"},
		{"synonym term", "synonyms.yml", anchored, "synonyms.yml:1: a synonym term of 100000 bytes: a term may have at most 100"},
		{"synonym terms in all", "synonyms.yml", tooManyTerms, fmt.Sprintf("synonyms.yml:%d: more than %d synonym terms in all", MaxSynonymTerms/10+1, MaxSynonymTerms)},
		{"questions per page", gil, page(questions), gil + ":13: 2001 questions: a page may have at most 2000"},
		{"answer size", gil, page("questions:\n  - id: big\n    q: Big?\n    a: " + strings.Repeat("a", MaxAnswerBytes+1) + "\n"), gil + ":15: answer of 131073 bytes: an answer may have at most 131072"},
		{"id length", gil, page("questions:\n  - id: " + strings.Repeat("i", MaxIDBytes+1) + "\n    q: Long?\n    a: Yes.\n"), gil + ":13: id \"" + strings.Repeat("i", MaxIDBytes+1) + "\": an id is up to 128 letters, digits and - . _ ~, starting with a letter, digit or _"},
		{"file size", "blog/python-gil-explained.md", readGood(t, "blog/python-gil-explained.md") + strings.Repeat("word ", MaxFileBytes/5), fmt.Sprintf("blog/python-gil-explained.md: %d bytes: a corpus file may have at most %d", len(readGood(t, "blog/python-gil-explained.md"))+MaxFileBytes/5*5, MaxFileBytes)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyGood(t, map[string]string{tt.file: tt.content})
			start := time.Now()
			c, err := Load(dir)
			if took := time.Since(start); took > time.Second {
				t.Errorf("Load took %s", took)
			}
			es, ok := AsErrors(err)
			if !ok {
				t.Fatalf("want an error, got %v", err)
			}
			if got := problems(dir, es); len(got) != 1 || got[0] != tt.want {
				t.Errorf("errors\n got %.300q\nwant %.300q", got, tt.want)
			}
			if !slices.Equal(c.LeftOut, []string{tt.file}) || c.Framework("python") == nil {
				t.Errorf("left out %v; the other files must be read", c.LeftOut)
			}
		})
	}
}
