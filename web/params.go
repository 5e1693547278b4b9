package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"qdex/facet"
	"qdex/search"
)

// Limits on filter parameters; the query, page and size limits are search's.
const (
	maxFilterValues     = 50
	maxFilterValueBytes = 100
)

// parseSearch reads a search request from URL parameters: q, the filters (each
// repeatable and comma-separated), page, size, sort and semantic. Errors wrap
// search.ErrBadRequest and name the parameter. The limits search checks (query
// length, size, page window, sort) are checked here too, before any search runs.
func parseSearch(v url.Values) (search.Request, error) {
	var r search.Request
	// Only leading space goes: a trailing space says the last word is finished (no
	// prefix expansion), as in the CLI.
	r.Query = strings.TrimLeftFunc(v.Get("q"), unicode.IsSpace)
	if !utf8.ValidString(r.Query) {
		return r, badParam("q", "must be valid UTF-8")
	}
	// The URL parameters that filter a search are the facet table's (lang and language
	// both filter by lang).
	for _, f := range facet.All {
		for _, param := range f.Params {
			if err := addFilter(&r, f.Name, param, v[param]); err != nil {
				return r, err
			}
		}
	}
	var err error
	if r.Page, err = intParam(v, "page"); err != nil {
		return r, err
	}
	if r.Size, err = intParam(v, "size"); err != nil {
		return r, err
	}
	r.Sort = strings.TrimSpace(v.Get("sort"))
	if s := strings.TrimSpace(v.Get("semantic")); s != "" {
		ratio, err := strconv.ParseFloat(s, 64)
		if err != nil || !(ratio >= 0 && ratio <= 1) {
			return r, badParam("semantic", "must be a number between 0 and 1")
		}
		r.SemanticRatio = &ratio
	}
	if err := r.Validate(); err != nil {
		return r, err
	}
	return r, nil
}

// addFilter adds the values of the URL parameter param, each repeatable and
// comma-separated, to r's filter name.
func addFilter(r *search.Request, name, param string, raws []string) error {
	for _, raw := range raws {
		for _, val := range strings.Split(raw, ",") {
			val = strings.TrimSpace(val)
			if val == "" {
				continue
			}
			if !utf8.ValidString(val) {
				return badParam(param, "must be valid UTF-8")
			}
			if len(val) > maxFilterValueBytes {
				return badParam(param, fmt.Sprintf("a value is longer than %d bytes", maxFilterValueBytes))
			}
			if r.Filters == nil {
				r.Filters = map[string][]string{}
			}
			r.Filters[name] = append(r.Filters[name], strings.ToLower(val))
			if len(r.Filters[name]) > maxFilterValues {
				return badParam(param, fmt.Sprintf("more than %d values", maxFilterValues))
			}
		}
	}
	return nil
}

// intParam reads an integer parameter; absent or empty is 0 (the default).
func intParam(v url.Values, name string) (int, error) {
	s := strings.TrimSpace(v.Get(name))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, badParam(name, "must be an integer")
	}
	if n == 0 {
		// 0 would mean "default" to search.Validate; as a value it is out of range.
		switch name {
		case "page":
			return 0, badParam(name, "must be 1 or more")
		case "size":
			return 0, badParam(name, fmt.Sprintf("must be between 1 and %d", search.MaxSize))
		}
	}
	return n, nil
}

func badParam(name, msg string) error {
	return fmt.Errorf("%w: %s: %s", search.ErrBadRequest, name, msg)
}

// searchValues is the inverse of parseSearch: the URL parameters of a request, with
// defaults left out, for links (pagination, "did you mean").
func searchValues(r search.Request) url.Values {
	v := url.Values{}
	if r.Query != "" {
		v.Set("q", r.Query)
	}
	for _, f := range facet.All {
		for _, val := range r.Filters[f.Name] {
			v.Add(f.Params[0], val)
		}
	}
	if r.Page > 1 {
		v.Set("page", strconv.Itoa(r.Page))
	}
	if r.Size != 0 && r.Size != search.DefaultSize {
		v.Set("size", strconv.Itoa(r.Size))
	}
	if r.Sort != "" && r.Sort != search.SortRelevance {
		v.Set("sort", r.Sort)
	}
	if r.SemanticRatio != nil {
		v.Set("semantic", strconv.FormatFloat(*r.SemanticRatio, 'g', -1, 64))
	}
	return v
}
