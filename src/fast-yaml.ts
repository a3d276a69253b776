/**
 * YAML without source positions, for where none is needed: js-yaml is 3-6x faster than `yaml`'s
 * position-keeping parser. Its scalars are resolved exactly as `yaml` resolves the YAML 1.2 core
 * schema (js-yaml's own core schema also reads `0b101` as 5 and `+.5` as a string), so both parsers
 * give the same data for the same text; test/fast-yaml.test.ts holds them to it.
 */
import { FAILSAFE_SCHEMA, load, loadAll, Type } from 'js-yaml';
import { parse } from 'yaml';

const scalar = (tag: string, test: RegExp, construct: (s: string) => unknown) =>
  new Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve: (s: string | null) => test.test(s ?? ''),
    construct: (s: string | null) => construct(s ?? ''),
  });

// The `yaml` package's core schema tests (yaml/dist/schema/core and common/null).
const NULL = scalar('null', /^(?:~|[Nn]ull|NULL)?$/, () => null);
const BOOL = scalar('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T');
const INT = scalar('int', /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/, (s) =>
  s.startsWith('0o') ? Number.parseInt(s.slice(2), 8) : s.startsWith('0x') ? Number.parseInt(s.slice(2), 16) : Number.parseInt(s, 10),
);
const FLOAT = scalar(
  'float',
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+|[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*))$/,
  (s) => (/nan$/i.test(s) ? Number.NaN : /inf$/i.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : Number.parseFloat(s)),
);
// js-yaml applies `<<` merges when the schema knows the merge tag (its loader handles the rest).
const MERGE = new Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (s: string | null) => s === '<<' || s === null });

const CORE = FAILSAFE_SCHEMA.extend({ implicit: [NULL, BOOL, INT, FLOAT] });
const CORE_WITH_MERGE = CORE.extend({ implicit: [MERGE] });

/** Every document of a Kubernetes-style text, `<<` merge keys applied; throws js-yaml's message (line and column) on bad syntax. */
export function loadDocuments(text: string): unknown[] {
  return loadAll(text, undefined, { schema: CORE_WITH_MERGE, json: false });
}

/** Every document of a tool's output (kustomize, helm): as `yaml` reads it, a repeated key's last value winning. */
export function loadOutput(text: string): unknown[] {
  return loadAll(text, undefined, { schema: CORE, json: true });
}

/** Every document, as `yaml` reads them with default options; throws on bad syntax or a duplicate key. */
export function loadStrictDocuments(text: string): unknown[] {
  return loadAll(text, undefined, { schema: CORE, json: false });
}

/** One document, as `yaml` reads it with default options (no merge keys); throws on bad syntax or a duplicate key. */
export function loadDocument(text: string): unknown {
  return load(text, { schema: CORE, json: false });
}

/** One document, fast; what the fast reader refuses goes to `yaml`, which accepts or throws as it always did. */
export function parseYaml(text: string): unknown {
  try {
    return loadDocument(text);
  } catch {
    return parse(text);
  }
}

/**
 * Every document with the line its content starts on (as `yaml`'s `contents.range` gives it), for
 * text that needs no more than the fast reader: undefined when the text has anchors, tags,
 * directives, complex keys, tabs or carriage returns, a `---` line with anything after it, or when
 * the fast reader refuses a document (bad syntax, a duplicate key). Callers then take `yaml`'s path.
 */
export function loadLocatedDocuments(text: string): { data: unknown; line: number }[] | undefined {
  if (/[&*!%?\t\r]|<</.test(text)) return undefined;
  const lines = text.split('\n');
  const out: { data: unknown; line: number }[] = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    const l = lines[i];
    if (l !== undefined && !l.startsWith('---') && !l.startsWith('...')) continue;
    if (l !== undefined && l !== '---') return undefined;
    // Lines start..i-1 are one document; its content starts at its first line that is not blank or a comment.
    let first = -1;
    for (let j = start; j < i && first < 0; j++) if (!/^\s*(#.*)?$/.test(lines[j]!)) first = j;
    if (first >= 0) {
      try {
        out.push({ data: loadDocument(lines.slice(start, i).join('\n')), line: first + 1 });
      } catch {
        return undefined;
      }
    }
    start = i + 1;
  }
  return out;
}
