package web

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func TestPages(t *testing.T) {
	s := newServer(t)
	tests := []struct {
		target string
		want   []string
	}{
		{"/", []string{
			"<title>Search programming interview questions · qdex</title>",
			`action="/search"`, `href="/python"`, "Python", "3 questions", "Go", "2 questions",
		}},
		{"/search?q=goroutine", []string{
			`<mark>goroutine</mark>`, `href="/go/concurrency/goroutines?q=goroutine#goroutine-leak"`,
			`name="framework" value="go"`, `class="badge badge-hard"`, "results", "Go › Concurrency › Goroutines &amp; WaitGroup",
		}},
		{"/search?q=goroutine&framework=go", []string{`name="framework" value="go" checked`}},
		{"/search?framework=python&size=1", []string{`rel="next"`, `href="/search?framework=python&amp;page=2&amp;size=1"`, `aria-current="page">1<`}},
		{"/search?q=threadpol", []string{"Did you mean"}},
		{"/search", []string{"Type a query"}},
		{"/python", []string{"<h1>Python Interview Questions</h1>", `href="/python/concurrency"`, `href="/python/concurrency/gil"`}},
		{"/python/concurrency", []string{"Concurrency &amp; Parallelism", `href="/python/concurrency/gil#threadpool-executor"`}},
		{"/python/concurrency/gil", []string{
			"<title>Threading &amp; the GIL Interview Questions &amp; Answers</title>",
			"<h1>Threading &amp; the GIL Interview Questions &amp; Answers</h1>",
			"3 questions · Updated <time datetime=\"2026-05-02\">2026-05-02</time>",
			"The GIL, threads versus processes, and executors.",
			"Threads in CPython share one lock; processes do not.",
			`id="what-is-the-gil"`, `id="threadpool-executor"`, `id="process-pool"`,
			`class="badge badge-easy"`, `class="chroma"`, `href="/blog/python-gil-explained"`,
			`<a href="https://docs.python.org/3/library/multiprocessing.html" rel="nofollow noopener">`,
		}},
		{"/blog/python-gil-explained", []string{"<h1>The GIL, explained</h1>", `href="/python/concurrency/gil"`, "One lock for the whole interpreter"}},
	}
	for _, tt := range tests {
		t.Run(tt.target, func(t *testing.T) {
			rec := get(t, s, tt.target)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=UTF-8" {
				t.Errorf("Content-Type %q", ct)
			}
			body := rec.Body.String()
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			checkWellFormed(t, body)
		})
	}
}

func TestPageErrors(t *testing.T) {
	s := newServer(t)
	long := "/" + strings.Repeat("a", 5000)
	tests := []struct {
		target string
		status int
		want   string
	}{
		{"/nope", 404, "Page not found"},
		{"/python/nope", 404, "Page not found"},
		{"/python/concurrency/nope", 404, "Page not found"},
		{"/python/concurrency/gil/extra", 404, "Page not found"},
		{"/blog/nope", 404, "Page not found"},
		{"/../etc/passwd", 404, "Page not found"},
		{"/%2e%2e/", 404, "Page not found"},
		{"/%2e%2e/%2e%2e/etc/passwd", 404, "Page not found"},
		{"/python/..", 404, "Page not found"},
		{"/static/../server.go", 404, "Page not found"},
		{"/static/%2e%2e/server.go", 404, "Page not found"},
		{"/static/nope.css", 404, "Page not found"},
		{"/python%2Fconcurrency%2Fgil", 404, "Page not found"},
		{"/python%5cconcurrency", 404, "Page not found"},
		{long, 404, "Page not found"},
		{"/" + strings.Repeat("a/", 600), 404, "Page not found"},
		{"/search?page=abc", 400, "page: must be an integer"},
		{"/search?q=x&size=1000", 400, "size: must be between 1 and 100"},
		{"/search?q=%FF", 400, "q: must be valid UTF-8"},
		{"/python/concurrency/gil?q=%FF", 400, "q: must be valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.target[:min(len(tt.target), 50)], func(t *testing.T) {
			rec := get(t, s, tt.target)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %.300s", rec.Code, tt.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
				t.Errorf("Content-Type %q, want an HTML page", ct)
			}
			if !strings.Contains(rec.Body.String(), tt.want) {
				t.Errorf("page lacks %q", tt.want)
			}
		})
	}
}

