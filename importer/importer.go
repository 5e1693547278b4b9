// Package importer reads question collections written for people (a README of
// questions as headings, "Question: / Answer:" text, a multiple-choice quiz) and
// writes them as corpus files.
package importer

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// Formats are the input formats Parse understands, besides "auto".
var Formats = []string{"headings", "qa-text", "quiz"}

// Question is one imported question; Answer is Markdown.
type Question struct {
	Title  string
	Answer string
	Line   int // where the question starts in the input
}

// Section is a run of questions under one section title; it becomes a subtopic.
type Section struct {
	Title     string
	Questions []Question
}

// Problem is a block of the input that could not be read.
type Problem struct {
	Line int
	Msg  string
}

// Parsed is the outcome of reading one input file.
type Parsed struct {
	Format   string
	Sections []Section
	Problems []Problem
}

// Count is the number of questions read.
func (p *Parsed) Count() int {
	n := 0
	for _, s := range p.Sections {
		n += len(s.Questions)
	}
	return n
}

// Parse reads src in the format ("auto" detects it).
func Parse(format string, src []byte) (*Parsed, error) {
	src = bytes.ReplaceAll(bytes.TrimPrefix(src, []byte("\ufeff")), []byte("\r\n"), []byte("\n"))
	if format == "auto" || format == "" {
		format = Detect(src)
	}
	lines := strings.Split(string(src), "\n")
	var p *Parsed
	switch format {
	case "quiz":
		p = parseQuiz(lines)
	case "headings":
		p = parseHeadings(lines)
	case "qa-text":
		p = parseQAText(lines)
	default:
		return nil, fmt.Errorf("unknown format %q (want auto, %s)", format, strings.Join(Formats, ", "))
	}
	p.Format = format
	return p, nil
}

var (
	qaQuestionRE = regexp.MustCompile(`(?m)^\s*Question:\s`)
	quizOptionRE = regexp.MustCompile(`(?m)^\s*[-*]\s+[A-F][:.)]\s`)
	quizAnswerRE = regexp.MustCompile(`(?m)^#{0,6}\s*\**Answer:?\**\s*:?\s*\**[A-F]\b`)
)

// Detect guesses the format: options and marked answers make a quiz, "Question:"
// lines make qa-text, anything else is read as headings.
func Detect(src []byte) string {
	switch {
	case len(quizOptionRE.FindAll(src, 8)) >= 4 && quizAnswerRE.Match(src):
		return "quiz"
	case len(qaQuestionRE.FindAll(src, 3)) >= 2:
		return "qa-text"
	default:
		return "headings"
	}
}

var fenceRE = regexp.MustCompile("^\\s*(```+|~~~+)")

// inFence tracks fenced code blocks while scanning lines.
type inFence struct{ marker string }

// step reports whether line is inside (or opens or closes) a fenced code block.
func (f *inFence) step(line string) bool {
	m := fenceRE.FindStringSubmatch(line)
	switch {
	case f.marker == "" && m != nil:
		f.marker = m[1]
		return true
	case f.marker != "" && m != nil && strings.HasPrefix(m[1], f.marker[:3]) && strings.TrimSpace(line) == strings.TrimSpace(m[0]):
		f.marker = ""
		return true
	}
	return f.marker != ""
}

// dedent removes the indentation common to the non-blank lines (list nesting), so
// code blocks render as code and not as quoted text.
func dedent(lines []string) []string {
	min := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if min < 0 || n < min {
			min = n
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		if len(l) >= min && min > 0 {
			out[i] = l[min:]
		} else {
			out[i] = strings.TrimLeft(l, " \t")
		}
	}
	return out
}

// trimBlank drops blank lines at both ends.
func trimBlank(lines []string) []string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// cleanTitle removes Markdown emphasis, numbering and trailing anchors from a title.
func cleanTitle(s string) string {
	s = strings.TrimSpace(s)
	s = numberRE.ReplaceAllString(s, "")
	s = strings.Trim(s, "*_ ")
	s = strings.TrimSpace(strings.TrimRight(s, "#"))
	return s
}

var numberRE = regexp.MustCompile(`^(?:Q(?:uestion)?\s*)?\d+[.)]\s+`)
