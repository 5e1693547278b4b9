package suggest

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// texts lists the suggestions' texts, in order.
func texts(ss []Suggestion) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Text
	}
	return out
}

func find1(ss []Suggestion, text string) (Suggestion, bool) {
	for _, s := range ss {
		if s.Text == text {
			return s, true
		}
	}
	return Suggestion{}, false
}

var smallTitles = []Title{
	{Text: "How do you find a goroutine leak?", ID: "go/concurrency/goroutines#leak", URL: "/q/go/concurrency/goroutines#leak"},
	{Text: "What is a goroutine?", ID: "go/concurrency/goroutines#what", URL: "/q/go/concurrency/goroutines#what"},
	{Text: "When does asyncio.gather() cancel its tasks?", ID: "python/asyncio/gather#cancel"},
	{Text: "How do you decode UTF8 strings in Go?", ID: "go/strings/utf8#decode"},
	{Text: "What is the GIL?", ID: "python/concurrency/gil#what"},
}

var smallQueries = []Query{
	{Text: "goroutine leak", Searches: 40, Results: 12},
	{Text: "goroutine vs thread", Searches: 90, Results: 30},
	{Text: "goroutines", Searches: 5, Results: 50},
	{Text: "gil", Searches: 8, Results: 4},
}

func TestCompletePrefix(t *testing.T) {
	s := New(smallTitles, smallQueries, nil)
	got := s.Complete("gorou", 10)
	if len(got) < 5 {
		t.Fatalf("gorou: %q, want the 3 queries and 2 titles with goroutine", texts(got))
	}
	for _, sg := range got {
		if !strings.Contains(strings.ToLower(sg.Text), "goroutine") {
			t.Errorf("gorou suggested %q", sg.Text)
		}
		if sg.Edits != 0 {
			t.Errorf("%q: %d edits for an exact prefix", sg.Text, sg.Edits)
		}
	}
	// Past queries starting with the input come first, the most searched first.
	if want := []string{"goroutine vs thread", "goroutine leak", "goroutines"}; !slices.Equal(texts(got[:3]), want) {
		t.Errorf("gorou: %q, want %q first", texts(got), want)
	}
	sg, ok := find1(got, "What is a goroutine?")
	if !ok || sg.Kind != KindQuestion || sg.ID != "go/concurrency/goroutines#what" || sg.URL == "" {
		t.Errorf("the question is %+v", sg)
	}
	if want := []Span{{10, 19}}; !slices.Equal(sg.Marks, want) {
		t.Errorf("marks %v, want %v (%q)", sg.Marks, want, sg.Text[10:19])
	}
}

func TestCompleteTypo(t *testing.T) {
	s := New(smallTitles, smallQueries, nil)
	got := s.Complete("gorotine lea", 5)
	if len(got) == 0 || got[0].Text != "goroutine leak" {
		t.Fatalf("gorotine lea: %q, want goroutine leak first", texts(got))
	}
	if got[0].Edits != 1 || !slices.Equal(got[0].Marks, []Span{{0, 9}, {10, 14}}) {
		t.Errorf("goroutine leak: %+v, want 1 edit and both words marked", got[0])
	}
	// A swap of adjacent letters is one typo.
	if got := s.Complete("gorotuine", 5); len(got) == 0 || got[0].Edits != 1 {
		t.Errorf("gorotuine: %+v", got)
	}
	// Words under five letters match as typed.
	if got := s.Complete("gol", 5); len(got) != 0 {
		t.Errorf("gol: %q, want nothing", texts(got))
	}
	// Nine letters allow two typos, five one.
	if got := s.Complete("gorotinee ", 5); len(got) == 0 {
		t.Error("gorotinee: two typos in nine letters found nothing")
	}
	if got := s.Complete("gaal ", 5); len(got) != 0 {
		t.Errorf("gaal: %q", texts(got))
	}
}

func TestCompleteTypoInPrefix(t *testing.T) {
	s := New(smallTitles, smallQueries, nil)
	if got := s.Complete("goruo", 5); len(got) == 0 || got[0].Edits != 1 {
		t.Errorf("goruo: %+v, want goroutine with one typo", got)
	}
	if got := s.Complete("gruo", 5); len(got) != 0 {
		t.Errorf("gruo (four letters): %q, want nothing", texts(got))
	}
}