func TestSecurityHeaders(t *testing.T) {
	s := newServer(t)
	for _, target := range []string{"/", "/search?q=gil", "/python/concurrency/gil", "/api/search?q=gil", "/api/nope", "/nope", "/static/search.js", "/healthz", "/search?page=abc"} {
		rec := get(t, s, target)
		h := rec.Header()
		want := map[string]string{
			"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "strict-origin-when-cross-origin",
			"X-Frame-Options":         "DENY",
		}
		for k, v := range want {
			if got := h.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", target, k, got, v)
			}
		}
	}
}

func TestStatic(t *testing.T) {
	s := newServer(t)
	tests := []struct{ name, ctype, want string }{
		{"style.css", "text/css; charset=utf-8", "prefers-color-scheme: dark"},
		{"search.js", "text/javascript; charset=utf-8", "AbortController"},
		{"chroma.css", "text/css; charset=utf-8", ".chroma"},
		{"favicon.svg", "image/svg+xml", "<svg"},
	}
	for _, tt := range tests {
		rec := get(t, s, "/static/"+tt.name)
		if rec.Code != 200 || rec.Header().Get("Content-Type") != tt.ctype || !strings.Contains(rec.Body.String(), tt.want) {
			t.Errorf("%s: %d %q", tt.name, rec.Code, rec.Header().Get("Content-Type"))
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("%s unversioned: Cache-Control %q", tt.name, cc)
		}
	}
	// The pages link versioned URLs, which may be cached for good.
	body := get(t, s, "/").Body.String()
	i := strings.Index(body, "/static/style.css?v=")
	if i < 0 {
		t.Fatal("the home page links no versioned style.css")
	}
	u := body[i : i+strings.IndexByte(body[i:], '"')]
	if cc := get(t, s, u).Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("%s: Cache-Control %q", u, cc)
	}
}

// TestHostileContent: raw HTML in answers and questions shows as text, and no link
// leaves with a javascript: (or data:) URL, on the page and in the API.
func TestHostileContent(t *testing.T) {
	s := newServer(t)
	for _, target := range []string{"/web/security/xss", "/api/questions/web/security/xss", "/search?q=script+alert"} {
		t.Run(target, func(t *testing.T) {
			rec := get(t, s, target)
			if rec.Code != 200 {
				t.Fatalf("status %d", rec.Code)
			}
			body := rec.Body.String()
			if strings.HasPrefix(target, "/api/") {
				var sub apiSubtopic
				sub = decode[apiSubtopic](t, body)
				var b strings.Builder
				for _, q := range sub.Questions {
					b.WriteString(string(q.AnswerHTML))
				}
				body = b.String()
			}
			checkSafeHTML(t, body)
			if target == "/web/security/xss" {
				for _, w := range []string{
					"What does &lt;script&gt;alert(1)&lt;/script&gt; do in a comment box?",
					"runs it: &lt;script&gt;alert(",
					"&lt;div onmouseover=&#34;alert(2)&#34;&gt;hover me&lt;/div&gt;",
					`<a href="https://example.com/escaping" rel="nofollow noopener">normal link</a>`,
					`<a href="/web/security/xss">relative one</a>`,
					"javascript link", "an image",
				} {
					if !strings.Contains(body, w) {
						t.Errorf("page lacks %q", w)
					}
				}
			}
		})
	}
}

