package indexer

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// SchemaVersion is the version of the index layout: the mapping, the analyzers and the
// stored fields. An index built with another version is rebuilt, never read.
//
// Changelog:
//
//	1: first layout: question/answer/code/context text fields with exact twins,
//	   keyword facets, stored Markdown, synonym sources per analyzer.
//	2: keyword fields without doc values: facets are counted from a table the
//	   search package builds from the postings when it opens the index.
//	3: the answer's stemmed field is stored, not indexed: a word's forms are
//	   matched in answer_exact, as the words of the index that share its stem,
//	   weighed with the stem's IDF (a fifth less index, a fifth less build time).
//	4: the words of the vocabulary fields and their document counts are written
//	   beside the index (vocabulary.bin), so that opening it reads no dictionary;
//	   no "order" field (nothing read it; its numeric terms cost a build 5–8%);
//	   no term vectors in the stemmed context field (nothing read them).
//	5: no synonym sources: the search package expands synonyms in its query plan,
//	   and bleve's thesaurus (every pair of a group's words, per analyzer) only
//	   served the baseline, at a cost quadratic in a group's size: 20,000 terms in
//	   groups of 50 took a build 55 s and 12 GB.
const SchemaVersion = 5

// DocType is the bleve document type of every qdex document.
const DocType = "qdex"

// Field names. They are shared with the search package, which builds queries on them.
const (
	FieldQuestion      = "question"       // question text, or an article's title
	FieldQuestionExact = "question_exact" // the same, unstemmed
	FieldAnswer        = "answer"         // answer prose without code blocks, stored only
	FieldAnswerExact   = "answer_exact"
	FieldCode          = "code"    // the code blocks' text
	FieldContext       = "context" // framework, topic and subtopic names, article description
	FieldContextExact  = "context_exact"
	FieldLanguage      = "language" // code block languages (keyword, repeated)
	FieldFramework     = "framework"
	FieldTopic         = "topic"
	FieldSubtopic      = "subtopic"
	FieldPage          = "page" // framework/topic/subtopic: the page the document is shown on
	FieldDifficulty    = "difficulty"
	FieldType          = "type" // TypeQuestion or TypeArticle
	FieldUpdated       = "updated"
	FieldMarkdown      = "markdown" // the answer's or article's Markdown, stored only
)

// Document types.
const (
	TypeQuestion = "question"
	TypeArticle  = "article"
)

// NewMapping returns the static index mapping: every field declared, nothing dynamic.
func NewMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	im.ScoringModel = "bm25"
	im.TypeField = "_type"
	im.DefaultType = DocType
	im.DefaultAnalyzer = TextAnalyzer
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false

	text := func(name, analyzer string, store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Name = name
		f.Analyzer = analyzer
		f.Store = store
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func(name string, store bool) *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Name = name
		f.Analyzer = keyword.Name
		f.Store = store
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false // facets come from postings (search.facetTable)
		return f
	}

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt("question", text(FieldQuestion, TextAnalyzer, true), text(FieldQuestionExact, ExactAnalyzer, false))
	// The answer is the longest field by far: only its exact twin is indexed.
	answer := text(FieldAnswer, TextAnalyzer, true)
	answer.Index = false
	answer.IncludeTermVectors = false
	dm.AddFieldMappingsAt("answer", answer, text(FieldAnswerExact, ExactAnalyzer, false))
	dm.AddFieldMappingsAt("code", text(FieldCode, CodeAnalyzer, true))
	// Phrases and highlights read the exact twin's positions, never the stemmed one's.
	context := text(FieldContext, TextAnalyzer, false)
	context.IncludeTermVectors = false
	dm.AddFieldMappingsAt("context", context, text(FieldContextExact, ExactAnalyzer, false))
	for _, name := range []string{FieldLanguage, FieldFramework, FieldTopic, FieldSubtopic, FieldPage, FieldDifficulty, FieldType} {
		dm.AddFieldMappingsAt(name, kw(name, true))
	}
	updated := bleve.NewDateTimeFieldMapping()
	updated.Name = FieldUpdated
	updated.Store = true
	updated.IncludeInAll = false
	updated.DocValues = true
	dm.AddFieldMappingsAt("updated", updated)
	md := bleve.NewTextFieldMapping()
	md.Name = FieldMarkdown
	md.Index = false
	md.Store = true
	md.IncludeInAll = false
	md.IncludeTermVectors = false
	md.DocValues = false
	dm.AddFieldMappingsAt("markdown", md)

	im.AddDocumentMapping(DocType, dm)
	im.DefaultMapping = bleve.NewDocumentDisabledMapping()
	return im, nil
}
