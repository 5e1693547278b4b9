package importer

import (
	"fmt"
	"regexp"
	"strings"
)

var (
	headingRE  = regexp.MustCompile(`^\s*(?:\d+[.)]\s+)?(#{2,6})\s+(.+?)\s*#*\s*$`)
	tocLinkRE  = regexp.MustCompile(`^\s*(?:[-*+]|\d+[.)]|\|)?\s*\[[^\]]*\]\(#[^)]*\)\s*\|?\s*$`)
	backTopRE  = regexp.MustCompile(`(?i)(back to (the )?top|⬆|\[↑\]|\(#table-of-contents\))`)
	tableRowRE = regexp.MustCompile(`^\s*\|`)
)

type heading struct {
	level int
	text  string
	line  int // index into lines
}

// parseHeadings reads questions written as Markdown headings. The most frequent
// heading level holds the questions; shallower headings are sections. Navigation
// (tables of contents, "back to top" links) is dropped.
func parseHeadings(lines []string) *Parsed {
	var hs []heading
	var fence inFence
	counts := map[int]int{}
	for i, l := range lines {
		if fence.step(l) {
			continue
		}
		if m := headingRE.FindStringSubmatch(l); m != nil {
			h := heading{level: len(m[1]), text: cleanTitle(m[2]), line: i}
			hs = append(hs, h)
			counts[h.level]++
		}
	}
	p := &Parsed{}
	qLevel := 0
	for lvl, n := range counts {
		if n > counts[qLevel] || (n == counts[qLevel] && lvl > qLevel) {
			qLevel = lvl
		}
	}
	if qLevel == 0 {
		p.Problems = append(p.Problems, Problem{1, "no question headings (## to ######) found"})
		return p
	}
	section := ""
	for i, h := range hs {
		if h.level < qLevel {
			section = h.text
			continue
		}
		if h.level > qLevel {
			continue
		}
		end := len(lines)
		for _, n := range hs[i+1:] {
			if n.level <= qLevel {
				end = n.line
				break
			}
		}
		body := answerLines(lines[h.line+1 : end])
		if len(body) == 0 {
			p.Problems = append(p.Problems, Problem{h.line + 1, fmt.Sprintf("question %q has no answer", h.text)})
			continue
		}
		if h.text == "" {
			p.Problems = append(p.Problems, Problem{h.line + 1, "empty question heading"})
			continue
		}
		p.add(section, Question{Title: h.text, Answer: strings.Join(body, "\n"), Line: h.line + 1})
	}
	return p
}

// answerLines cleans an answer: navigation lines and stray separators go, list
// nesting indentation is removed.
func answerLines(lines []string) []string {
	var out []string
	var fence inFence
	for _, l := range lines {
		if fence.step(l) {
			out = append(out, l)
			continue
		}
		t := strings.TrimSpace(l)
		if tocLinkRE.MatchString(l) || (backTopRE.MatchString(t) && len(t) < 120) || t == "---" || t == "***" {
			continue
		}
		out = append(out, l)
	}
	return trimBlank(dedent(out))
}

func (p *Parsed) add(section string, q Question) {
	if n := len(p.Sections); n == 0 || p.Sections[n-1].Title != section {
		p.Sections = append(p.Sections, Section{Title: section})
	}
	s := &p.Sections[len(p.Sections)-1]
	s.Questions = append(s.Questions, q)
}

var (
	quizHeadingRE = regexp.MustCompile(`^\s*(#{2,6})\s+(?:\d+[.)]\s+)?(.+?)\s*$`)
	optionRE      = regexp.MustCompile(`^\s*[-*]\s+([A-F])[:.)]\s+(.*)$`)
	answerMarkRE  = regexp.MustCompile(`^\s*#{0,6}\s*\**Answer:?\**\s*:?\s*\**([A-F])\b`)
	htmlWrapRE    = regexp.MustCompile(`(?i)^\s*</?(details|summary|p|br)\b[^>]*>(?:\s*<b>\s*Answer\s*</b>\s*</summary>)?\s*$`)
	inlineHTMLRE  = regexp.MustCompile(`(?i)</?(i|em)>`)
	boldHTMLRE    = regexp.MustCompile(`(?i)</?(b|strong)>`)
)

