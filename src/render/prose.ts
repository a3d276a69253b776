/**
 * Prose and scripts of the generated repo, rendered with Handlebars. Every value goes through a
 * helper that quotes it for its target (shell or Markdown); Handlebars never re-reads a value as a
 * template, so `{{` in user input stays text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { templatesDir } from '../toolkit.js';
import { precompiled } from './precompiled.js';

const hbs = Handlebars.create();
/** POSIX shell single quoting. */
export const shQuote = (v: unknown) => `'${String(v).replace(/'/g, `'\\''`)}'`;
/** One line: a line break in a value would end a table row or start a new Markdown block. */
const oneLine = (v: unknown) => String(v).replace(/[\r\n\u2028\u2029]+/g, ' ');
/**
 * Markdown text: every character CommonMark or GitHub's HTML pass reads as syntax is
 * backslash-escaped (links, emphasis, tables, HTML tags, entities), so a value shows as typed.
 */
export const mdText = (v: unknown) => oneLine(v).replace(/[\\`*_{}[\]()#+!<>&|~]/g, (c) => `\\${c}`);
/** Markdown inline code: the fence is one backtick longer than the longest run inside (CommonMark 6.1). */
export function mdCode(v: unknown): string {
  const s = oneLine(v);
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}
hbs.registerHelper('sh', shQuote);
hbs.registerHelper('md', mdText);
hbs.registerHelper('code', mdCode);
/** JSON, for values a script hands to a JSON consumer; with `list` and `map` to build them. */
hbs.registerHelper('json', (v: unknown) => JSON.stringify(v));
hbs.registerHelper('list', (...args: unknown[]) => args.slice(0, -1));
// Handlebars hands the hash over last key first; keep the order the template wrote.
hbs.registerHelper('map', (options: Handlebars.HelperOptions) => Object.fromEntries(Object.entries(options.hash).reverse()));

/** noEscape: the helpers above do the quoting that fits each output format (scripts/bundle.mjs compiles with the same). */
export const TEMPLATE_OPTIONS = { noEscape: true, strict: true } as const;

const compiled = new Map<string, Handlebars.TemplateDelegate>();

export function renderTemplate(name: string, data: object): string {
  let t = compiled.get(name);
  if (!t) {
    const ready = precompiled[name];
    // The bundle carries Handlebars' runtime only, with every template precompiled (scripts/bundle.mjs).
    if (!ready && typeof hbs.compile !== 'function') throw new Error(`internal: template ${name} is not in this build; run npm run build`);
    t = ready ? hbs.template(ready) : hbs.compile(readFileSync(join(templatesDir, `${name}.hbs`), 'utf8'), TEMPLATE_OPTIONS);
    compiled.set(name, t);
  }
  return t(data);
}
