// Command gotemplate renders Argo CD ApplicationSet goTemplate strings with Go's own text/template,
// built for GOOS=wasip1 and run by ../index.ts. One run renders a batch: JSON on stdin
// ({options, params, strings, jobs}), a JSON array of {ok}|{error} on stdout, one entry per job.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"text/template"
)

type job struct {
	Template string `json:"t"`
	Params   int    `json:"p"`
}

type batch struct {
	Options []string          `json:"options"`
	Params  []json.RawMessage `json:"params"`
	Strings []stringsPath     `json:"strings"`
	Jobs    []job             `json:"jobs"`
}

type result struct {
	OK    *string `json:"ok,omitempty"`
	Error *string `json:"error,omitempty"`
}

func main() {
	// A run lives for one batch: fewer, later collections make it faster.
	debug.SetGCPercent(400)
	var in batch
	if err := json.NewDecoder(bufio.NewReader(os.Stdin)).Decode(&in); err != nil {
		fmt.Fprintf(os.Stderr, "gotemplate: bad batch: %v\n", err)
		os.Exit(2)
	}
	parser := newParser(funcMap(), in.Options)
	params := decodeParams(in.Params, in.Strings)
	parsed := map[string]parsedTemplate{}
	out := make([]result, len(in.Jobs))
	for i, j := range in.Jobs {
		var text string
		var err error
		if j.Params < 0 || j.Params >= len(params) {
			err = fmt.Errorf("job %d names params %d of %d", i, j.Params, len(params))
		} else if params[j.Params].err != nil {
			err = params[j.Params].err
		} else {
			p, seen := parsed[j.Template]
			if !seen {
				p.tmpl, p.err = parser.parse(j.Template)
				parsed[j.Template] = p
			}
			text, err = execute(p, j.Template, params[j.Params].value)
		}
		if err != nil {
			msg := err.Error()
			out[i].Error = &msg
		} else {
			out[i].OK = &text
		}
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(os.Stderr, "gotemplate: %v\n", err)
		os.Exit(2)
	}
	if err := w.Flush(); err != nil {
		os.Exit(2)
	}
}

// parsedTemplate is one template text parsed as Argo CD's Render.Replace does (see parser). Argo
// parses every string it renders; a batch parses each distinct text once, as executing a parsed
// template leaves it unchanged.
type parsedTemplate struct {
	tmpl *template.Template
	err  error
}

// execute keeps Argo's error wording. A panic (an unknown option; a function that panics outside
// text/template's own recovery) becomes that job's error instead of ending the batch.
func execute(p parsedTemplate, text string, params map[string]any) (out string, err error) {
	if p.err != nil {
		return "", p.err
	}
	defer recoverAsError(&err)
	var buf bytes.Buffer
	if err := p.tmpl.Execute(&buf, params); err != nil {
		return "", fmt.Errorf("failed to execute go template %s: %w", text, err)
	}
	return buf.String(), nil
}

func recoverAsError(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%v", r)
	}
}
