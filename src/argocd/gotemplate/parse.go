package main

import (
	"fmt"
	"text/template"
	"text/template/parse"
)

// parser parses template texts exactly as Argo CD's Render.Replace does (clone a base template
// holding ~210 functions, apply the options, parse), but cheaply: cloning copies both function
// maps, which is most of the cost of a template in WebAssembly. A text is first parsed against
// the function names only, to learn which functions it calls; then a fresh template holding just
// those is parsed with the options. The parse tree does not depend on which other functions
// exist, and execution looks up only the functions in the tree, so output and errors are Argo's.
// Whenever either parse fails, the text is parsed again the way Argo does, for Argo's exact error.
type parser struct {
	funcs   template.FuncMap
	names   map[string]any     // the function names a text may call: funcs and text/template's builtins
	base    *template.Template // Argo's base template, made on the first fallback
	options []string
}

// builtinNames are text/template's predefined functions (Go 1.23). Were one missing, the first
// parse would fail and the text would take Argo's own path: a slower parse, not a different result.
var builtinNames = []string{"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne"}

func newParser(funcs template.FuncMap, options []string) *parser {
	names := make(map[string]any, len(funcs)+len(builtinNames))
	for name := range funcs {
		names[name] = true
	}
	for _, name := range builtinNames {
		names[name] = true
	}
	return &parser{funcs: funcs, names: names, options: options}
}

func (p *parser) parse(text string) (t *template.Template, err error) {
	defer recoverAsError(&err)
	if t := p.parseWithCalledFuncs(text); t != nil {
		return t, nil
	}
	if p.base == nil {
		p.base = template.New("base").Funcs(p.funcs)
	}
	cloned, err := p.base.Clone()
	if err != nil {
		return nil, fmt.Errorf("failed to clone base template: %w", err)
	}
	for _, option := range p.options {
		cloned = cloned.Option(option)
	}
	t, err = cloned.Parse(text)
	if err != nil {
		return nil, fmt.Errorf("failed to parse template %s: %w", text, err)
	}
	return t, nil
}

// parseWithCalledFuncs returns nil when either parse fails (the caller then parses as Argo does).
func (p *parser) parseWithCalledFuncs(text string) *template.Template {
	trees, err := parse.Parse("base", text, "", "", p.names)
	if err != nil {
		return nil
	}
	called := template.FuncMap{}
	for _, tree := range trees {
		collectCalls(tree.Root, p.funcs, called)
	}
	t := template.New("base").Funcs(called)
	for _, option := range p.options {
		t = t.Option(option)
	}
	if t, err = t.Parse(text); err != nil {
		return nil
	}
	return t
}

// collectCalls adds to called every function of funcs that node names.
func collectCalls(node parse.Node, funcs template.FuncMap, called template.FuncMap) {
	switch n := node.(type) {
	case *parse.IdentifierNode:
		if f, ok := funcs[n.Ident]; ok {
			called[n.Ident] = f
		}
	case *parse.ListNode:
		if n != nil {
			for _, child := range n.Nodes {
				collectCalls(child, funcs, called)
			}
		}
	case *parse.PipeNode:
		if n != nil {
			for _, cmd := range n.Cmds {
				collectCalls(cmd, funcs, called)
			}
		}
	case *parse.CommandNode:
		for _, arg := range n.Args {
			collectCalls(arg, funcs, called)
		}
	case *parse.ActionNode:
		collectCalls(n.Pipe, funcs, called)
	case *parse.ChainNode:
		collectCalls(n.Node, funcs, called)
	case *parse.IfNode:
		collectBranch(&n.BranchNode, funcs, called)
	case *parse.RangeNode:
		collectBranch(&n.BranchNode, funcs, called)
	case *parse.WithNode:
		collectBranch(&n.BranchNode, funcs, called)
	case *parse.TemplateNode:
		collectCalls(n.Pipe, funcs, called)
	}
}

func collectBranch(b *parse.BranchNode, funcs template.FuncMap, called template.FuncMap) {
	collectCalls(b.Pipe, funcs, called)
	collectCalls(b.List, funcs, called)
	collectCalls(b.ElseList, funcs, called)
}
