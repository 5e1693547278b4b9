package gen

import (
	"strconv"
	"strings"
)

// Code templates. Slots: {id} an identifier in the language's style (often one of the
// page's), {fn} a function name, {Ty} a type name, {pkg} a package, {n} a number,
// {c} a comment of a few words, {w} a word, {s} a short string.
var codeTemplates = map[string]struct {
	head, foot string
	body       []string
	indent     string
}{
	"python": {
		head:   "import {pkg}\n\ndef {fn}({id}, {id}=None):",
		foot:   "    return {id}",
		indent: "    ",
		body: []string{
			"{id} = {pkg}.{id}({id})",
			"for {id} in {id}:\n        if {id}.{id}:\n            {id}.append({id})",
			"# {c}",
			"with {pkg}.{id}({id}) as {id}:\n        {id} = {id}.{id}()",
			"if {id} is None:\n        raise ValueError(\"{s}\")",
			"{id}[{id}] = {id}.get({id}, {n})",
			"{id} = [{id} for {id} in {id} if {id} > {n}]",
			"try:\n        {id}({id})\n    except KeyError:\n        {id} = {n}",
		},
	},
	"go": {
		head:   "func {Fn}(ctx context.Context, {id} {Ty}) (*{Ty}, error) {",
		foot:   "\treturn {id}, nil\n}",
		indent: "\t",
		body: []string{
			"{id}, err := {pkg}.{Fn}(ctx, {id})\n\tif err != nil {\n\t\treturn nil, fmt.Errorf(\"{s}: %w\", err)\n\t}",
			"// {c}",
			"for _, {id} := range {id} {\n\t\t{id} = append({id}, {id})\n\t}",
			"{id} := make(map[string]{Ty}, {n})",
			"defer {id}.Close()",
			"select {\n\tcase <-ctx.Done():\n\t\treturn nil, ctx.Err()\n\tcase {id} := <-{id}:\n\t\t{id}.{Fn}({id})\n\t}",
			"{id}.mu.Lock()\n\tdefer {id}.mu.Unlock()",
			"if len({id}) > {n} {\n\t\t{id} = {id}[:{n}]\n\t}",
		},
	},
	"javascript": {
		head:   "async function {fn}({id}, {id} = {}) {",
		foot:   "  return {id};\n}",
		indent: "  ",
		body: []string{
			"const {id} = await {id}.{fn}({id});",
			"// {c}",
			"for (const {id} of {id}) {\n    {id}.push({id}.{fn}());\n  }",
			"if (!{id}) {\n    throw new Error(\"{s}\");\n  }",
			"const { {id}, {id} } = {id};",
			"{id}.addEventListener(\"{w}\", () => {fn}({id}));",
			"let {id} = {id}.filter(({id}) => {id}.{id} > {n});",
			"const {id} = await Promise.all({id}.map({fn}));",
		},
	},
	"sql": {
		head:   "SELECT {id}, COUNT(*) AS {id}\nFROM {id} t",
		foot:   "ORDER BY {id} DESC\nLIMIT {n};",
		indent: "",
		body: []string{
			"JOIN {id} u ON u.{id}_id = t.id",
			"LEFT JOIN {id} v ON v.{id} = t.{id}",
			"-- {c}",
			"WHERE t.{id} > {n}",
			"GROUP BY {id}",
			"HAVING COUNT(*) > {n}",
		},
	},
	"rust": {
		head:   "fn {fn}({id}: &{Ty}) -> Result<{Ty}, Error> {",
		foot:   "    Ok({id})\n}",
		indent: "    ",
		body: []string{
			"let {id} = {id}.{fn}()?;",
			"// {c}",
			"for {id} in {id}.iter() {\n        {id}.push({id}.clone());\n    }",
			"let mut {id} = Vec::with_capacity({n});",
			"match {id} {\n        Some({id}) => {fn}({id}),\n        None => return Err(Error::{Ty}),\n    }",
			"let {id} = Arc::new(Mutex::new({id}));",
			"if {id}.len() > {n} {\n        {id}.truncate({n});\n    }",
		},
	},
	"java": {
		head:   "public {Ty} {fn}({Ty} {id}) throws IOException {",
		foot:   "    return {id};\n}",
		indent: "    ",
		body: []string{
			"var {id} = {id}.{fn}({id});",
			"// {c}",
			"for (var {id} : {id}) {\n        {id}.add({id}.{fn}());\n    }",
			"Map<String, {Ty}> {id} = new HashMap<>();",
			"if ({id} == null) {\n        throw new IllegalStateException(\"{s}\");\n    }",
			"synchronized ({id}) {\n        {id}.{fn}({id});\n    }",
			"List<{Ty}> {id} = {id}.stream().filter({id} -> {id}.{fn}()).toList();",
		},
	},
	"bash": {
		head:   "{fn}() {\n  local {id}=\"$1\"",
		foot:   "}",
		indent: "  ",
		body: []string{
			"# {c}",
			"{cmd} --{w} \"${{id}}\" | grep -v {w}",
			"if [ -z \"${{id}}\" ]; then\n    echo \"{s}\" >&2\n    return 1\n  fi",
			"for {id} in \"$@\"; do\n    {cmd} \"${{id}}\"\n  done",
			"export {ID}=\"{w}\"",
			"{cmd} {w} {id} && {cmd} {w}",
		},
	},
}

