package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"qdex/corpus"
	"qdex/facet"
	"qdex/search"
)

// page is what the layout needs from every page.
type page struct {
	Title       string // the <title>, without the site name
	Description string // meta description
	Query       string // shown in the header's search box
	Crumbs      []crumb
	// Home hides the header's search box (the page has its own).
	Home bool
	// Search makes the header's box the search page's form.
	Search bool
	// BareTitle leaves the site's name out of the <title>, as the answer pages of the
	// content site do.
	BareTitle bool
}

type crumb struct {
	Name, URL string
}

// homePage is GET /: the search box and the frameworks.
type homePage struct {
	page
	Frameworks []frameworkCard
	Questions  int
	Articles   int
	Examples   []string
}

type frameworkCard struct {
	Slug, Name, Description string
	Questions, Topics       int
}

func (s *Server) home(c echo.Context, ix *search.Index) error {
	cat := ix.Catalog()
	p := homePage{
		page:      page{Title: "Search programming interview questions", Home: true, Description: "Search interview questions and answers with code, across frameworks and languages."},
		Questions: cat.QuestionCount(""),
		Articles:  len(cat.Articles),
		Examples:  exampleQueries(cat),
	}
	for _, f := range cat.Frameworks {
		p.Frameworks = append(p.Frameworks, frameworkCard{
			Slug: f.Slug, Name: f.Name, Description: f.Description,
			Questions: cat.QuestionCount(f.Slug), Topics: len(cat.TopicsOf(f.Slug)),
		})
	}
	return s.render(c, http.StatusOK, "home.html", p)
}

// exampleQueries suggests queries the corpus answers: a subtopic name of each of the
// first frameworks.
func exampleQueries(cat *corpus.Corpus) []string {
	var out []string
	seen := map[string]bool{}
	for _, st := range cat.Subtopics {
		if seen[st.Framework] || len(out) == 4 {
			continue
		}
		seen[st.Framework] = true
		name := strings.ToLower(st.Name)
		if i := strings.IndexAny(name, "&,("); i > 0 {
			name = strings.TrimSpace(name[:i])
		}
		out = append(out, name)
	}
	return out
}

// searchView is the search page, GET /search.
type searchView struct {
	page
	Request    search.Request
	Result     *search.Result
	Empty      bool // no query and no filter: nothing searched
	Took       string
	First      int // number of the first hit shown
	Hits       []hitView
	Facets     []facetView
	Pager      []pageLink
	Prev, Next string
	Suggestion string // URL of the suggested search
	Sort       string
	Size       int
	// Matches are the choices of the "Match" menu (the semantic ratio), when the
	// index has semantic search; nil without it.
	Matches []matchChoice
}

// matchChoice is one choice of the semantic ratio on the search page.
type matchChoice struct {
	Value, Label string // Value "" is the default ratio
	Selected     bool
}

// matchChoices are the search page's choices of ratio: words and meaning (the
// default), words only, meaning only, and a ratio given in the URL.
func matchChoices(ratio *float64) []matchChoice {
	out := []matchChoice{{"", "Words and meaning", ratio == nil}, {"0", "Exact words", false}, {"1", "Meaning", false}}
	if ratio == nil {
		return out
	}
	v := strconv.FormatFloat(*ratio, 'g', -1, 64)
	for i := range out[1:] {
		if out[i+1].Value == v {
			out[i+1].Selected = true
			return out
		}
	}
	return append(out, matchChoice{v, "Meaning " + strconv.Itoa(int(*ratio*100+0.5)) + "%", true})
}

type hitView struct {
	search.Hit
	Link   string // the page, with ?q= so the page marks the matches
	Crumbs []string
}

type facetView struct {
	Title  string
	Values []facetValue
	// More are the values past the first few, folded away.
	More []facetValue
}

type facetValue struct {
	Param string // the URL parameter
	search.FacetValue
}

type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool // an ellipsis
}

// facetFold is how many values of a facet show before "more".
const facetFold = 8

