package main

import (
	"encoding/json"
	"fmt"
)

// stringsPath names a value inside params set P that Argo CD holds as map[string]string or
// []string, not as JSON decodes it (map[string]any, []any): cluster labels and annotations,
// generator values, git path segments. The difference shows in sprig's dict functions
// (hasKey, dig, keys... want map[string]any and fail on map[string]string).
type stringsPath struct {
	P    int   `json:"p"`
	Path []any `json:"path"` // map keys (string) and list indexes (number)
}

type decoded struct {
	value map[string]any
	err   error
}

// decodeParams holds every parameter set as Argo CD does: encoding/json into map[string]any, so
// numbers are float64 and print as Go prints them (1e+06), then the string-typed values retyped.
func decodeParams(raw []json.RawMessage, strings []stringsPath) []decoded {
	out := make([]decoded, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal(r, &out[i].value); err != nil {
			out[i].err = fmt.Errorf("params %d is not a JSON object: %w", i, err)
		}
	}
	for _, s := range strings {
		if s.P < 0 || s.P >= len(out) || out[s.P].err != nil {
			continue
		}
		if err := retype(out[s.P].value, s.Path); err != nil {
			out[s.P].err = fmt.Errorf("params %d at %v: %w", s.P, s.Path, err)
		}
	}
	return out
}

func retype(root map[string]any, path []any) error {
	if len(path) == 0 {
		return fmt.Errorf("the params themselves stay a map[string]any")
	}
	var parent any = root
	for _, step := range path[:len(path)-1] {
		next, err := child(parent, step)
		if err != nil {
			return err
		}
		parent = next
	}
	last := path[len(path)-1]
	value, err := child(parent, last)
	if err != nil {
		return err
	}
	typed, err := asStrings(value)
	if err != nil {
		return err
	}
	switch p := parent.(type) {
	case map[string]any:
		p[last.(string)] = typed
	case []any:
		p[int(last.(float64))] = typed
	}
	return nil
}

func child(parent any, step any) (any, error) {
	switch p := parent.(type) {
	case map[string]any:
		if key, ok := step.(string); ok {
			if v, ok := p[key]; ok {
				return v, nil
			}
		}
	case []any:
		if i, ok := step.(float64); ok && i >= 0 && int(i) < len(p) && float64(int(i)) == i {
			return p[int(i)], nil
		}
	}
	return nil, fmt.Errorf("no value at %v", step)
}

func asStrings(value any) (any, error) {
	switch v := value.(type) {
	case map[string]any:
		m := make(map[string]string, len(v))
		for k, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("%q is not a string", k)
			}
			m[k] = s
		}
		return m, nil
	case []any:
		l := make([]string, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("item %d is not a string", i)
			}
			l[i] = s
		}
		return l, nil
	}
	return nil, fmt.Errorf("not a map or a list")
}
