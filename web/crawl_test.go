package web

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"qdex/corpus"
	"qdex/indexer"
	"qdex/search"
)

// TestEveryShippedPageRenders builds the index of data/ and requests every page a
// reader can reach, plain and with a query to mark: each must answer 200 with HTML
// that parses, and the marks must not break it.
func TestEveryShippedPageRenders(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the index of data/")
	}
	c, err := corpus.Load("../data")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := indexer.Build(context.Background(), c, dir, indexer.Options{}); err != nil {
		t.Fatal(err)
	}
	s := serverOf(t, dir)
	pages := []string{"/", "/search?q=goroutine+leak", "/search?q=framework:python+difficulty:hard"}
	for _, f := range c.Frameworks {
		pages = append(pages, "/"+f.Slug)
	}
	for _, tp := range c.Topics {
		pages = append(pages, "/"+tp.Framework+"/"+tp.Slug)
	}
	for _, st := range c.Subtopics {
		pages = append(pages, "/"+st.Path(), "/"+st.Path()+"?q="+url.QueryEscape("the error <b>&amp;"))
	}
	for _, a := range c.Articles {
		pages = append(pages, "/blog/"+a.Slug, "/blog/"+a.Slug+"?q=code")
	}
	for _, p := range pages {
		rec := get(t, s, p)
		if rec.Code != http.StatusOK {
			t.Errorf("%s: %d", p, rec.Code)
			continue
		}
		z := html.NewTokenizer(rec.Body)
		for z.Next() != html.ErrorToken {
		}
		if err := z.Err(); err != nil && err.Error() != "EOF" {
			t.Errorf("%s: HTML does not tokenize: %v", p, err)
		}
		if strings.Contains(rec.Body.String(), "<b>&amp;") {
			t.Errorf("%s: the query reached the page unescaped", p)
		}
	}
	t.Logf("%d pages rendered", len(pages))
}

// serverOf serves the index at dir, closed when the test ends.
func serverOf(t *testing.T, dir string) *Server {
	t.Helper()
	ix, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := search.NewHolder(ix)
	t.Cleanup(h.Close)
	s, err := New(Config{Holder: h})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