func (s *Server) searchPage(c echo.Context, ix *search.Index) error {
	req, res, err := s.runSearch(c, ix)
	if err != nil {
		return err
	}
	v := searchView{
		page:    page{Title: "Search", Query: req.Query, Search: true},
		Request: req, Result: res, Sort: req.Sort, Size: req.Size,
	}
	if on, _ := ix.Semantic(); on {
		v.Matches = matchChoices(req.SemanticRatio)
	}
	v.Empty = req.Query == "" && len(req.Filters) == 0
	if req.Query != "" {
		v.Title = req.Query + " – Search"
	}
	v.Took = formatTook(res.Took)
	v.First = (res.Page-1)*res.Size + 1
	for _, h := range res.Hits {
		v.Hits = append(v.Hits, hitView{Hit: h, Link: withQuery(h.URL, req.Query), Crumbs: hitCrumbs(h)})
	}
	if !v.Empty {
		for _, fc := range facet.All {
			var vals []facetValue
			for _, fv := range res.Facets[fc.Name] {
				vals = append(vals, facetValue{Param: fc.Params[0], FacetValue: fv})
			}
			if len(vals) == 0 {
				continue
			}
			f := facetView{Title: fc.Title, Values: vals}
			if len(vals) > facetFold {
				f.Values, f.More = vals[:facetFold], vals[facetFold:]
				// A ticked value never hides.
				for _, m := range f.More {
					if m.Selected {
						f.Values, f.More = vals, nil
						break
					}
				}
			}
			v.Facets = append(v.Facets, f)
		}
	}
	if res.Suggestion != "" {
		r := req
		r.Query, r.Page = res.Suggestion, 1
		sv := searchValues(r)
		sv.Set("corrected", req.Query) // the insights count who took the correction
		v.Suggestion = "/search?" + sv.Encode()
	}
	v.Pager, v.Prev, v.Next = pager(req, res)
	return s.render(c, http.StatusOK, "search.html", v)
}

func formatTook(d time.Duration) string {
	ms := float64(d.Microseconds()) / 1000
	if ms < 10 {
		return strconv.FormatFloat(ms, 'f', 1, 64) + " ms"
	}
	return strconv.FormatFloat(ms, 'f', 0, 64) + " ms"
}

