package corpus

import (
	"fmt"
	"sort"
	"strings"
)

// Error is one problem in a corpus file, located by path and line (0 when the whole
// file is at fault).
type Error struct {
	Path string
	Line int
	Msg  string
	// Warning is true for a problem that leaves the file in the index (a question
	// without an answer, a file qdex does not read, a related page that is missing).
	Warning bool
}

func (e *Error) Error() string {
	msg := e.Msg
	if e.Warning {
		msg = "warning: " + msg
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, msg)
}

// Errors is every problem found in a corpus, sorted by path and line.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

func (es Errors) sort() {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Path != es[j].Path {
			return es[i].Path < es[j].Path
		}
		return es[i].Line < es[j].Line
	})
}