// checkSafeHTML fails if the HTML has a script other than the site's own, an event
// handler attribute, or a URL attribute with a scheme other than http(s) or mailto.
func checkSafeHTML(t *testing.T, body string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.DataAtom == atom.Script {
				src := attr(n, "src")
				if !strings.HasPrefix(src, "/static/") || n.FirstChild != nil {
					t.Errorf("a script that is not the site's: %s", render(n))
				}
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("event handler attribute %s=%q", a.Key, a.Val)
				}
				switch a.Key {
				case "href", "src", "action", "formaction":
					v := strings.ToLower(strings.TrimSpace(a.Val))
					if i := strings.Index(v, ":"); i >= 0 && !strings.ContainsAny(v[:i], "/?#") {
						if scheme := v[:i]; scheme != "http" && scheme != "https" && scheme != "mailto" {
							t.Errorf("%s with scheme %q: %s", a.Key, scheme, render(n))
						}
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func render(n *html.Node) string {
	var b strings.Builder
	html.Render(&b, n)
	return b.String()
}

// voidElements have no end tag.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// checkWellFormed fails unless every element that is opened is closed, in order.
func checkWellFormed(t *testing.T, body string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(body))
	var stack []string
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				t.Fatal(z.Err())
			}
			if len(stack) > 0 {
				t.Errorf("elements left open: %v", stack)
			}
			return
		case html.StartTagToken:
			name, _ := z.TagName()
			if !voidElements[string(name)] {
				stack = append(stack, string(name))
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			if len(stack) == 0 || stack[len(stack)-1] != string(name) {
				t.Errorf("</%s> closes %v", name, stack)
				return
			}
			stack = stack[:len(stack)-1]
		}
	}
}

// TestAnswerPageMarks: with ?q= the matches are marked inside the rendered answers,
// in code too, without a mark crossing an element.
func TestAnswerPageMarks(t *testing.T) {
	s := newServer(t)
	rec := get(t, s, "/python/concurrency/gil?q=ThreadPoolExecutor")
	if rec.Code != 200 {
		t.Fatalf("status %d", rec.Code)
	}
	body := rec.Body.String()
	checkWellFormed(t, body)
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var marks, inCode, firsts, whole int
	var walk func(n *html.Node, inChroma, inAnswer bool)
	walk = func(n *html.Node, inChroma, inAnswer bool) {
		if n.Type == html.ElementNode {
			cls := attr(n, "class")
			inChroma = inChroma || strings.Contains(cls, "chroma")
			inAnswer = inAnswer || strings.Contains(cls, "answer")
			if n.DataAtom == atom.Mark {
				marks++
				if attr(n, "id") == firstMatchID {
					firsts++
				}
				if inChroma && inAnswer {
					inCode++
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					if c.Type != html.TextNode {
						t.Errorf("a mark holds an element: %s", render(n))
					}
				}
				if n.FirstChild != nil && n.FirstChild.Data == "ThreadPoolExecutor" {
					whole++
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inChroma, inAnswer)
		}
	}
	walk(doc, false, false)
	if marks < 2 || inCode < 2 {
		t.Errorf("%d marks, %d in highlighted code; want both lines of the executor's code marked", marks, inCode)
	}
	if whole < 2 {
		t.Errorf("ThreadPoolExecutor marked whole %d times, want 2 (import and call)", whole)
	}
	if firsts != 1 {
		t.Errorf("%d marks with id=%q, want 1", firsts, firstMatchID)
	}
	if !strings.Contains(body, `<a href="#first-match">`) {
		t.Error("no link to the first match")
	}
	// The chroma token around the match is still there.
	if !strings.Contains(body, `<span class="n"><mark id="first-match">ThreadPoolExecutor</mark></span>`) &&
		!strings.Contains(body, `<span class="nn"><mark`) {
		t.Errorf("the mark is not inside chroma's token span")
	}

	// Question titles and prose are marked too; a query with no match says so.
	body = get(t, s, "/python/concurrency/gil?q=processes").Body.String()
	if !strings.Contains(body, "How do <mark") {
		t.Errorf("the question title is not marked")
	}
	body = get(t, s, "/python/concurrency/gil?q=zzzzqqq").Body.String()
	if !strings.Contains(body, "No match for <strong>zzzzqqq</strong>") || strings.Contains(body, "<mark") {
		t.Errorf("no-match page wrong")
	}
	// Article pages mark too.
	body = get(t, s, "/blog/python-gil-explained?q=lock").Body.String()
	if !strings.Contains(body, `<mark id="first-match">`) {
		t.Errorf("article not marked")
	}
}
