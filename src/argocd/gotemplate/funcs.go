package main

import (
	"crypto/sha512"
	"encoding/hex"
	"regexp"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
)

// funcMap is the function set Argo CD's ApplicationSet controller gives goTemplate: sprig's
// generic functions without the ones that reveal the environment, plus Argo's own five.
// Debian packages sprig 3.2.3; Argo CD builds with 3.3.0, whose only new function is sha512sum.
func funcMap() template.FuncMap {
	m := sprig.GenericFuncMap()
	delete(m, "env")
	delete(m, "expandenv")
	delete(m, "getHostByName")
	m["sha512sum"] = sha512sum
	m["normalize"] = sanitizeName
	m["slugify"] = slugifyName
	m["toYaml"] = toYAML
	m["fromYaml"] = fromYAML
	m["fromYamlArray"] = fromYAMLArray
	return m
}

func sha512sum(input string) string {
	sum := sha512.Sum512([]byte(input))
	return hex.EncodeToString(sum[:])
}

var (
	notDNSChars      = regexp.MustCompile("[^-a-z0-9.]")
	notSlugChars     = regexp.MustCompile("[^a-zA-Z0-9-_]")
	repeatedDashes   = regexp.MustCompile("-+")
	maxDNSNameLength = 253
)

// sanitizeName is Argo's `normalize`: lower case, every character outside [-a-z0-9.] becomes '-',
// at most 253 bytes, no leading or trailing '-' or '.'.
func sanitizeName(name string) string {
	name = notDNSChars.ReplaceAllString(strings.ToLower(name), "-")
	if len(name) > maxDNSNameLength {
		name = name[:maxDNSNameLength]
	}
	return strings.Trim(name, "-.")
}

// slugifyName is Argo's `slugify [maxSize [smartTruncate]] name` (defaults 50, true): normalize,
// then gosimple/slug's rules. Normalize leaves only [-a-z0-9.], so slug's transliteration and
// language substitutions never apply; what remains is written here (gosimple/slug is not in Debian).
// Argo asserts the argument types (int, bool, string); a wrong type panics, which text/template
// reports as "error calling slugify".
func slugifyName(args ...any) string {
	maxSize, smart, name := 50, true, ""
	for i, arg := range args {
		switch i {
		case len(args) - 1:
			name = arg.(string)
		case 0:
			maxSize = arg.(int)
		case 1:
			smart = arg.(bool)
		}
	}
	s := sanitizeName(name)
	if !smart && len(s) >= maxSize {
		s = s[:maxSize]
	}
	s = notSlugChars.ReplaceAllString(s, "-")
	s = repeatedDashes.ReplaceAllString(s, "-")
	s = strings.Trim(s, "-_")
	if maxSize > 0 && smart && len(s) > maxSize {
		s = truncateAtDash(s, maxSize)
	}
	return s
}

// truncateAtDash cuts before the last '-' at or before max, or at max when the first word is longer.
func truncateAtDash(s string, max int) string {
	for i := max; i >= 0; i-- {
		if s[i] == '-' {
			return s[:i]
		}
	}
	return s[:max]
}

// toYAML, fromYAML and fromYAMLArray go through sigs.k8s.io/yaml (YAML <-> JSON), as Argo's do.
func toYAML(v any) (string, error) {
	data, err := yaml.Marshal(v)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(string(data), "\n"), nil
}

func fromYAML(str string) (map[string]any, error) {
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(str), &m); err != nil {
		return nil, err
	}
	return m, nil
}

func fromYAMLArray(str string) ([]any, error) {
	a := []any{}
	if err := yaml.Unmarshal([]byte(str), &a); err != nil {
		return nil, err
	}
	return a, nil
}
