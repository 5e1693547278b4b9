package web

import (
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"qdex/search"
)

func TestParseSearch(t *testing.T) {
	tests := []struct {
		query string
		want  search.Request
		err   string // the parameter the error names
	}{
		{"", search.Request{Page: 1, Size: 10, Sort: "relevance"}, ""},
		{"q=+gil++&page=2&size=5&sort=newest", search.Request{Query: "gil  ", Page: 2, Size: 5, Sort: "newest"}, ""},
		{"framework=python&framework=go", search.Request{Filters: map[string][]string{"framework": {"python", "go"}}, Page: 1, Size: 10, Sort: "relevance"}, ""},
		{"framework=Python,+go,,&lang=SQL", search.Request{Filters: map[string][]string{"framework": {"python", "go"}, "lang": {"sql"}}, Page: 1, Size: 10, Sort: "relevance"}, ""},
		{"language=go&difficulty=hard&type=article&topic=concurrency", search.Request{Filters: map[string][]string{
			"lang": {"go"}, "difficulty": {"hard"}, "type": {"article"}, "topic": {"concurrency"}}, Page: 1, Size: 10, Sort: "relevance"}, ""},
		{"unknown=1&page=&size=", search.Request{Page: 1, Size: 10, Sort: "relevance"}, ""},
		{"page=abc", search.Request{}, "page"},
		{"page=0", search.Request{}, "page"},
		{"size=0", search.Request{}, "size"},
		{"size=101", search.Request{}, "size"},
		{"size=1e2", search.Request{}, "size"},
		{"sort=oldest", search.Request{}, "sort"},
		{"semantic=0.25", search.Request{Page: 1, Size: 10, Sort: "relevance", SemanticRatio: ptr(0.25)}, ""},
		{"semantic=0", search.Request{Page: 1, Size: 10, Sort: "relevance", SemanticRatio: ptr(0.0)}, ""},
		{"semantic=1.5", search.Request{}, "semantic"},
		{"semantic=-0.1", search.Request{}, "semantic"},
		{"semantic=NaN", search.Request{}, "semantic"},
		{"semantic=lots", search.Request{}, "semantic"},
		{"q=%C3%28", search.Request{}, "q"},
		{"lang=%C3%28", search.Request{}, "lang"},
		{"framework=" + strings.Repeat("a,", 51), search.Request{}, "framework"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := parseSearch(v)
			if tt.err != "" {
				if !errors.Is(err, search.ErrBadRequest) || !strings.HasPrefix(badRequestMessage(err), tt.err+": ") {
					t.Fatalf("error %v, want a bad request naming %s", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
			// searchValues is its inverse.
			back, err := parseSearch(searchValues(got))
			if err != nil || !reflect.DeepEqual(back, got) {
				t.Errorf("round trip: %+v, %v", back, err)
			}
		})
	}
}

// FuzzParseSearch: no query string makes parseSearch panic or return an error that is
// not a bad request; what it accepts, search accepts.
func FuzzParseSearch(f *testing.F) {
	for _, s := range []string{"q=gil", "q=%FF", "page=abc&size=1000", "framework=a,b&framework=c", "sort=newest&page=3", "q=" + strings.Repeat("x", 600)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		r, err := parseSearch(v)
		if err != nil {
			if !errors.Is(err, search.ErrBadRequest) {
				t.Fatalf("%q: %v is not a bad request", raw, err)
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("%q: parsed %+v fails validation: %v", raw, r, err)
		}
	})
}

func ptr[T any](v T) *T { return &v }
