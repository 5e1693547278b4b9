package web

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func suggestions(t *testing.T, url, q string) []apiSuggestion {
	t.Helper()
	resp, err := http.Get(url + "/api/suggest?q=" + q)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("suggest %q: %d", q, resp.StatusCode)
	}
	var body struct{ Suggestions []apiSuggestion }
	json.NewDecoder(resp.Body).Decode(&body)
	return body.Suggestions
}

func texts(l []apiSuggestion) []string {
	var out []string
	for _, s := range l {
		out = append(out, s.Kind+":"+s.Text)
	}
	return out
}

// TestSuggestAPI: completions come from past queries that found something and from
// the questions, forgive a typo, never offer a query that found nothing, and leave
// out what the admin blocks.
func TestSuggestAPI(t *testing.T) {
	url, rec := insightsServer(t)
	for range 3 {
		for _, q := range []string{"goroutine+leak", "qqzzyy"} {
			resp, _ := http.Get(url + "/api/search?q=" + q)
			resp.Body.Close()
		}
	}
	waitWritten(t, rec, 6)
	got := texts(suggestions(t, url, "gorou"))
	if !containsPrefix(got, "query:goroutine leak") || !containsPrefix(got, "question:") {
		t.Errorf("gorou: %q, want the popular query and questions", got)
	}
	if got := texts(suggestions(t, url, "gorotine+lea")); len(got) == 0 || got[0] != "query:goroutine leak" {
		t.Errorf("gorotine lea: %q", got)
	}
	if got := texts(suggestions(t, url, "qqzz")); len(got) != 0 {
		t.Errorf("a query that found nothing is offered: %q", got)
	}
	if s := suggestions(t, url, "gorou"); !strings.Contains(s[0].HTML, "<mark>") {
		t.Errorf("no marks: %q", s[0].HTML)
	}
	req, _ := http.NewRequest(http.MethodPost, url+"/api/admin/suggestions/blocked", strings.NewReader(`{"text":"Goroutine Leak"}`))
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusNoContent {
		t.Fatalf("block: %v %v", err, resp.StatusCode)
	}
	if got := texts(suggestions(t, url, "gorou")); containsPrefix(got, "query:goroutine leak") {
		t.Errorf("a blocked suggestion is offered: %q", got)
	}
	for _, target := range []string{"/api/suggest?q=x&size=0", "/api/suggest?q=x&size=abc", "/api/suggest?q=" + strings.Repeat("x", 600)} {
		resp, _ := http.Get(url + target)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%.40s: %d, want 400", target, resp.StatusCode)
		}
	}
}

func containsPrefix(l []string, p string) bool {
	for _, s := range l {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// TestSuggestionsInBrowser: typing in the search box shows suggestions; ↓ and
// Enter take one, which becomes the search.
func TestSuggestionsInBrowser(t *testing.T) {
	ctx := newBrowser(t)
	url, _ := insightsServer(t)
	shots := screenshotDir(t)
	watchErrors(t, ctx)
	do(t, ctx, "search page", chromedp.Navigate(url+"/search"), chromedp.WaitVisible(chromedp.CSS("#q")))
	do(t, ctx, "type", chromedp.SendKeys(chromedp.CSS("#q"), "thread po"))
	poll(t, ctx, "suggestions", `!document.getElementById('q-suggest').hidden && document.querySelectorAll('#q-suggest [role=option]').length > 0`)
	shoot(t, ctx, shots, "suggestions", false)
	first := eval[string](t, ctx, `document.querySelector('#q-suggest [role=option]').textContent`)
	do(t, ctx, "down", chromedp.KeyEvent(kb.ArrowDown))
	if id := eval[string](t, ctx, `document.getElementById('q').getAttribute('aria-activedescendant')`); id != "sg-0" {
		t.Errorf("aria-activedescendant %q", id)
	}
	do(t, ctx, "enter", chromedp.KeyEvent(kb.Enter))
	if strings.HasSuffix(first, "question") {
		poll(t, ctx, "the question's page", `location.pathname !== '/search'`)
	} else {
		poll(t, ctx, "the suggestion searched", `document.getElementById('q').value.trim() === `+jsString(first)+` && document.getElementById('q-suggest').hidden`)
	}
	checkErrors(t, ctx)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