// hitCrumbs is where a hit sits: framework › topic › subtopic.
func hitCrumbs(h search.Hit) []string {
	var out []string
	for _, s := range []string{h.FrameworkName, h.TopicName, h.SubtopicName} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// withQuery adds ?q= to a page URL, before its #fragment.
func withQuery(u, q string) string {
	if q == "" {
		return u
	}
	path, frag, _ := strings.Cut(u, "#")
	out := path + "?q=" + url.QueryEscape(q)
	if frag != "" {
		out += "#" + frag
	}
	return out
}

// pager returns the page links around the current page, and the previous and next.
func pager(req search.Request, res *search.Result) (links []pageLink, prev, next string) {
	total := min(res.Total, search.MaxResultWindow)
	pages := (total + res.Size - 1) / res.Size
	if pages <= 1 {
		return nil, "", ""
	}
	at := func(n int) string {
		r := req
		r.Page = n
		return "/search?" + searchValues(r).Encode()
	}
	cur := res.Page
	last := 0
	for n := 1; n <= pages; n++ {
		if n != 1 && n != pages && (n < cur-2 || n > cur+2) {
			continue
		}
		if last != 0 && n > last+1 {
			links = append(links, pageLink{Gap: true})
		}
		links = append(links, pageLink{N: n, URL: at(n), Current: n == cur})
		last = n
	}
	if cur > 1 {
		prev = at(cur - 1)
	}
	if cur < pages {
		next = at(cur + 1)
	}
	return links, prev, next
}

// frameworkView is GET /{framework}: its topics and their subtopics.
type frameworkView struct {
	page
	Framework *corpus.Framework
	Questions int
	Topics    []topicView
}

type topicView struct {
	Topic     *corpus.Topic
	Subtopics []subtopicCard
	Questions int
}

type subtopicCard struct {
	Sub       *corpus.Subtopic
	URL       string
	Questions []*corpus.Question
}

func (s *Server) frameworkPage(c echo.Context, ix *search.Index) error {
	slug := c.Param("framework")
	cat := ix.Catalog()
	f := cat.Framework(slug)
	if !validSlug(slug) || f == nil {
		return errNotFound
	}
	v := frameworkView{
		page:      page{Title: f.Name + " Interview Questions", Description: f.Description, Crumbs: []crumb{{"Home", "/"}, {f.Name, ""}}},
		Framework: f, Questions: cat.QuestionCount(f.Slug),
	}
	for _, t := range cat.TopicsOf(f.Slug) {
		v.Topics = append(v.Topics, topicOf(cat, t))
	}
	return s.render(c, http.StatusOK, "framework.html", v)
}

func topicOf(cat *corpus.Corpus, t *corpus.Topic) topicView {
	tv := topicView{Topic: t}
	for _, st := range cat.SubtopicsOf(t.Framework, t.Slug) {
		tv.Subtopics = append(tv.Subtopics, subtopicCard{Sub: st, URL: "/" + st.Path(), Questions: st.Questions})
		tv.Questions += len(st.Questions)
	}
	return tv
}

// topicPageView is GET /{framework}/{topic}: its subtopics and their questions.
type topicPageView struct {
	page
	Framework *corpus.Framework
	topicView
}

func (s *Server) topicPage(c echo.Context, ix *search.Index) error {
	fw, slug := c.Param("framework"), c.Param("topic")
	if !validSlug(fw) || !validSlug(slug) {
		return errNotFound
	}
	cat := ix.Catalog()
	f, t := cat.Framework(fw), cat.Topic(fw, slug)
	if f == nil || t == nil {
		return errNotFound
	}
	v := topicPageView{
		page: page{
			Title:       t.Name + " – " + f.Name + " Interview Questions",
			Description: t.Description,
			Crumbs:      []crumb{{"Home", "/"}, {f.Name, "/" + f.Slug}, {t.Name, ""}},
		},
		Framework: f, topicView: topicOf(cat, t),
	}
	return s.render(c, http.StatusOK, "topic.html", v)
}

// answerView is the answer page, GET /{framework}/{topic}/{subtopic}.
type answerView struct {
	page
	Sub       *corpus.Subtopic
	Intro     template.HTML
	Questions []questionView
	Articles  []*corpus.Article
	Siblings  []subtopicCard
	Related   []subtopicCard
	Similar   []search.RelatedQuestion // questions of other subtopics near these by meaning
	Marks     int                      // matches marked for ?q=
	ClearURL  string                   // the page without ?q=
}

type questionView struct {
	ID, Difficulty string
	Text           string        // the question
	Question       template.HTML // the question, escaped and marked
	Answer         template.HTML
	Marks          int
}

func (s *Server) subtopicPage(c echo.Context, ix *search.Index) error {
	q, err := pageQuery(c)
	if err != nil {
		return err
	}
	st, err := s.loadSubtopic(c, ix, c.Param("framework"), c.Param("topic"), c.Param("subtopic"))
	if err != nil {
		return err
	}
	sub := st.sub
	cat := ix.Catalog()
	v := answerView{
		page: page{
			Title:       sub.Name + " Interview Questions & Answers",
			BareTitle:   true,
			Description: sub.SEODescription,
			Query:       q,
			Crumbs:      []crumb{{"Home", "/"}, {sub.FrameworkName, "/" + sub.Framework}, {sub.TopicName, "/" + sub.Framework + "/" + sub.Topic}, {sub.Name, ""}},
		},
		Sub:      sub,
		Articles: cat.ArticlesFor(sub),
		ClearURL: "/" + sub.Path(),
	}
	mk := s.marker(ix, q)
	if v.Intro, err = s.renderMarked(mk, sub.Intro); err != nil {
		return err
	}
	for _, qu := range sub.Questions {
		before := mk.Count
		qv := questionView{ID: qu.ID, Difficulty: qu.Difficulty, Text: qu.Q, Question: mk.Text(qu.Q)}
		if qv.Answer, err = s.renderMarked(mk, st.markdown[corpus.QuestionDocID(sub, qu)]); err != nil {
			return err
		}
		qv.Marks = mk.Count - before
		v.Questions = append(v.Questions, qv)
	}
	v.Marks = mk.Count
	for _, sib := range cat.SubtopicsOf(sub.Framework, sub.Topic) {
		v.Siblings = append(v.Siblings, subtopicCard{Sub: sib, URL: "/" + sib.Path(), Questions: sib.Questions})
	}
	v.Similar = ix.Related(sub.Path())
	for _, r := range sub.Related {
		if rs := cat.Subtopic(r); rs != nil {
			v.Related = append(v.Related, subtopicCard{Sub: rs, URL: "/" + rs.Path()})
		}
	}
	return s.render(c, http.StatusOK, "subtopic.html", v)
}

// pageQuery is the ?q= of a page, checked like a search's.
func pageQuery(c echo.Context) (string, error) {
	v, err := queryValues(c)
	if err != nil {
		return "", err
	}
	// Only leading space goes: a trailing space says the last word is finished, as
	// in the search that linked here, so the page marks what the hit highlighted.
	q := strings.TrimLeftFunc(v.Get("q"), unicode.IsSpace)
	if strings.TrimSpace(q) == "" {
		q = ""
	}
	if !utf8.ValidString(q) {
		return "", badParam("q", "must be valid UTF-8")
	}
	if len(q) > search.MaxQueryBytes {
		return "", badParam("q", fmt.Sprintf("longer than %d bytes", search.MaxQueryBytes))
	}
	return q, nil
}

// marker returns a marker for the query (an inactive one for no query).
func (s *Server) marker(ix *search.Index, q string) *marker {
	if q == "" {
		return newMarker(nil)
	}
	return newMarker(ix.NewMatcher(q))
}

func (s *Server) renderMarked(mk *marker, md string) (template.HTML, error) {
	if strings.TrimSpace(md) == "" {
		return "", nil
	}
	h, err := s.md.Render(md)
	if err != nil {
		return "", err
	}
	return mk.HTML(h)
}

// articleView is GET /blog/{slug}.
type articleView struct {
	page
	Article  *corpus.Article
	Body     template.HTML
	Sub      *corpus.Subtopic // the subtopic page it explains, if it exists
	Marks    int
	ClearURL string
}

func (s *Server) articlePage(c echo.Context, ix *search.Index) error {
	q, err := pageQuery(c)
	if err != nil {
		return err
	}
	slug := c.Param("slug")
	cat := ix.Catalog()
	a := cat.Article(slug)
	if !validSlug(slug) || a == nil {
		return errNotFound
	}
	ctx, cancel := s.searchContext(c)
	defer cancel()
	md, err := ix.PageMarkdown(ctx, "blog/"+a.Slug)
	if err != nil {
		return err
	}
	v := articleView{
		page:     page{Title: a.Title, Description: a.Description, Query: q},
		Article:  a,
		Sub:      cat.Subtopic(a.QAPath),
		ClearURL: "/blog/" + a.Slug,
	}
	v.Crumbs = []crumb{{"Home", "/"}}
	if v.Sub != nil {
		v.Crumbs = append(v.Crumbs, crumb{v.Sub.FrameworkName, "/" + v.Sub.Framework}, crumb{v.Sub.Name, "/" + v.Sub.Path()})
	}
	v.Crumbs = append(v.Crumbs, crumb{a.Title, ""})
	mk := s.marker(ix, q)
	if v.Body, err = s.renderMarked(mk, md[corpus.ArticleDocID(a)]); err != nil {
		return err
	}
	v.Marks = mk.Count
	return s.render(c, http.StatusOK, "article.html", v)
}

// errorView is the page of an error.
type errorView struct {
	page
	Status  int
	Heading string
	Message string
}

func (s *Server) renderError(c echo.Context, status int, msg string) error {
	v := errorView{Status: status, Message: msg}
	switch {
	case status == http.StatusNotFound:
		v.Heading = "Page not found"
		v.Message = "There is no page at this address. Search for what you were looking for, or browse the frameworks."
	case status == http.StatusServiceUnavailable:
		v.Heading = "Search is not available right now"
	case status >= 500:
		v.Heading = "Something went wrong"
	default:
		v.Heading = "That request could not be answered"
	}
	v.Title = v.Heading
	return s.render(c, status, "error.html", v)
}
