package api

import (
	"qdex/facet"
	"qdex/search"
)

// Response is the JSON search contract (GET /api/search and `qdex search --json`).
// Field names are part of the public API: see api/openapi.yaml.
type Response struct {
	Query      string                     `json:"query"`
	Total      int                        `json:"total"`
	TookMS     float64                    `json:"took_ms"`
	Page       int                        `json:"page"`
	Size       int                        `json:"size"`
	Hits       []ResponseHit              `json:"hits"`
	Facets     map[string][]ResponseFacet `json:"facets"`
	Suggestion string                     `json:"suggestion"`
	Relaxed    bool                       `json:"relaxed"`
	Semantic   ResponseSemantic           `json:"semantic"`
}

// ResponseSemantic says whether the semantic ranking took part, at which ratio, and
// why not.
type ResponseSemantic struct {
	Used   bool    `json:"used"`
	Ratio  float64 `json:"ratio"`
	Reason string  `json:"reason"`
}

// ResponseHit is one hit of a Response.
type ResponseHit struct {
	ID            string              `json:"id"`
	Type          string              `json:"type"`
	Question      string              `json:"question"`
	Title         string              `json:"title"`
	Framework     string              `json:"framework"`
	FrameworkName string              `json:"framework_name"`
	Topic         string              `json:"topic"`
	TopicName     string              `json:"topic_name"`
	Subtopic      string              `json:"subtopic"`
	SubtopicName  string              `json:"subtopic_name"`
	Difficulty    string              `json:"difficulty"`
	Languages     []string            `json:"languages"`
	Updated       string              `json:"updated"`
	URL           string              `json:"url"`
	Score         float64             `json:"score"`
	Found         string              `json:"found"`
	Highlights    map[string][]string `json:"highlights"`
}

// ResponseFacet is one facet value of a Response.
type ResponseFacet struct {
	Value    string `json:"value"`
	Label    string `json:"label"`
	Count    int    `json:"count"`
	Selected bool   `json:"selected"`
}

// NewResponse renders a Result as the JSON contract: highlight fragments become
// HTML strings, escaped, with <mark> around matches.
func NewResponse(r *search.Result) Response {
	resp := Response{
		Query:      r.Query,
		Total:      r.Total,
		TookMS:     float64(r.Took.Microseconds()) / 1000,
		Page:       r.Page,
		Size:       r.Size,
		Hits:       make([]ResponseHit, 0, len(r.Hits)),
		Facets:     map[string][]ResponseFacet{},
		Suggestion: r.Suggestion,
		Relaxed:    r.Relaxed,
		Semantic:   ResponseSemantic{Used: r.Semantic.Used, Ratio: r.Semantic.Ratio, Reason: r.Semantic.Reason},
	}
	for _, h := range r.Hits {
		rh := ResponseHit{
			ID: h.ID, Type: h.Type, Framework: h.Framework, FrameworkName: h.FrameworkName,
			Topic: h.Topic, TopicName: h.TopicName, Subtopic: h.Subtopic, SubtopicName: h.SubtopicName,
			Difficulty: h.Difficulty, Languages: h.Languages, Updated: h.Updated, URL: h.URL, Score: h.Score, Found: h.Found,
			Highlights: map[string][]string{
				"question": fragmentsHTML(h.Highlights.Question),
				"answer":   fragmentsHTML(h.Highlights.Answer),
				"code":     fragmentsHTML(h.Highlights.Code),
			},
		}
		if rh.Languages == nil {
			rh.Languages = []string{}
		}
		if h.Type == "article" {
			rh.Title = h.Question
		} else {
			rh.Question = h.Question
		}
		resp.Hits = append(resp.Hits, rh)
	}
	for _, f := range facet.All {
		vs := make([]ResponseFacet, 0, len(r.Facets[f.Name]))
		for _, v := range r.Facets[f.Name] {
			vs = append(vs, ResponseFacet{Value: v.Value, Label: v.Label, Count: v.Count, Selected: v.Selected})
		}
		resp.Facets[f.JSONKey] = vs
	}
	return resp
}

func fragmentsHTML(fs []search.Fragment) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, f.HTML())
	}
	return out
}
