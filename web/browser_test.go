package web

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The browser tests drive Debian's chromium headless. Screenshots go to the directory
// in QDEX_SCREENSHOTS, else to a temporary one.

const chromiumPath = "/usr/bin/chromium"

// newBrowser starts a headless Chromium with a fresh profile and returns its context.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skip("chromium not installed: apt-get install chromium")
	}
	if testing.Short() {
		t.Skip("browser test skipped with -short")
	}
	profile, err := os.MkdirTemp("", "qdex-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Chromium's helpers can still write in the profile for a moment after it exits.
		for range 50 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

func screenshotDir(t *testing.T) string {
	if d := os.Getenv("QDEX_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// shoot saves a screenshot of the viewport (or the whole page) as name.png.
func shoot(t *testing.T, ctx context.Context, dir, name string, full bool) {
	t.Helper()
	var png []byte
	var err error
	if full {
		png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
	} else {
		png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	}
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", p)
}

// poll waits until the JavaScript expression is true. It evaluates it again and
// again rather than with chromedp.Poll, which fails when a navigation replaces the
// page under it.
func poll(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		var ok bool
		if ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("waiting for %s (%s): %v", what, expr, err)
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// TestBrowser types a query, sees instant highlighted results, ticks a facet, opens
// an answer with the keyboard and finds the <mark> in it, in light and dark mode.
func TestBrowser(t *testing.T) {
	ctx := newBrowser(t)
	ts := httptest.NewServer(newServer(t))
	defer ts.Close()
	shots := screenshotDir(t)
	watchErrors(t, ctx)

	// Home: typing shows the first results under the box, with marks.
	do(t, ctx, "home", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#q")))
	do(t, ctx, "type on home", chromedp.SendKeys(chromedp.CSS("#q"), "thread pool"))
	poll(t, ctx, "instant results on the home page", `document.querySelectorAll('#results .hit mark').length > 0 && !document.getElementById('preview').hidden`)
	shoot(t, ctx, shots, "home-instant", false)
	checkErrors(t, ctx)

	// Search page: results as you type, the URL follows.
	do(t, ctx, "search page", chromedp.Navigate(ts.URL+"/search"), chromedp.WaitVisible(chromedp.CSS("#q")))
	do(t, ctx, "type", chromedp.SendKeys(chromedp.CSS("#q"), "goroutine"))
	poll(t, ctx, "instant results", `document.querySelectorAll('#results .hit mark').length > 0 && location.search.includes('q=goroutine')`)
	if n := eval[int](t, ctx, `document.querySelectorAll('#results .hit').length`); n != 2 {
		t.Errorf("%d results for goroutine, want 2", n)
	}
	if got := eval[string](t, ctx, `document.querySelector('#results .hit mark').textContent.toLowerCase()`); got != "goroutine" {
		t.Errorf("first mark %q", got)
	}

	// Tick a facet: the results narrow, the URL keeps the filter, other values stay.
	do(t, ctx, "tick hard", chromedp.Click(chromedp.CSS(`input[name="difficulty"][value="hard"]`)))
	poll(t, ctx, "filtered results", `location.search.includes('difficulty=hard') && document.querySelectorAll('#results .hit').length === 1`)
	if !eval[bool](t, ctx, `document.querySelector('input[name="difficulty"][value="hard"]').checked && !!document.querySelector('input[name="difficulty"][value="medium"]')`) {
		t.Error("after ticking, hard is not checked or medium is gone (facets must be disjunctive)")
	}
	shoot(t, ctx, shots, "search-facet", false)
	checkErrors(t, ctx)

	// ArrowDown selects the first result, Enter opens it at its question, with marks.
	do(t, ctx, "focus", chromedp.Focus(chromedp.CSS("#q")))
	do(t, ctx, "arrow down", chromedp.KeyEvent(kb.ArrowDown))
	poll(t, ctx, "a selected result", `document.querySelector('#results .hit.selected') !== null`)
	do(t, ctx, "enter", chromedp.KeyEvent(kb.Enter))
	poll(t, ctx, "the answer page", `location.pathname === '/go/concurrency/goroutines' && document.readyState === 'complete'`)
	if got := eval[string](t, ctx, `location.search + location.hash`); got != "?q=goroutine#goroutine-leak" {
		t.Errorf("opened %q", got)
	}
	poll(t, ctx, "a mark inside the answer", `document.querySelector('.answer mark') !== null`)
	poll(t, ctx, "the current match", `document.querySelector('mark.current') !== null`)
	shoot(t, ctx, shots, "answer-marks", false)
	checkErrors(t, ctx)

	// "/" focuses the search box.
	eval[bool](t, ctx, `(document.activeElement.blur(), true)`)
	do(t, ctx, "slash", chromedp.KeyEvent("/"))
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "q" {
		t.Errorf("after /, focus is on %q", id)
	}

	// Marks inside highlighted code.
	do(t, ctx, "code marks", chromedp.Navigate(ts.URL+"/python/concurrency/gil?q=ThreadPoolExecutor"))
	poll(t, ctx, "a mark inside chroma code", `document.querySelector('.answer .chroma mark') !== null`)
	if !eval[bool](t, ctx, `[...document.querySelectorAll('.answer .chroma mark')].some(m => m.textContent === 'ThreadPoolExecutor')`) {
		t.Error("ThreadPoolExecutor is not marked in the code")
	}
	if !eval[bool](t, ctx, `document.getElementById('first-match') === document.querySelector('main mark')`) {
		t.Error("the first mark has not id=first-match")
	}

	// Dark mode.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}},
	}); err != nil {
		t.Fatal(err)
	}
	if bg := eval[string](t, ctx, `getComputedStyle(document.body).backgroundColor`); bg != "rgb(13, 17, 23)" {
		t.Errorf("dark mode body background %s", bg)
	}
	shoot(t, ctx, shots, "answer-dark", false)

	// Without typing, the search page is rendered by the server; a result link opens
	// the answer at its question.
	do(t, ctx, "search page", chromedp.Navigate(ts.URL+"/search?q=gil"))
	checkErrors(t, ctx)
	if n := eval[int](t, ctx, `document.querySelectorAll('#results .hit').length`); n == 0 {
		t.Error("no results without typing")
	}
	do(t, ctx, "open", chromedp.Click(chromedp.CSS("#results .hit a")))
	poll(t, ctx, "the answer page", `location.pathname === '/python/concurrency/gil' && document.readyState === 'complete'`)
	poll(t, ctx, "the current match", `document.querySelector('.doc mark.current') !== null`)
	checkErrors(t, ctx)

	// Without JavaScript the facets are a plain GET form.
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "no-JS search", chromedp.Navigate(ts.URL+"/search?q=goroutine"))
	do(t, ctx, "tick", chromedp.Click(chromedp.CSS(`input[name="difficulty"][value="hard"]`)))
	do(t, ctx, "apply", chromedp.Click(chromedp.CSS(`button.apply`)))
	// Script execution is off in the page, not for the protocol: Evaluate still works.
	poll(t, ctx, "the filtered page", `location.search.includes('difficulty=hard') && document.querySelectorAll('#results .hit').length === 1`)
	shoot(t, ctx, shots, "search-nojs", false)
}

// watchErrors records, on every page the browser opens, the script errors and the
// Content-Security-Policy violations, for checkErrors.
func watchErrors(t *testing.T, ctx context.Context) {
	t.Helper()
	const src = `window.__qdexErrors = [];
document.addEventListener('securitypolicyviolation', e => window.__qdexErrors.push('CSP ' + e.violatedDirective + ' ' + e.blockedURI));
window.addEventListener('error', e => window.__qdexErrors.push('error ' + e.message));`
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: src}); err != nil {
		t.Fatal(err)
	}
}

