package gen

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"qdex/corpus"
)

func generate(t *testing.T, opts Options) (string, Stats) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	st, err := Generate(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	return dir, st
}

// readTree returns every file under dir by its relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestSameSeedSameBytes(t *testing.T) {
	a, _ := generate(t, Options{Questions: 400, Seed: 7})
	b, _ := generate(t, Options{Questions: 400, Seed: 7})
	c, _ := generate(t, Options{Questions: 400, Seed: 8})
	fa, fb, fc := readTree(t, a), readTree(t, b), readTree(t, c)
	if len(fa) != len(fb) {
		t.Fatalf("same seed: %d files, then %d", len(fa), len(fb))
	}
	for p, data := range fa {
		if !bytes.Equal(data, fb[p]) {
			t.Fatalf("same seed: %s differs", p)
		}
	}
	same := 0
	for p, data := range fa {
		if bytes.Equal(data, fc[p]) {
			same++
		}
	}
	if same > len(fa)/2 {
		t.Errorf("seeds 7 and 8 give %d identical files of %d", same, len(fa))
	}
}

func TestCorpusLoads(t *testing.T) {
	for _, n := range []int{1, 5, 13, 468, 2000} {
		dir, st := generate(t, Options{Questions: n, Seed: 1})
		c, err := corpus.Load(dir)
		if err != nil {
			if es, ok := corpus.AsErrors(err); ok {
				for _, e := range es[:min(len(es), 10)] {
					t.Error(e)
				}
			}
			t.Fatalf("%d questions: %v", n, err)
		}
		if got := c.QuestionCount(""); got != n {
			t.Errorf("%d questions: corpus has %d", n, got)
		}
		if len(c.Frameworks) != st.Frameworks || len(c.Topics) != st.Topics ||
			len(c.Subtopics) != st.Subtopics || len(c.Articles) != st.Articles {
			t.Errorf("%d questions: stats %+v, corpus %d/%d/%d/%d", n, st,
				len(c.Frameworks), len(c.Topics), len(c.Subtopics), len(c.Articles))
		}
		if n < 100 {
			continue
		}
		// The shape of data/: pages of 6 or 7 questions, topics of a few pages.
		for _, s := range c.Subtopics {
			if q := len(s.Questions); q < 6 || q > 7 {
				t.Errorf("%d questions: %s has %d questions", n, s.Path(), q)
			}
		}
		if per := float64(len(c.Subtopics)) / float64(len(c.Topics)); per < 1.5 || per > 8 {
			t.Errorf("%d questions: %.1f subtopics per topic", n, per)
		}
		if len(c.Articles) == 0 {
			t.Errorf("%d questions: no articles", n)
		}
	}
}

func TestContent(t *testing.T) {
	dir, _ := generate(t, Options{Questions: 1000, Seed: 3})
	c, err := corpus.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	difficulties := map[string]int{}
	for _, s := range c.Subtopics {
		for _, q := range s.Questions {
			all.WriteString(q.A)
			difficulties[q.Difficulty]++
		}
	}
	text := all.String()
	for _, lang := range codeLanguages {
		if !strings.Contains(text, "```"+lang+"\n") {
			t.Errorf("no %s code block", lang)
		}
	}
	for _, d := range corpus.Difficulties {
		if difficulties[d] < 100 {
			t.Errorf("only %d %s questions of 1000", difficulties[d], d)
		}
	}
	for _, want := range []string{"**", "Rule of thumb:"} {
		if !strings.Contains(text, want) {
			t.Errorf("answers lack %q", want)
		}
	}
	// Identifiers in the three styles.
	var camel, snake, dotted bool
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return r == '`' || r == ' ' || r == '\n' || r == '(' }) {
		camel = camel || (len(w) > 3 && strings.ToLower(w) != w && !strings.ContainsAny(w, "._") && w[0] >= 'a' && w[0] <= 'z')
		snake = snake || strings.Count(w, "_") >= 1 && strings.ToLower(w) == w
		dotted = dotted || strings.Count(w, ".") == 1 && !strings.HasSuffix(w, ".")
	}
	if !camel || !snake || !dotted {
		t.Errorf("identifier styles: camelCase %v, snake_case %v, pkg.Func %v", camel, snake, dotted)
	}
	// Zipf: the most common word is far more common than the hundredth.
	counts := map[string]int{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return r < 'a' || r > 'z' }) {
		counts[w]++
	}
	if len(counts) < 5000 {
		t.Errorf("only %d distinct words in 1000 answers", len(counts))
	}
	freq := make([]int, 0, len(counts))
	for _, n := range counts {
		freq = append(freq, n)
	}
	slices.SortFunc(freq, func(a, b int) int { return b - a })
	if r := float64(freq[0]) / float64(freq[99]); r < 10 || r > 200 {
		t.Errorf("first word %d times, hundredth %d: ratio %.0f, want about 100 (Zipf)", freq[0], freq[99], r)
	}
	if r := float64(freq[99]) / float64(freq[999]); r < 4 {
		t.Errorf("hundredth word %d times, thousandth %d: ratio %.0f, want about 10 (Zipf)", freq[99], freq[999], r)
	}
}

func TestEmptyDirOnly(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(context.Background(), dir, Options{Questions: 10}); err == nil {
		t.Error("Generate wrote into a directory that was not empty")
	}
}

func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		dir := b.TempDir()
		if _, err := Generate(context.Background(), filepath.Join(dir, "d"), Options{Questions: 2000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