func TestCompleteDigitsExact(t *testing.T) {
	s := New([]Title{{Text: "utf9 is not a thing"}, {Text: "Why pin python3 images?"}, {Text: "Is http3 faster than python311?"}, {Text: "Why use https?"}}, nil, nil)
	for _, in := range []string{"utf8", "utf8 ", "pythno3", "python ", "http2", "http2 ", "python312 "} {
		if got := s.Complete(in, 5); len(got) != 0 {
			t.Errorf("%q: %q, want nothing", in, texts(got))
		}
	}
	if got := s.Complete("pyth", 5); len(got) != 2 {
		t.Errorf("pyth: %q, want python3 and python311 as prefixes", texts(got))
	}
	s = New(smallTitles, nil, nil)
	if got := s.Complete("utf8", 5); len(got) != 1 || got[0].ID != "go/strings/utf8#decode" {
		t.Errorf("utf8: %q", texts(got))
	}
}

func TestCompleteBlocked(t *testing.T) {
	s := New(smallTitles, smallQueries, []string{"  Goroutine   LEAK!", "what is the gil"})
	for _, sg := range s.Complete("g", 50) {
		if n := normalize(sg.Text); n == "goroutine leak" || n == "what is the gil" {
			t.Errorf("blocked %q suggested", sg.Text)
		}
	}
	if _, ok := find1(s.Complete("goroutine", 10), "How do you find a goroutine leak?"); !ok {
		t.Error("blocking a query blocked a title that contains it")
	}
}

func TestCompleteDropsQueriesWithoutResults(t *testing.T) {
	s := New(nil, []Query{
		{Text: "goroutine leek", Searches: 500, Results: 0},
		{Text: "goroutine leak", Searches: 3, Results: 9},
		{Text: "goroutine pool", Searches: 0, Results: 9},
	}, nil)
	if got := texts(s.Complete("goroutine le", 10)); !slices.Equal(got, []string{"goroutine leak"}) {
		t.Errorf("goroutine le: %q", got)
	}
	if s.Len() != 1 {
		t.Errorf("Len = %d, want 1", s.Len())
	}
}

func TestCompleteRanking(t *testing.T) {
	s := New(nil, []Query{
		{Text: "channel buffer", Searches: 3, Results: 1},
		{Text: "channel close", Searches: 300, Results: 1},
		{Text: "channels", Searches: 30, Results: 1},
	}, nil)
	if got, want := texts(s.Complete("chan", 3)), []string{"channel close", "channels", "channel buffer"}; !slices.Equal(got, want) {
		t.Errorf("chan: %q, want %q", got, want)
	}

	// A match as typed ranks above a typo, however popular.
	s = New(nil, []Query{
		{Text: "goroutines leak", Searches: 1000, Results: 1},
		{Text: "goroutine leak", Searches: 10, Results: 1},
	}, nil)
	got := s.Complete("goroutine leak", 2)
	if want := []string{"goroutine leak", "goroutines leak"}; !slices.Equal(texts(got), want) {
		t.Errorf("goroutine leak: %q, want %q", texts(got), want)
	}
	if got[1].Edits != 1 {
		t.Errorf("goroutines leak: %d edits", got[1].Edits)
	}

	// Starting with the input ranks above containing it; a title that matches early
	// and fully above one that matches late.
	s = New([]Title{
		{Text: "Leak detection in long-running services that spawn a goroutine"},
		{Text: "Why would a goroutine leak?"},
		{Text: "Goroutine leak"},
	}, []Query{{Text: "finding a goroutine leak", Searches: 50, Results: 1}}, nil)
	want := []string{"Goroutine leak", "finding a goroutine leak", "Why would a goroutine leak?", "Leak detection in long-running services that spawn a goroutine"}
	if got := texts(s.Complete("goroutine le", 4)); !slices.Equal(got, want) {
		t.Errorf("goroutine le: %q, want %q", got, want)
	}
}

func TestCompleteAnyOrder(t *testing.T) {
	s := New(nil, []Query{{Text: "goroutine leak", Searches: 4, Results: 1}}, nil)
	if got := texts(s.Complete("leak gorou", 5)); !slices.Equal(got, []string{"goroutine leak"}) {
		t.Errorf("leak gorou: %q", got)
	}
	if got := s.Complete("goroutine thread", 5); len(got) != 0 {
		t.Errorf("a word the query lacks still matched: %q", texts(got))
	}
	// Each word of the input takes a word of its own.
	if got := s.Complete("goroutine gorou", 5); len(got) != 0 {
		t.Errorf("goroutine gorou: %q, want nothing", texts(got))
	}
	s = New([]Title{{Text: "Why is asyncio.gather slow?"}}, nil, nil)
	if got := s.Complete("asyncio gath", 5); len(got) != 1 || !slices.Equal(got[0].Marks, []Span{{7, 21}}) {
		t.Errorf("asyncio gath: %+v, want both parts of one compound marked once", got)
	}
}

