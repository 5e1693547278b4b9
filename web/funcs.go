package web

import (
	"html/template"
	"strconv"
)

// templateFuncs are the functions templates call. version maps static file names to
// their content hashes.
func templateFuncs(version map[string]string, corpusErrors func() []string) template.FuncMap {
	return template.FuncMap{
		// corpusErrors are the problems keeping the latest corpus from being served.
		"corpusErrors": func() []string {
			if corpusErrors == nil {
				return nil
			}
			return corpusErrors()
		},
		// static is the URL of a static file, versioned so it can be cached for good.
		"static": func(name string) string { return staticURL(version[name], name) },
		// plural is "1 question", "2 questions".
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return "1 " + one
			}
			return strconv.Itoa(n) + " " + many
		},
		// percent is a share as "12.5%".
		"percent": func(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" },
		// bytes is a size as "1.2 MB".
		"bytes": func(n int64) string {
			switch {
			case n >= 1<<20:
				return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
			case n >= 1<<10:
				return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
			}
			return strconv.FormatInt(n, 10) + " B"
		},
		// badge is the CSS class of a difficulty.
		"badge": func(d string) string {
			switch d {
			case "easy", "medium", "hard":
				return "badge badge-" + d
			}
			return "badge"
		},
	}
}