// parseQuiz reads multiple-choice questions: a heading, the question's text and code,
// options "- A: …", and the answer "Answer: X" with an explanation (often inside
// <details>). The answer becomes Markdown stating the correct option.
func parseQuiz(lines []string) *Parsed {
	p := &Parsed{}
	var starts []int
	var fence inFence
	for i, l := range lines {
		if fence.step(l) {
			continue
		}
		if m := quizHeadingRE.FindStringSubmatch(l); m != nil && len(m[1]) >= 3 && !answerMarkRE.MatchString(l) {
			starts = append(starts, i)
		}
	}
	// Keep only headings followed by options: the others are the document's own
	// sections.
	for k, start := range starts {
		end := len(lines)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		block := lines[start+1 : end]
		title := cleanTitle(quizHeadingRE.FindStringSubmatch(lines[start])[2])
		var stem, explanation []string
		var options [][2]string
		correct := ""
		state := "stem"
		var fence inFence
		for _, l := range block {
			if fence.step(l) {
				if state == "stem" || state == "options" {
					stem = append(stem, l)
				} else {
					explanation = append(explanation, l)
				}
				continue
			}
			if m := optionRE.FindStringSubmatch(l); m != nil && state != "answer" {
				options = append(options, [2]string{m[1], strings.TrimSpace(m[2])})
				state = "options"
				continue
			}
			if m := answerMarkRE.FindStringSubmatch(l); m != nil && correct == "" {
				correct = m[1]
				state = "answer"
				continue
			}
			if htmlWrapRE.MatchString(l) || strings.TrimSpace(l) == "---" {
				continue
			}
			switch state {
			case "stem":
				stem = append(stem, l)
			case "answer":
				explanation = append(explanation, l)
			}
		}
		if len(options) == 0 {
			continue // a section heading, not a question
		}
		if correct == "" {
			p.Problems = append(p.Problems, Problem{start + 1, fmt.Sprintf("question %q has options but no marked answer", title)})
			continue
		}
		var b strings.Builder
		if s := trimBlank(stem); len(s) > 0 {
			b.WriteString(strings.Join(s, "\n") + "\n\n")
		}
		answerText := ""
		for _, o := range options {
			fmt.Fprintf(&b, "- **%s:** %s\n", o[0], o[1])
			if o[0] == correct {
				answerText = o[1]
			}
		}
		if answerText == "" {
			p.Problems = append(p.Problems, Problem{start + 1, fmt.Sprintf("question %q: answer %s is not one of the options", title, correct)})
			continue
		}
		fmt.Fprintf(&b, "\n**Correct answer: %s** — %s\n", correct, answerText)
		if e := trimBlank(explanation); len(e) > 0 {
			text := strings.Join(e, "\n")
			text = inlineHTMLRE.ReplaceAllString(text, "_")
			text = boldHTMLRE.ReplaceAllString(text, "**")
			b.WriteString("\n" + text + "\n")
		}
		p.add("", Question{Title: title, Answer: strings.TrimSpace(b.String()), Line: start + 1})
	}
	if len(p.Sections) == 0 && len(p.Problems) == 0 {
		p.Problems = append(p.Problems, Problem{1, "no multiple-choice questions found"})
	}
	return p
}

var (
	qaSectionRE = regexp.MustCompile(`^\d+\.\s+(\S.*)$`)
	qaFieldRE   = regexp.MustCompile(`^\s*(Question|Answer|Explanation):\s*(.*)$`)
	bulletRE    = regexp.MustCompile(`^(\s*)[•●▪◦]\s+`)
	codeStartRE = regexp.MustCompile(`^(import |from \S+ import |def |async def |class |@\w|if __name__|with |try:|for \w+ in |while |print\(|\w+\s*=\s*\S|#!|package |func |const |let |var |SELECT |CREATE |fn |use |pub |\$ )`)
)

