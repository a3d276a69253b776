/**
 * Checks an object against a CRD's OpenAPI v3 structural schema the way the API server would
 * treat it: type errors and constraint violations are rejected, and a field the schema does not
 * know is reported too, because the API server would prune it silently.
 */

export interface SchemaProblem {
  /** JSON-pointer-like path in the object: `spec.meshConfig.foo`. */
  path: string;
  message: string;
  kind: 'invalid' | 'unknown-field';
}

export type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  allOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  not?: JsonSchema;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
};

const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

const show = (v: unknown) => {
  const s = JSON.stringify(v);
  return s && s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

/** Validate a whole custom resource: apiVersion, kind and metadata are the API server's, not the schema's. */
export function checkResource(obj: Record<string, unknown>, schema: JsonSchema): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const props = { ...(schema.properties ?? {}) };
  for (const k of ['apiVersion', 'kind', 'metadata']) delete props[k];
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!['apiVersion', 'kind', 'metadata'].includes(k)) rest[k] = v;
  check(rest, { ...schema, properties: props, required: (schema.required ?? []).filter((r) => !['apiVersion', 'kind', 'metadata'].includes(r)) }, '', problems);
  return problems;
}

export function check(value: unknown, schema: JsonSchema, path: string, problems: SchemaProblem[]): void {
  const p = (message: string, kind: SchemaProblem['kind'] = 'invalid') => problems.push({ path: path || '(root)', message, kind });
  if (value === null) {
    if (!schema.nullable && schema.type !== undefined) p(`must be ${schema.type}, not null`);
    return;
  }
  const actual = typeOf(value);
  if (schema['x-kubernetes-int-or-string']) {
    if (actual !== 'integer' && actual !== 'string') p(`must be an integer or a string, not ${actual}`);
  } else if (schema.type) {
    const ok = schema.type === actual || (schema.type === 'number' && actual === 'integer');
    if (!ok) {
      p(`must be ${schema.type}, not ${actual} (${show(value)})`);
      return;
    }
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    p(`must be one of ${schema.enum.map(show).join(', ')}, not ${show(value)}`);
  }
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) p(`must match ${schema.pattern}`);
    if (schema.minLength !== undefined && [...value].length < schema.minLength) p(`must be at least ${schema.minLength} characters`);
    if (schema.maxLength !== undefined && [...value].length > schema.maxLength) p(`must be at most ${schema.maxLength} characters`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum))
      p(`must be ${schema.exclusiveMinimum ? '>' : '>='} ${schema.minimum}`);
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum))
      p(`must be ${schema.exclusiveMaximum ? '<' : '<='} ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) p(`must have at least ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) p(`must have at most ${schema.maxItems} items`);
    if (schema.items) value.forEach((v, i) => check(v, schema.items!, join(path, i), problems));
  }
  if (actual === 'object') checkObject(value as Record<string, unknown>, schema, path, problems);
  if (schema.allOf) for (const s of schema.allOf) check(value, s, path, problems);
  // anyOf/oneOf/not in structural schemas only validate (no types, no properties of their own).
  if (schema.anyOf && !schema.anyOf.some((s) => passes(value, s, path))) p('matches none of the allowed forms (anyOf)');
  if (schema.oneOf && schema.oneOf.filter((s) => passes(value, s, path)).length !== 1) p('must match exactly one allowed form (oneOf)');
  if (schema.not && passes(value, schema.not, path)) p('matches a forbidden form (not)');
}

function passes(value: unknown, schema: JsonSchema, path: string): boolean {
  const inner: SchemaProblem[] = [];
  // Sub-schemas of anyOf/oneOf rarely list every property; only their own constraints count.
  check(value, { ...schema, 'x-kubernetes-preserve-unknown-fields': true }, path, inner);
  return inner.length === 0;
}

function checkObject(obj: Record<string, unknown>, schema: JsonSchema, path: string, problems: SchemaProblem[]): void {
  const n = Object.keys(obj).length;
  if (schema.minProperties !== undefined && n < schema.minProperties)
    problems.push({ path: path || '(root)', message: `must have at least ${schema.minProperties} fields`, kind: 'invalid' });
  if (schema.maxProperties !== undefined && n > schema.maxProperties)
    problems.push({ path: path || '(root)', message: `must have at most ${schema.maxProperties} fields`, kind: 'invalid' });
  for (const r of schema.required ?? []) {
    if (!(r in obj)) problems.push({ path: join(path, r), message: 'is required', kind: 'invalid' });
  }
  const embedded = schema['x-kubernetes-embedded-resource'];
  for (const [k, v] of Object.entries(obj)) {
    const prop = schema.properties?.[k];
    if (prop) {
      check(v, prop, join(path, k), problems);
    } else if (typeof schema.additionalProperties === 'object') {
      check(v, schema.additionalProperties, join(path, k), problems);
    } else if (embedded && ['apiVersion', 'kind', 'metadata'].includes(k)) {
      // An embedded resource carries its own type and metadata.
    } else if (schema['x-kubernetes-preserve-unknown-fields'] || schema.additionalProperties === true) {
      // Kept as is by the API server.
    } else if (schema.properties || schema.additionalProperties === false || schema.type === 'object') {
      problems.push({ path: join(path, k), message: 'unknown field: the API server would drop it silently', kind: 'unknown-field' });
    }
  }
}