var shellCommands = fields(`git kubectl docker curl grep awk sed find xargs jq make ssh tar`)

// code writes a fenced code block in the language.
func (w *writer) code(lang string) {
	t, ok := codeTemplates[lang]
	if !ok {
		lang, t = "python", codeTemplates["python"]
	}
	w.b = append(w.b, "```"...)
	w.b = append(w.b, lang...)
	w.b = append(w.b, '\n')
	w.codeLine(t.head, lang)
	w.b = append(w.b, '\n')
	for n := 2 + w.r.IntN(5); n > 0; n-- {
		w.b = append(w.b, t.indent...)
		w.codeLine(t.body[w.r.IntN(len(t.body))], lang)
		w.b = append(w.b, '\n')
	}
	w.codeLine(t.foot, lang)
	w.b = append(w.b, "\n```"...)
}

func (w *writer) codeLine(t, lang string) {
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c != '{' {
			w.b = append(w.b, c)
			continue
		}
		j := strings.IndexByte(t[i:], '}')
		if j < 0 {
			w.b = append(w.b, t[i:]...)
			return
		}
		slot := t[i+1 : i+j]
		switch slot {
		case "id":
			w.b = append(w.b, w.codeIdent(lang)...)
		case "ID":
			w.b = append(w.b, strings.ToUpper(w.identWord()+"_"+w.identWord())...)
		case "fn":
			w.b = append(w.b, w.funcName(lang)...)
		case "Fn":
			w.b = append(w.b, title(w.identWord())+title(w.identWord())...)
		case "Ty":
			w.b = append(w.b, title(w.identWord())+title(w.identWord())...)
		case "pkg":
			w.b = append(w.b, w.packageName()...)
		case "n":
			w.b = strconv.AppendInt(w.b, int64(1+w.r.IntN(100)), 10)
		case "c":
			w.expand("{V} the {A} {N}")
		case "w":
			w.b = append(w.b, w.identWord()...)
		case "s":
			w.expand("{A} {N}")
		case "cmd":
			w.b = append(w.b, w.pick(shellCommands)...)
		default:
			// A brace that is code, not a slot: `{}` in JavaScript, `${x}` in shell.
			w.b = append(w.b, c)
			continue
		}
		i += j
	}
}

// codeIdent is a variable name: a page identifier when its style fits, else a fresh one.
func (w *writer) codeIdent(lang string) string {
	if w.chance(0.3) {
		id := w.pick(w.idents)
		if !strings.Contains(id, ".") {
			return id
		}
	}
	if w.chance(0.4) {
		return w.identWord()
	}
	id := w.ident(lang)
	if i := strings.LastIndexByte(id, '.'); i >= 0 {
		id = id[i+1:]
	}
	if lang == "go" || lang == "javascript" || lang == "java" {
		return strings.ToLower(id[:1]) + id[1:]
	}
	return id
}

func (w *writer) funcName(lang string) string {
	a, b := w.identWord(), w.identWord()
	switch lang {
	case "python", "rust", "bash":
		return a + "_" + b
	}
	return a + title(b)
}
