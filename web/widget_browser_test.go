package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdpinput "github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"qdex/insights"
)

// hostSite is a content site that keeps its own pages, as the reference site does:
// its answer pages are rendered from qdex's questions API server-side, at
// /docs/<framework>/<topic>/<subtopic>, and every page carries the widget's script
// tag under a CSP that allows the qdex origin for scripts and connections only.
func hostSite(t *testing.T, qdex string, dark bool) *httptest.Server {
	t.Helper()
	csp := fmt.Sprintf("default-src 'self'; script-src 'self' %s; connect-src 'self' %s; style-src 'self'", qdex, qdex)
	theme := ""
	if dark {
		theme = ` data-theme="dark"`
	}
	page := func(w http.ResponseWriter, title, body string) {
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="en"%s><head><meta charset="utf-8"><title>%s</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><button type="button" data-qdex-open>Search</button></header><main><h1>%s</h1>%s</main>
<script src="%s/widget.js" defer data-qdex-hit-url="/docs/{path}#{id}" data-qdex-suggest-url="/suggest"></script>
<script src="%s/highlight.js" defer></script></body></html>`, theme, html.EscapeString(title), html.EscapeString(title), body, qdex, qdex)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		page(w, "Interview prep", "<p>Practice questions for every framework.</p>")
	})
	mux.HandleFunc("/docs/", func(w http.ResponseWriter, r *http.Request) {
		resp, err := http.Get(qdex + "/api/questions/" + strings.TrimPrefix(r.URL.Path, "/docs/"))
		if err != nil || resp.StatusCode != http.StatusOK {
			http.NotFound(w, r)
			return
		}
		defer resp.Body.Close()
		var sub struct {
			Name      string
			Questions []struct{ ID, Question, Answer string }
		}
		json.NewDecoder(resp.Body).Decode(&sub)
		var b strings.Builder
		for _, q := range sub.Questions {
			fmt.Fprintf(&b, `<section id="%s"><h2>%s</h2><p>%s</p></section>`, html.EscapeString(q.ID), html.EscapeString(q.Question), html.EscapeString(q.Answer))
		}
		page(w, sub.Name, b.String())
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// shadow is the widget's shadow root, in page JavaScript.
const shadow = `document.querySelector('qdex-search').shadowRoot`

// TestWidget drives the drop-in modal on a page of another origin: Ctrl+K opens it,
// typing shows results grouped by page with marks, arrows and Enter open the host's
// page for the hit, where the highlighter marks the words; Esc closes and gives the
// focus back; a site whose origin qdex does not allow is told search is unavailable;
// axe-core finds nothing serious in light and dark. Screenshots of each state.
func TestWidget(t *testing.T) {
	ctx := newBrowser(t)
	axe := axeSource(t)
	shots := screenshotDir(t)

	// The host's origin is only known once it listens: qdex starts after it, with
	// the host allowed, behind a handler that forwards to it.
	var qdex http.Handler
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { qdex.ServeHTTP(w, r) }))
	t.Cleanup(front.Close)
	host := hostSite(t, front.URL, false)
	darkHost := hostSite(t, front.URL, true)
	stranger := hostSite(t, front.URL, false)
	// Readers have searched for "goroutine leak" before: the modal offers it as a
	// completion.
	store, err := insights.OpenStore(filepath.Join(t.TempDir(), "insights.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := insights.NewRecorder(context.Background(), store, nil, insights.Options{Flush: 5 * time.Millisecond})
	t.Cleanup(rec.Close)
	for range 2 {
		rec.Search(insights.Search{Time: time.Now(), Query: "goroutine leak", Results: 2})
	}
	waitWritten(t, rec, 2)
	s, err := New(Config{Holder: testHolder, CORSOrigins: []string{host.URL, darkHost.URL}, Insights: rec})
	if err != nil {
		t.Fatal(err)
	}
	qdex = s
	watchErrors(t, ctx)

	do(t, ctx, "host page", chromedp.Navigate(host.URL+"/"), chromedp.WaitVisible(chromedp.CSS("main h1")))
	poll(t, ctx, "the widget loaded", `!!window.qdexSearch`)
	do(t, ctx, "focus the page's button", chromedp.Focus(chromedp.CSS("header button")))
	do(t, ctx, "ctrl+k", chromedp.KeyEvent("k", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	poll(t, ctx, "the modal open with focus in its box", shadow+`.activeElement === `+shadow+`.querySelector('input') && !`+shadow+`.querySelector('.backdrop').hidden`)
	shoot(t, ctx, shots, "widget-empty", false)

	do(t, ctx, "type", chromedp.KeyEvent("goroutine"))
	poll(t, ctx, "grouped results with marks", shadow+`.querySelectorAll('[role=option] mark').length > 0`)
	groups := eval[[]string](t, ctx, `[...`+shadow+`.querySelectorAll('.crumb')].map(e => e.textContent)`)
	if len(groups) == 0 || !strings.Contains(groups[len(groups)-1], " › ") {
		t.Errorf("groups %q: want framework › topic › subtopic breadcrumbs", groups)
	}
	if got := eval[string](t, ctx, shadow+`.querySelector('[role=status]').textContent`); !strings.HasSuffix(got, "results.") && !strings.HasSuffix(got, "result.") {
		t.Errorf("live region says %q", got)
	}
	if n := eval[int](t, ctx, shadow+`.querySelectorAll('.chip').length`); n == 0 {
		t.Error("no filter chips")
	}
	if got := eval[string](t, ctx, `(`+shadow+`.querySelector('[role=option].completion') || {}).textContent || ''`); got != "goroutine leak" {
		t.Errorf("completion above the results %q, want the past search goroutine leak", got)
	}
	shoot(t, ctx, shots, "widget-results", false)
	checkAxe(t, ctx, axe, "light, with results")
	checkErrors(t, ctx)

	// The completion is an option like the results: ↑ from the first result reaches
	// it, and Enter searches for it.
	do(t, ctx, "up to the completion", chromedp.KeyEvent(kb.ArrowUp))
	if !eval[bool](t, ctx, shadow+`.querySelector('[role=option].completion').getAttribute('aria-selected') === 'true'`) {
		t.Error("↑ from the first result does not select the completion")
	}
	do(t, ctx, "take it", chromedp.KeyEvent(kb.Enter))
	poll(t, ctx, "the completion searched", shadow+`.querySelector('input').value === 'goroutine leak' && `+shadow+`.querySelector('[role=option]:not(.completion) mark') !== null`)

	// A filter chip narrows the results and says it is pressed.
	eval[bool](t, ctx, `[...`+shadow+`.querySelectorAll('.chip')].find(c => /hard/i.test(c.textContent)).click() || true`)
	poll(t, ctx, "a pressed chip", shadow+`.querySelector('.chip[aria-pressed=true]') !== null`)
	poll(t, ctx, "hard results only", `[...`+shadow+`.querySelectorAll('[role=option] .badge')].every(b => !/easy|medium/.test(b.className))`)

	// Arrows move the active option; Enter opens the host's page for it.
	do(t, ctx, "arrow down", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowUp))
	active := eval[string](t, ctx, shadow+`.querySelector('input').getAttribute('aria-activedescendant')`)
	if active == "" || !eval[bool](t, ctx, shadow+`.getElementById('`+active+`').getAttribute('aria-selected') === 'true'`) {
		t.Errorf("aria-activedescendant %q does not name the selected option", active)
	}
	want := eval[string](t, ctx, shadow+`.getElementById('`+active+`').href`)
	do(t, ctx, "enter", chromedp.KeyEvent(kb.Enter))
	poll(t, ctx, "the host's answer page", `location.pathname.startsWith('/docs/') && document.readyState === 'complete'`)
	if got := eval[string](t, ctx, `location.href`); got != want || !strings.Contains(got, host.URL+"/docs/") || !strings.Contains(got, "#") {
		t.Errorf("opened %q, want %q on the host", got, want)
	}
	poll(t, ctx, "the highlighter's marks", `document.querySelectorAll('main mark.qdex-mark').length > 0`)
	if got := eval[string](t, ctx, `document.querySelector('main mark.qdex-mark').textContent.toLowerCase()`); !strings.HasPrefix(got, "goroutine") {
		t.Errorf("first mark on the host's page %q", got)
	}
	shoot(t, ctx, shots, "widget-host-answer", false)
	checkErrors(t, ctx)

	// Recent searches and answers, then Esc closes and the focus goes back.
	pressSlash(t, ctx)
	poll(t, ctx, "the modal open", `!`+shadow+`.querySelector('.backdrop').hidden && `+shadow+`.activeElement === `+shadow+`.querySelector('input')`)
	if v := eval[string](t, ctx, shadow+`.querySelector('input').value`); v != "" {
		t.Errorf("after /, the box holds %q", v)
	}
	poll(t, ctx, "recent searches", shadow+`.querySelector('.recent') !== null && `+shadow+`.querySelector('.recent').textContent.includes('goroutine')`)
	if !eval[bool](t, ctx, `[...`+shadow+`.querySelectorAll('.recent a')].some(a => a.href.startsWith('`+host.URL+`/docs/') && !a.href.includes('qdex_'))`) {
		t.Error("the answer opened is not among the recently opened")
	}
	shoot(t, ctx, shots, "widget-recent", false)
	eval[bool](t, ctx, `([...`+shadow+`.querySelectorAll('button')].find(b => b.textContent === 'Clear history').click(), true)`)
	poll(t, ctx, "history cleared", shadow+`.querySelector('.recent') === null && !localStorage.getItem('qdex-widget')`)
	do(t, ctx, "escape", chromedp.KeyEvent(kb.Escape))
	poll(t, ctx, "closed", shadow+`.querySelector('.backdrop').hidden`)

	do(t, ctx, "back home", chromedp.Navigate(host.URL+"/"), chromedp.Focus(chromedp.CSS("header button")))
	poll(t, ctx, "the widget loaded", `!!window.qdexSearch`)
	openModal(t, ctx)
	do(t, ctx, "escape", chromedp.KeyEvent(kb.Escape))
	if !eval[bool](t, ctx, `document.activeElement === document.querySelector('header button')`) {
		t.Error("after Esc the focus is not back on the button that had it")
	}

	// A misspelt word: the correction is offered, and taking it searches again.
	openModal(t, ctx)
	do(t, ctx, "type", chromedp.KeyEvent("goroutine leek "))
	poll(t, ctx, "did you mean", shadow+`.querySelector('.notice:not([hidden]) button') !== null`)
	if got := eval[string](t, ctx, shadow+`.querySelector('.notice button').textContent`); got != "goroutine leak" {
		t.Errorf("did you mean %q", got)
	}
	eval[bool](t, ctx, `(`+shadow+`.querySelector('.notice button').click(), true)`)
	poll(t, ctx, "the corrected search", shadow+`.querySelector('input').value === 'goroutine leak' && `+shadow+`.querySelector('.notice').hidden`)
	do(t, ctx, "escape", chromedp.KeyEvent(kb.Escape))

	// Zero results: the "suggest a question" link.
	do(t, ctx, "ctrl+k", chromedp.KeyEvent("k", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	poll(t, ctx, "focus in the box", shadow+`.activeElement === `+shadow+`.querySelector('input')`)
	do(t, ctx, "type", chromedp.KeyEvent("qqzzxxw"))
	poll(t, ctx, "no results", shadow+`.querySelector('.none') !== null`)
	if !eval[bool](t, ctx, `[...`+shadow+`.querySelectorAll('.extra a')].some(a => a.href.startsWith('`+host.URL+`/suggest?q='))`) {
		t.Error("no suggest-a-question link")
	}
	shoot(t, ctx, shots, "widget-none", false)

	// A 390 px phone: the modal takes the screen.
	do(t, ctx, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)), chromedp.Navigate(host.URL+"/"))
	poll(t, ctx, "the widget loaded", `!!window.qdexSearch`)
	eval[bool](t, ctx, `(qdexSearch.open(), true)`)
	poll(t, ctx, "focus in the box", shadow+`.activeElement === `+shadow+`.querySelector('input')`)
	do(t, ctx, "type", chromedp.KeyEvent("goroutine"))
	poll(t, ctx, "results", shadow+`.querySelectorAll('[role=option]').length > 0`)
	shoot(t, ctx, shots, "widget-phone", false)
	do(t, ctx, "desktop", chromedp.EmulateViewport(1280, 900))

	// Dark: the host says so on <html>.
	do(t, ctx, "dark host", chromedp.Navigate(darkHost.URL+"/"))
	poll(t, ctx, "the widget loaded", `!!window.qdexSearch`)
	openModal(t, ctx)
	do(t, ctx, "type", chromedp.KeyEvent("thread pool"))
	poll(t, ctx, "results", shadow+`.querySelectorAll('[role=option] mark').length > 0`)
	if theme := eval[string](t, ctx, `document.querySelector('qdex-search').getAttribute('data-theme')`); theme != "dark" {
		t.Errorf("theme %q on a dark host", theme)
	}
	shoot(t, ctx, shots, "widget-dark", false)
	checkAxe(t, ctx, axe, "dark, with results")
	checkErrors(t, ctx)

	// An origin qdex does not allow: the browser refuses the answers, and the modal
	// says search is unavailable.
	do(t, ctx, "stranger", chromedp.Navigate(stranger.URL+"/"))
	poll(t, ctx, "the widget loaded", `!!window.qdexSearch`)
	openModal(t, ctx)
	do(t, ctx, "type", chromedp.KeyEvent("goroutine"))
	poll(t, ctx, "unavailable", shadow+`.querySelector('.unavailable') !== null`)
	shoot(t, ctx, shots, "widget-unavailable", false)

	// Dark by the reader's system setting on a host that says nothing.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "host, dark system", chromedp.Navigate(host.URL+"/"))
	poll(t, ctx, "the widget loaded", `!!window.qdexSearch`)
	eval[bool](t, ctx, `(qdexSearch.open(), true)`)
	if theme := eval[string](t, ctx, `document.querySelector('qdex-search').getAttribute('data-theme')`); theme != "dark" {
		t.Errorf("theme %q with a dark system setting", theme)
	}
}

// pressSlash types "/" as a keyboard does: one keyDown that carries its text, which
// the page may cancel. (chromedp.KeyEvent sends the text as a separate "char" event,
// which a cancelled keydown does not stop: no keyboard does that.)
func pressSlash(t *testing.T, ctx context.Context) {
	t.Helper()
	for _, typ := range []cdpinput.DispatchKeyEventType{cdpinput.DispatchKeyEventTypeKeyDown, cdpinput.DispatchKeyEventTypeKeyUp} {
		p := cdpinput.DispatchKeyEventParams{Type: typ, Key: "/", Code: "Slash", WindowsVirtualKeyCode: 191, NativeVirtualKeyCode: 191}
		if typ == cdpinput.DispatchKeyEventTypeKeyDown {
			p.Text, p.UnmodifiedText = "/", "/"
		}
		if _, err := chromedp.Call(ctx, cdpinput.DispatchKeyEvent, p); err != nil {
			t.Fatal(err)
		}
	}
}

// openModal presses Ctrl+K and waits for the focus in the modal's box.
func openModal(t *testing.T, ctx context.Context) {
	t.Helper()
	do(t, ctx, "ctrl+k", chromedp.KeyEvent("k", chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	poll(t, ctx, "focus in the modal's box", shadow+`.activeElement === `+shadow+`.querySelector('input')`)
}

// axeSource is axe-core's script (make axe), or a skip without it; CI requires it.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "var", "axe", "axe.min.js"))
	if err != nil {
		if os.Getenv("QDEX_REQUIRE_AXE") != "" {
			t.Fatalf("axe-core required (QDEX_REQUIRE_AXE): %v; run make axe", err)
		}
		t.Skip("axe-core not fetched: make axe")
	}
	return string(b)
}

// checkAxe runs axe-core on the page as it is (the open modal) and fails on any
// serious or critical violation.
func checkAxe(t *testing.T, ctx context.Context, axe, when string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
		t.Fatalf("loading axe-core: %v", err)
	}
	type violation struct {
		ID, Impact, Help string
		Nodes            []struct{ Target []any }
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]violation](`axe.run(document, {resultTypes: ['violations']}).then(r => r.violations)`, chromedp.EvalAsValue, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe: %v", err)
	}
	for _, v := range got {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("axe (%s): %s %s: %s, at %v", when, v.Impact, v.ID, v.Help, v.Nodes)
		} else {
			t.Logf("axe (%s): %s %s: %s", when, v.Impact, v.ID, v.Help)
		}
	}
}