// parseQAText reads "Question: … / Answer: … / Explanation: …" blocks. Numbered
// title lines ("2. Concurrency & Parallelism") start sections; code (indented, or
// paragraphs that start like code) is fenced.
func parseQAText(lines []string) *Parsed {
	p := &Parsed{}
	section := ""
	var cur *Question
	var field string
	var body []string
	flush := func() {
		if cur == nil {
			return
		}
		if strings.TrimSpace(cur.Title) == "" {
			p.Problems = append(p.Problems, Problem{cur.Line, "Question: with no text"})
		} else if a := strings.TrimSpace(qaMarkdown(body)); a == "" {
			p.Problems = append(p.Problems, Problem{cur.Line, fmt.Sprintf("question %q has no Answer:", cur.Title)})
		} else {
			cur.Answer = a
			p.add(section, *cur)
		}
		cur, body, field = nil, nil, ""
	}
	for i, l := range lines {
		if m := qaFieldRE.FindStringSubmatch(l); m != nil {
			switch m[1] {
			case "Question":
				flush()
				cur = &Question{Title: strings.TrimSpace(m[2]), Line: i + 1}
				field = "question"
			case "Answer", "Explanation":
				if cur == nil {
					p.Problems = append(p.Problems, Problem{i + 1, m[1] + ": with no Question: before it"})
					continue
				}
				if m[1] == "Answer" && field == "answer" {
					p.Problems = append(p.Problems, Problem{i + 1, "a second Answer: for the same question"})
				}
				field = strings.ToLower(m[1])
				if field == "explanation" {
					body = append(body, "", "**Explanation:**", "")
				}
				if m[2] != "" {
					body = append(body, m[2])
				}
			}
			continue
		}
		if cur == nil || field == "question" && strings.TrimSpace(l) == "" {
			if m := qaSectionRE.FindStringSubmatch(strings.TrimSpace(l)); m != nil && cur == nil && !strings.HasPrefix(strings.TrimSpace(l), "Question") {
				section = strings.TrimSpace(m[1])
			}
			continue
		}
		if m := qaSectionRE.FindStringSubmatch(l); m != nil && strings.TrimSpace(l) == l && len(l) < 80 && !strings.HasSuffix(l, ".") && !codeStartRE.MatchString(l) {
			// A new section title ends the question.
			flush()
			section = strings.TrimSpace(m[1])
			continue
		}
		if field == "question" {
			cur.Title += " " + strings.TrimSpace(l)
			continue
		}
		body = append(body, l)
	}
	flush()
	if p.Count() == 0 && len(p.Problems) == 0 {
		p.Problems = append(p.Problems, Problem{1, "no Question: blocks found"})
	}
	return p
}

// qaMarkdown turns plain answer text into Markdown: bullets become list items and
// code paragraphs become fenced blocks.
func qaMarkdown(lines []string) string {
	// Split into paragraphs.
	var paras [][]string
	var cur []string
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			if len(cur) > 0 {
				paras = append(paras, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		paras = append(paras, cur)
	}
	var out []string
	var code []string
	flushCode := func() {
		if len(code) > 0 {
			code = trimBlank(dedent(code))
			out = append(out, "```"+guessLanguage(strings.Join(code, "\n")), strings.Join(code, "\n"), "```", "")
			code = nil
		}
	}
	for _, para := range paras {
		first := para[0]
		indent := len(first) - len(strings.TrimLeft(first, " \t"))
		isBullet := bulletRE.MatchString(first)
		isCode := !isBullet && (indent >= 4 || codeStartRE.MatchString(strings.TrimSpace(first)) && looksLikeCode(para))
		if isCode {
			if len(code) > 0 {
				code = append(code, "")
			}
			code = append(code, para...)
			continue
		}
		flushCode()
		for i, l := range para {
			if m := bulletRE.FindStringSubmatch(l); m != nil {
				para[i] = "- " + strings.TrimSpace(l[len(m[0]):])
			} else {
				para[i] = strings.TrimSpace(l)
			}
		}
		out = append(out, strings.Join(para, "\n"), "")
	}
	flushCode()
	return strings.Join(out, "\n")
}

// looksLikeCode checks that most lines of a paragraph read as code, not prose.
func looksLikeCode(para []string) bool {
	codey := 0
	for _, l := range para {
		t := strings.TrimSpace(l)
		if codeStartRE.MatchString(t) || strings.HasSuffix(t, ":") || strings.HasSuffix(t, ")") || strings.HasSuffix(t, "{") || strings.HasSuffix(t, "}") || strings.HasSuffix(t, ";") || strings.HasPrefix(l, "    ") || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "return") || strings.HasPrefix(t, "await ") {
			codey++
		}
	}
	return codey*2 >= len(para)
}

// languageSigns are telling fragments of code in each language, tried in order.
var languageSigns = []struct {
	lang string
	re   *regexp.Regexp
}{
	{"python", regexp.MustCompile(`(?m)^\s*(import \w|from \w[\w.]* import|def \w|async def|class \w+[:(]|elif )|\b(None|True|False|self\.)`)},
	{"go", regexp.MustCompile(`(?m)^\s*(package \w|func \w)|:= `)},
	{"rust", regexp.MustCompile(`(?m)^\s*(fn \w|use \w+::|let mut )`)},
	{"sql", regexp.MustCompile(`(?mi)^\s*(SELECT|CREATE TABLE|INSERT INTO|UPDATE \w+ SET)\b`)},
	{"javascript", regexp.MustCompile(`(?m)(const |let |=> |function\s*\w*\()`)},
	{"bash", regexp.MustCompile(`(?m)^\s*\$ `)},
}

// guessLanguage names the language of untagged code from telling keywords.
func guessLanguage(code string) string {
	for _, s := range languageSigns {
		if s.re.MatchString(code) {
			return s.lang
		}
	}
	return ""
}