func checkErrors(t *testing.T, ctx context.Context) {
	t.Helper()
	if errs := eval[[]string](t, ctx, `window.__qdexErrors || []`); len(errs) > 0 {
		t.Errorf("errors on %s: %v", eval[string](t, ctx, `location.href`), errs)
	}
}

// TestScreenshots photographs the pages of a real index, for a person to look at:
//
//	QDEX_SCREENSHOT_INDEX=var/index QDEX_SCREENSHOTS=/tmp/shots go test -run Screenshots ./web/
func TestScreenshots(t *testing.T) {
	dir := os.Getenv("QDEX_SCREENSHOT_INDEX")
	if dir == "" {
		t.Skip("QDEX_SCREENSHOT_INDEX not set")
	}
	ctx := newBrowser(t)
	ts := httptest.NewServer(serverOf(t, dir))
	defer ts.Close()
	shots := screenshotDir(t)
	query := os.Getenv("QDEX_SCREENSHOT_QUERY")
	if query == "" {
		query = "gil threads"
	}
	page := os.Getenv("QDEX_SCREENSHOT_PAGE")
	if page == "" {
		page = "/python/concurrency/gil?q=gil"
	}
	pages := []struct{ name, path string }{
		{"real-home", "/"},
		{"real-search", "/search?q=" + strings.ReplaceAll(query, " ", "+")},
		{"real-answer", page},
		{"real-framework", "/python"},
		{"real-topic", "/python/concurrency"},
		{"real-404", "/nope"},
	}
	for _, dark := range []bool{false, true} {
		scheme := "light"
		if dark {
			scheme = "dark"
		}
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		}); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			do(t, ctx, p.path, chromedp.Navigate(ts.URL+p.path))
			time.Sleep(300 * time.Millisecond)
			shoot(t, ctx, shots, p.name+"-"+scheme, false)
		}
	}
	do(t, ctx, "mobile", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)), chromedp.Navigate(ts.URL+page))
	time.Sleep(300 * time.Millisecond)
	shoot(t, ctx, shots, "real-answer-mobile", false)
	do(t, ctx, "mobile search", chromedp.Navigate(ts.URL+"/search?q="+strings.ReplaceAll(query, " ", "+")))
	shoot(t, ctx, shots, "real-search-mobile", false)
}
