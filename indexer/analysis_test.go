package indexer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/registry"
)

// tokens analyses text with the named analyzer and renders each token as
// term@position, in stream order.
func tokens(t *testing.T, analyzer, text string) string {
	t.Helper()
	a, err := registry.NewCache().AnalyzerNamed(analyzer)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, tok := range a.Analyze([]byte(text)) {
		if got := text[tok.Start:tok.End]; !strings.EqualFold(strings.NewReplacer("_", "", ".", "").Replace(got), strings.NewReplacer("_", "", ".", "").Replace(string(tok.Term))) && analyzer != TextAnalyzer {
			t.Errorf("%q: token %q has offsets [%d:%d] = %q", text, tok.Term, tok.Start, tok.End, got)
		}
		parts = append(parts, fmt.Sprintf("%s@%d", tok.Term, tok.Position))
	}
	return strings.Join(parts, " ")
}

func TestCodeAnalyzer(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ThreadPoolExecutor", "threadpoolexecutor@1 thread@1 pool@2 executor@3 threadpool@1 poolexecutor@2"},
		{"asyncio.gather(tasks)", "asyncio.gather@1 asyncio@1 gather@2 tasks@3"},
		{"sync.WaitGroup", "sync.waitgroup@1 sync@1 wait@2 group@3 waitgroup@2"},
		{"ROW_NUMBER() OVER", "row_number@1 row@1 number@2 rownumber@1 over@3"},
		{"HTTPServer", "httpserver@1 http@1 server@2"},
		{"useEffect(() => {})", "useeffect@1 use@1 effect@2"},
		{"os.path.join", "os.path.join@1 os@1 path@2 join@3 os.path@1 path.join@2"},
		{"Arc<Mutex<T>>", "arc@1 mutex@2 t@3"},
		{"plain words stay", "plain@1 words@2 stay@3"},
		{"max_workers=4", "max_workers@1 max@1 workers@2 maxworkers@1 4@3"},
	}
	for _, tt := range tests {
		if got := tokens(t, CodeAnalyzer, tt.in); got != tt.want {
			t.Errorf("code %q:\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

func TestTextAnalyzers(t *testing.T) {
	tests := []struct{ analyzer, in, want string }{
		{TextAnalyzer, "The threads are running", "thread@2 run@4"},
		{ExactAnalyzer, "The threads are running", "the@1 threads@2 are@3 running@4"},
		{TextAnalyzer, "Use asyncio.gather for this", "us@1 asyncio.gath@2 asyncio@2 gather@3"},
		{TextAnalyzer, "Python's GIL", "python@1 gil@2"},
	}
	for _, tt := range tests {
		if got := tokens(t, tt.analyzer, tt.in); got != tt.want {
			t.Errorf("%s %q:\n got %s\nwant %s", tt.analyzer, tt.in, got, tt.want)
		}
	}
}