func TestCompleteLimits(t *testing.T) {
	var queries []Query
	for i := range 80 {
		queries = append(queries, Query{Text: fmt.Sprintf("goroutine %d", i), Searches: 1 + i, Results: 1})
	}
	s := New(nil, queries, nil)
	if got := s.Complete("gorou", 500); len(got) != MaxResults {
		t.Errorf("n=500: %d suggestions, want %d", len(got), MaxResults)
	}
	if got := s.Complete(strings.Repeat("goroutine ", maxTerms+1), 5); got != nil {
		t.Errorf("%d words: %q", maxTerms+1, texts(got))
	}
}

func TestCompleteDedupe(t *testing.T) {
	s := New([]Title{
		{Text: "What is a goroutine?", ID: "a"},
		{Text: "what is a Goroutine", ID: "b"},
	}, []Query{
		{Text: "what is a goroutine", Searches: 7, Results: 3},
		{Text: "Goroutine  Leak", Searches: 2, Results: 1},
		{Text: "goroutine leak", Searches: 9, Results: 1},
	}, nil)
	got := s.Complete("goroutine", 10)
	if len(got) != 2 {
		t.Fatalf("goroutine: %q, want two distinct suggestions", texts(got))
	}
	q, ok := find1(got, "What is a goroutine?")
	if !ok || q.Kind != KindQuestion || q.ID != "a" || q.Searches != 7 {
		t.Errorf("the title searched verbatim is %+v", q)
	}
	l, ok := find1(got, "goroutine leak")
	if !ok || l.Searches != 11 {
		t.Errorf("the query typed two ways is %+v", l)
	}
}

func TestCompleteEmpty(t *testing.T) {
	s := New(smallTitles, smallQueries, nil)
	for _, in := range []string{"", " ", "\t\n", "?!", "…"} {
		if got := s.Complete(in, 5); got != nil {
			t.Errorf("%q: %q", in, texts(got))
		}
	}
	if got := s.Complete("gorou", 0); got != nil {
		t.Errorf("n=0: %q", texts(got))
	}
	var none *Suggester
	if got := none.Complete("gorou", 5); got != nil || none.Len() != 0 {
		t.Errorf("nil suggester: %q", texts(got))
	}
	if got := New(nil, nil, nil).Complete("gorou", 5); got != nil {
		t.Errorf("empty suggester: %q", texts(got))
	}
}

func TestCompleteLongInput(t *testing.T) {
	titles, queries := synthetic(5000, 10000)
	s := New(append(titles, smallTitles...), queries, nil)
	inputs := []string{
		strings.Repeat("goroutine ", 103),
		strings.Repeat("a", 1024),
		strings.Repeat("é", 512),
		"goroutine " + strings.Repeat("x", 1014),
		strings.Repeat("ab.", 341),
		strings.Repeat("\xff", 1024),
	}
	for _, in := range inputs {
		start := time.Now()
		got := s.Complete(in, 10)
		if d := time.Since(start); d > 50*time.Millisecond {
			t.Errorf("%.20q...: %v", in, d)
		}
		if len(got) != 0 {
			t.Errorf("%.20q...: %q", in, texts(got))
		}
	}
	// An input cut inside a rune is still read.
	in := strings.Repeat(" ", MaxInput-1) + "é"
	s.Complete(in, 5)
}

func TestCompleteUnicode(t *testing.T) {
	s := New([]Title{
		{Text: "Wie funktioniert die Übersetzung?"},
		{Text: "并发编程是什么"},
		{Text: "Café au lait"},
	}, nil, nil)
	tests := []struct {
		in    string
		want  string
		edits int
	}{
		{"übers", "Wie funktioniert die Übersetzung?", 0},
		{"UBERSETZ", "Wie funktioniert die Übersetzung?", 1}, // one typo in runes, two in bytes
		{"并发", "并发编程是什么", 0},
		{"cafe\u0301", "Café au lait", 0},
		{"café au l", "Café au lait", 0},
	}
	for _, tt := range tests {
		got := s.Complete(tt.in, 3)
		if len(got) != 1 || got[0].Text != tt.want || got[0].Edits != tt.edits {
			t.Errorf("%q: %+v, want %q with %d edits", tt.in, got, tt.want, tt.edits)
		}
	}
}

func TestCompleteCompounds(t *testing.T) {
	s := New(smallTitles, nil, nil)
	for _, in := range []string{"asyncio.ga", "asyncio.", "gather", "asyncio gath"} {
		if got := s.Complete(in, 3); len(got) != 1 || got[0].ID != "python/asyncio/gather#cancel" {
			t.Errorf("%q: %q", in, texts(got))
		}
	}
}

