package importer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"qdex/corpus"
)

func parseFile(t *testing.T, format, name string) *Parsed {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(format, src)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func titles(p *Parsed) []string {
	var out []string
	for _, s := range p.Sections {
		for _, q := range s.Questions {
			out = append(out, s.Title+" / "+q.Title)
		}
	}
	return out
}

func problems(p *Parsed) []string {
	var out []string
	for _, pr := range p.Problems {
		out = append(out, fmt.Sprintf("%d: %s", pr.Line, pr.Msg))
	}
	return out
}

func TestDetect(t *testing.T) {
	for name, want := range map[string]string{"headings.md": "headings", "qa.txt": "qa-text", "quiz.md": "quiz"} {
		src, _ := os.ReadFile(filepath.Join("testdata", name))
		if got := Detect(src); got != want {
			t.Errorf("Detect(%s) = %s, want %s", name, got, want)
		}
	}
}

func TestHeadings(t *testing.T) {
	p := parseFile(t, "auto", "headings.md")
	want := []string{
		"Concurrency / What is a race condition?",
		"Concurrency / How do you avoid deadlocks?",
		"Databases / Why use a connection pool?",
	}
	if got := titles(p); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("questions:\n%s", strings.Join(got, "\n"))
	}
	race := p.Sections[0].Questions[0].Answer
	if race != "A race condition happens when the result depends on the timing of threads.\n\n```go\ncounter++ // not atomic\n```" {
		t.Errorf("answer not dedented or navigation kept:\n%s", race)
	}
	pool := p.Sections[1].Questions[0].Answer
	if !strings.Contains(pool, "#### A detail heading inside the answer") {
		t.Errorf("deeper heading lost from the answer:\n%s", pool)
	}
	if got := problems(p); len(got) != 1 || got[0] != `36: question "What is an empty question?" has no answer` {
		t.Errorf("problems %q", got)
	}
}

func TestQAText(t *testing.T) {
	p := parseFile(t, "auto", "qa.txt")
	want := []string{"Caching / What is cache-aside?", "Caching / What is write-through?", "Queues / What is at-least-once delivery?"}
	if got := titles(p); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("questions:\n%s", strings.Join(got, "\n"))
	}
	a := p.Sections[0].Questions[0].Answer
	if !strings.Contains(a, "**Explanation:**") || !strings.Contains(a, "```python\nvalue = cache.get(key)\nif value is None:\n    value = db.load(key)\n```") {
		t.Errorf("answer:\n%s", a)
	}
	if got := problems(p); len(got) != 1 || got[0] != "21: Answer: with no Question: before it" {
		t.Errorf("problems %q", got)
	}
}

func TestQuiz(t *testing.T) {
	p := parseFile(t, "auto", "quiz.md")
	if p.Count() != 2 {
		t.Fatalf("got %d questions: %v", p.Count(), titles(p))
	}
	a := p.Sections[0].Questions[0].Answer
	for _, want := range []string{"```javascript\nconsole.log(typeof null);\n```", "- **B:** `\"object\"`", "**Correct answer: B** — `\"object\"`", "A _historic_ bug"} {
		if !strings.Contains(a, want) {
			t.Errorf("answer lacks %q:\n%s", want, a)
		}
	}
	if strings.Contains(a, "<details>") || strings.Contains(a, "</p>") {
		t.Errorf("HTML wrappers kept:\n%s", a)
	}
	if got := problems(p); len(got) != 1 || got[0] != `24: question "What's the output?" has options but no marked answer` {
		t.Errorf("problems %q", got)
	}
}

func TestWriteValidatesAndNeverOverwrites(t *testing.T) {
	out := t.TempDir()
	p := parseFile(t, "auto", "headings.md")
	opts := Options{Out: out, Framework: "backend", Topic: "basics", Updated: "2026-01-02"}
	written, err := Write(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 4 { // framework, topic, two subtopics
		t.Errorf("wrote %+v", written)
	}
	c, err := corpus.Load(out)
	if err != nil {
		t.Fatalf("imported corpus does not validate: %v", err)
	}
	if s := c.Subtopic("backend/basics/concurrency"); s == nil || len(s.Questions) != 2 || s.Questions[0].ID != "what-is-a-race-condition" {
		t.Errorf("subtopic: %+v", s)
	}
	if _, err := Write(p, opts); !errors.Is(err, ErrExists) {
		t.Errorf("second import without force: %v", err)
	}
	opts.Force = true
	if _, err := Write(p, opts); err != nil {
		t.Errorf("import with force: %v", err)
	}
	if _, err := Write(p, Options{Out: out, Framework: "Bad Slug", Topic: "x"}); err == nil || !strings.Contains(err.Error(), "--framework") {
		t.Errorf("bad slug: %v", err)
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"What's the output?":             "whats-the-output",
		"Arc<Mutex<T>> vs RwLock":        "arc-mutex-t-vs-rwlock",
		"  --  ":                         "",
		"How does `asyncio.gather` work": "how-does-asyncio-gather-work",
	} {
		if got := Slugify(in, 60); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestImportJavaScriptQuestions imports the real collection in ../shared.
func TestImportJavaScriptQuestions(t *testing.T) {
	src, err := os.ReadFile("../../shared/corpora/javascript-questions/README.md")
	if err != nil {
		t.Skip("../shared/corpora is not beside the project")
	}
	p, err := Parse("auto", src)
	if err != nil {
		t.Fatal(err)
	}
	if p.Format != "quiz" || p.Count() != 155 || len(p.Problems) != 0 {
		t.Fatalf("format %s, %d questions, problems %v", p.Format, p.Count(), p.Problems)
	}
	out := t.TempDir()
	if _, err := Write(p, Options{Out: out, Framework: "javascript", Topic: "quiz", SubtopicSize: 20}); err != nil {
		t.Fatal(err)
	}
	c, err := corpus.Load(out)
	if err != nil {
		t.Fatalf("imported corpus does not validate: %v", err)
	}
	if c.QuestionCount("") != 155 || len(c.Subtopics) != 8 {
		t.Errorf("%d questions in %d subtopics", c.QuestionCount(""), len(c.Subtopics))
	}
}
