package web

import (
	"html/template"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestMarkerHTML(t *testing.T) {
	tests := []struct {
		name, query string
		in          template.HTML
		want        string
	}{
		{"text", "goroutine", "<p>a goroutine leaks</p>", `<p>a <mark id="first-match">goroutine</mark> leaks</p>`},
		{"two in one node", "goroutine", "<p>goroutine and goroutine</p>", `<p><mark id="first-match">goroutine</mark> and <mark>goroutine</mark></p>`},
		{"inside chroma spans", "waitgroup",
			`<pre class="chroma"><code><span class="line"><span class="n">sync</span><span class="o">.</span><span class="n">WaitGroup</span></span></code></pre>`,
			`<pre class="chroma"><code><span class="line"><span class="n">sync</span><span class="o">.</span><span class="n"><mark id="first-match">WaitGroup</mark></span></span></code></pre>`},
		{"never across elements", "waitgroup", "<p>Wait<b>Group</b> sync.<i>WaitGroup</i></p>", `<p>Wait<b>Group</b> sync.<i><mark id="first-match">WaitGroup</mark></i></p>`},
		{"attributes untouched", "goroutine", `<p><a href="/goroutine" title="goroutine">x</a></p>`, `<p><a href="/goroutine" title="goroutine">x</a></p>`},
		{"escaped text stays escaped", "script", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
			`<p>&lt;<mark id="first-match">script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;</p>`},
		{"no match", "zzzz", "<p>a goroutine</p>", "<p>a goroutine</p>"},
		{"empty query", "", "<p>a goroutine</p>", "<p>a goroutine</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mk := newMarker(nil)
			if tt.query != "" {
				mk = newMarker(testIndex.NewMatcher(tt.query))
			}
			got, err := mk.HTML(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestMarkerText(t *testing.T) {
	mk := newMarker(testIndex.NewMatcher("goroutine"))
	if got := mk.Text("<goroutine> & goroutine"); got != `&lt;<mark id="first-match">goroutine</mark>&gt; &amp; <mark>goroutine</mark>` {
		t.Errorf("got %s", got)
	}
	if mk.Count != 2 {
		t.Errorf("count %d", mk.Count)
	}
	// The count and the first-match id go on across calls: one marker per page.
	got, _ := mk.HTML("<p>goroutine</p>")
	if got != "<p><mark>goroutine</mark></p>" || mk.Count != 3 {
		t.Errorf("got %s, count %d", got, mk.Count)
	}
	if got := newMarker(nil).Text("<b>"); got != "&lt;b&gt;" {
		t.Errorf("inactive marker: %s", got)
	}
}

// FuzzMarkerHTML: whatever the HTML and the query, marking keeps the text as it
// was, puts only text inside marks, and the result renders.
func FuzzMarkerHTML(f *testing.F) {
	f.Add("<p>a goroutine leaks</p>", "goroutine")
	f.Add(`<pre class="chroma"><code><span class="n">ThreadPoolExecutor</span></code></pre>`, "ThreadPoolExecutor")
	f.Add("<p>&lt;script&gt;</p><script>x</script>", "script")
	f.Add("<p>unclosed <b>bold", "bold")
	f.Add("text é ü 日本語 goroutine", "日本 goroutine")
	f.Add("<p><mark>gil</mark> gil</p>", "gil")
	f.Fuzz(func(t *testing.T, in, q string) {
		if len(q) > 200 || len(in) > 4096 {
			return
		}
		ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
		nodes, err := html.ParseFragment(strings.NewReader(in), ctx)
		if err != nil {
			return
		}
		before := textOf(nodes)
		marksBefore := countMarks(nodes)
		mk := newMarker(testIndex.NewMatcher(q))
		for _, n := range nodes {
			mk.walk(n)
		}
		if after := textOf(nodes); after != before {
			t.Fatalf("text changed: %q → %q", before, after)
		}
		if got := countMarks(nodes) - marksBefore; got != mk.Count {
			t.Errorf("%d marks added, counted %d", got, mk.Count)
		}
		var b strings.Builder
		for _, n := range nodes {
			if err := html.Render(&b, n); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := mk.HTML(template.HTML(in)); err != nil {
			t.Fatal(err)
		}
	})
}

func textOf(nodes []*html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return b.String()
}

// countMarks counts the <mark> elements, checking that the ones the marker made hold
// one text node.
func countMarks(nodes []*html.Node) int {
	n := 0
	var walk func(*html.Node)
	walk = func(x *html.Node) {
		if x.Type == html.ElementNode && x.DataAtom == atom.Mark {
			n++
		}
		for c := x.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, x := range nodes {
		walk(x)
	}
	return n
}