func TestCompleteKeepsQuestions(t *testing.T) {
	var queries []Query
	for _, w := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} {
		queries = append(queries, Query{Text: "goroutine " + w, Searches: 10, Results: 1})
	}
	titles := []Title{{Text: "Why would a goroutine leak?"}, {Text: "How are goroutines scheduled?"}, {Text: "What is a goroutine?"}}
	got := New(titles, queries, nil).Complete("gorou", 6)
	questions := 0
	for _, sg := range got {
		if sg.Kind == KindQuestion {
			questions++
		}
	}
	if len(got) != 6 || questions != 2 {
		t.Errorf("gorou: %q, want 6 with 2 questions", texts(got))
	}
	if got[0].Kind != KindQuery || got[5].Kind != KindQuestion {
		t.Errorf("gorou: %q, want queries first", texts(got))
	}
}

func TestCompleteConcurrent(t *testing.T) {
	titles, queries := synthetic(500, 1000)
	s := New(titles, queries, nil)
	inputs := benchInputs(titles, queries, 50)
	want := make([][]string, len(inputs))
	for i, in := range inputs {
		want[i] = texts(s.Complete(in, 8))
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, in := range inputs {
				if got := texts(s.Complete(in, 8)); !slices.Equal(got, want[i]) {
					t.Errorf("%q: %q, then %q", in, want[i], got)
				}
			}
		})
	}
	wg.Wait()
}

// TestCompleteSpeed holds Complete to a bound far above what it takes, so that
// only a real slowdown fails it.
func TestCompleteSpeed(t *testing.T) {
	titles, queries := synthetic(5000, 10000)
	start := time.Now()
	s := New(titles, queries, nil)
	built := time.Since(start)
	if built > time.Second {
		t.Errorf("New took %v", built)
	}
	inputs := benchInputs(titles, queries, 200)
	times := make([]time.Duration, len(inputs))
	for i, in := range inputs {
		start := time.Now()
		s.Complete(in, 8)
		times[i] = time.Since(start)
	}
	slices.Sort(times)
	p50, p99 := times[len(times)/2], times[len(times)*99/100]
	t.Logf("%d candidates: New %v; Complete median %v, p99 %v, max %v", s.Len(), built, p50, p99, times[len(times)-1])
	if p99 > 5*time.Millisecond {
		t.Errorf("p99 of Complete = %v, median %v", p99, p50)
	}
}

// completeByHand matches every candidate, without the shortcuts Complete takes.
func completeByHand(s *Suggester, input string, n int) []string {
	words, lastIsPrefix := parseInput(input)
	if len(words) == 0 || len(words) > maxTerms {
		return nil
	}
	terms := make([]term, len(words))
	for i, w := range words {
		prefix := lastIsPrefix && i == len(words)-1
		terms[i] = term{runes: []rune(w), prefix: prefix, edits: allowedEdits(w, prefix)}
		if terms[i].runs = s.vocab.lookup(terms[i].runes, prefix, terms[i].edits); len(terms[i].runs) == 0 {
			return nil
		}
	}
	top := ranking{n: n}
	for c := range s.cands {
		if h, ok := s.match(int32(c), terms, nil); ok {
			top.add(h)
		}
	}
	var out []string
	for _, h := range top.pick() {
		out = append(out, s.cands[h.cand].text)
	}
	return out
}

// TestCompleteAgreesWithMatchingEverything checks the shortcuts of Complete
// (the run of candidates starting with the input, the scan best first, the
// titles by position, the lazy checks): they must not change what is returned.
func TestCompleteAgreesWithMatchingEverything(t *testing.T) {
	inputs := []string{"gorou", "gorotine lea", "asyncio.ga", "what is t", "the t", "t", "how do you ", "epxlain h"}
	for _, size := range [][2]int{{400, 800}, {2000, 20}, {30, 2000}} {
		titles, queries := synthetic(size[0], size[1])
		titles = append(titles, smallTitles...)
		queries = append(queries, smallQueries...)
		s := New(titles, queries, []string{"goroutine leak"})
		for _, in := range append(benchInputs(titles, queries, 300), inputs...) {
			for _, n := range []int{1, 3, 8} {
				got, want := texts(s.Complete(in, n)), completeByHand(s, in, n)
				if !slices.Equal(got, want) && (len(got) > 0 || len(want) > 0) {
					t.Errorf("Complete(%q, %d) =\n%q\nwant\n%q", in, n, got, want)
				}
			}
		}
	}
}
