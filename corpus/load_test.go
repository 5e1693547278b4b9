package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qdex/internal/testutil"
)

const good = "testdata/good"

func TestLoadGood(t *testing.T) {
	c, err := Load(good)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(c.Frameworks); got != 2 || c.Frameworks[0].Slug != "python" || c.Frameworks[1].Slug != "go" {
		t.Errorf("frameworks in order: got %d, %+v", got, c.Frameworks)
	}
	s := c.Subtopic("/python/concurrency/gil")
	if s == nil {
		t.Fatal("gil subtopic missing")
	}
	if s.Name != "Threading & the GIL" || s.Updated != "2026-05-02" || s.Intro != "Threads in CPython share one lock." {
		t.Errorf("gil subtopic fields: %+v", s)
	}
	if len(s.Questions) != 2 || s.Questions[0].Difficulty != "hard" || s.Questions[1].Difficulty != "medium" {
		t.Errorf("difficulty inheritance: %+v %+v", s.Questions[0], s.Questions[1])
	}
	if !strings.Contains(s.Questions[0].A, "```python\nimport threading") {
		t.Errorf("answer Markdown not kept: %q", s.Questions[0].A)
	}
	if a := c.Article("python-gil-explained"); a == nil || a.Framework != "python" || a.Topic != "concurrency" || a.Subtopic != "gil" {
		t.Errorf("article: %+v", a)
	}
	if len(c.Synonyms) != 3 || c.Synonyms[0][1] != "global interpreter lock" {
		t.Errorf("synonyms: %v", c.Synonyms)
	}
	if c.QuestionCount("") != 6 || c.QuestionCount("go") != 2 {
		t.Errorf("question counts: %d, %d", c.QuestionCount(""), c.QuestionCount("go"))
	}
	if len(c.Files) != 9 || len(c.Digest()) != 64 {
		t.Errorf("files %d, digest %q", len(c.Files), c.Digest())
	}
}

func TestLoadErrors(t *testing.T) {
	const gil = "qa/python/concurrency/gil.md"
	read := func(t *testing.T, dir, rel string) string {
		data, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	tests := []struct {
		name string
		edit func(t *testing.T, dir string) // changes the copy
		want []string                       // errors, with paths relative to the corpus
	}{
		{
			name: "front matter contradicts path",
			edit: func(t *testing.T, dir string) {
				s := strings.Replace(read(t, dir, gil), "topicSlug: concurrency", "topicSlug: threads", 1)
				write(t, dir, gil, s)
			},
			want: []string{gil + `:5: topicSlug "threads" contradicts the path ("concurrency")`},
		},
		{
			name: "framework with no file",
			edit: func(t *testing.T, dir string) {
				os.Remove(filepath.Join(dir, "frameworks/go.yml"))
			},
			want: []string{
				`qa/go/concurrency/goroutines.md:3: framework "go" has no file frameworks/go.yml`,
				`topics/go-concurrency.yml:1: framework "go" has no file frameworks/go.yml`,
			},
		},
		{
			name: "topic with no file",
			edit: func(t *testing.T, dir string) {
				os.Remove(filepath.Join(dir, "topics/go-concurrency.yml"))
			},
			want: []string{`qa/go/concurrency/goroutines.md:5: topic "concurrency" has no file topics/go-concurrency.yml`},
		},
		{
			name: "duplicate question id",
			edit: func(t *testing.T, dir string) {
				s := strings.Replace(read(t, dir, gil), "id: threadpool-executor", "id: what-is-the-gil", 1)
				write(t, dir, gil, s)
			},
			want: []string{gil + `:25: duplicate question id "what-is-the-gil" (first at line 13)`},
		},
		{
			name: "missing q",
			edit: func(t *testing.T, dir string) {
				s := read(t, dir, gil)
				s = strings.Replace(s, "    q: When do you pick ThreadPoolExecutor?\n", "", 1)
				write(t, dir, gil, s)
			},
			want: []string{gil + `:25: missing q`},
		},
		{
			name: "bad difficulty",
			edit: func(t *testing.T, dir string) {
				write(t, dir, gil, strings.Replace(read(t, dir, gil), "difficulty: medium", "difficulty: brutal", 1))
			},
			want: []string{gil + `:26: difficulty: "brutal" is not one of easy, medium, hard`},
		},
		{
			name: "invalid UTF-8",
			edit: func(t *testing.T, dir string) {
				write(t, dir, "frameworks/go.yml", "name: Go\ndescription: bad \xff byte\n")
			},
			want: []string{
				"frameworks/go.yml:2: invalid UTF-8 (byte 0xff at offset 26)",
				`qa/go/concurrency/goroutines.md:3: framework "go" has no file frameworks/go.yml`,
				`topics/go-concurrency.yml:1: framework "go" has no file frameworks/go.yml`,
			},
		},
		{
			name: "not front matter",
			edit: func(t *testing.T, dir string) {
				write(t, dir, "qa/go/concurrency/goroutines.md", "# Just Markdown\n\nNo front matter.\n")
			},
			want: []string{"qa/go/concurrency/goroutines.md:1: not a Markdown file with YAML front matter (expected a first line \"---\" and a closing \"---\")"},
		},
		{
			name: "YAML syntax error",
			edit: func(t *testing.T, dir string) {
				write(t, dir, "topics/go-concurrency.yml", "name: Concurrency\nslug: concurrency\n  order: 1: 2\n")
			},
			want: []string{
				`qa/go/concurrency/goroutines.md:5: topic "concurrency" has no file topics/go-concurrency.yml`,
				"topics/go-concurrency.yml:3: invalid YAML: mapping values are not allowed in this context",
			},
		},
		{
			name: "all errors at once",
			edit: func(t *testing.T, dir string) {
				write(t, dir, gil, strings.Replace(read(t, dir, gil), "difficulty: medium", "difficulty: brutal", 1))
				write(t, dir, "frameworks/go.yml", "name: Go\ndescription: bad \xff byte\n")
			},
			want: []string{
				"frameworks/go.yml:2: invalid UTF-8 (byte 0xff at offset 26)",
				`qa/go/concurrency/goroutines.md:3: framework "go" has no file frameworks/go.yml`,
				gil + `:26: difficulty: "brutal" is not one of easy, medium, hard`,
				`topics/go-concurrency.yml:1: framework "go" has no file frameworks/go.yml`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			testutil.CopyDir(t, good, dir)
			tt.edit(t, dir)
			_, err := Load(dir)
			es, ok := AsErrors(err)
			if !ok {
				t.Fatalf("Load: want corpus errors, got %v", err)
			}
			var got []string
			for _, e := range es {
				got = append(got, strings.TrimPrefix(e.Error(), dir+string(filepath.Separator)))
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("errors:\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(tt.want, "\n     "))
			}
		})
	}
}

func write(t *testing.T, dir, rel, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, rel), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSplitFrontMatter(t *testing.T) {
	fm, body, line, ok := splitFrontMatter([]byte("---\na: 1\n---\nbody\n"))
	if !ok || string(fm) != "a: 1\n" || string(body) != "body\n" || line != 4 {
		t.Errorf("got %q %q %d %v", fm, body, line, ok)
	}
	if _, _, _, ok := splitFrontMatter([]byte("---\na: 1\n")); ok {
		t.Error("unclosed front matter accepted")
	}
	if _, _, _, ok := splitFrontMatter([]byte("---\r\na: 1\r\n---\r\n")); !ok {
		t.Error("CRLF front matter rejected")
	}
}
