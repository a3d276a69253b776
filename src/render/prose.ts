/**
 * Prose and scripts of the generated repo, rendered with Handlebars. Every value goes through a
 * helper that quotes it for its target (shell or Markdown); Handlebars never re-reads a value as a
 * template, so `{{` in user input stays text.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { templatesDir } from '../toolkit.js';

const hbs = Handlebars.create();
/** POSIX shell single quoting. */
hbs.registerHelper('sh', (v: unknown) => `'${String(v).replace(/'/g, `'\\''`)}'`);
/** Markdown text: escape what Markdown or HTML would interpret. */
hbs.registerHelper('md', (v: unknown) => String(v).replace(/[\\`*_[\]<>&|~]/g, (c) => `\\${c}`));
/** Markdown inline code. */
hbs.registerHelper('code', (v: unknown) => {
  const s = String(v).replace(/\n/g, ' ');
  const fence = s.includes('`') ? '`` ' : '`';
  return fence + s + (fence === '`' ? '`' : ' ``');
});

const compiled = new Map<string, Handlebars.TemplateDelegate>();

export function renderTemplate(name: string, data: object): string {
  let t = compiled.get(name);
  if (!t) {
    // noEscape: the helpers above do the quoting that fits each output format.
    t = hbs.compile(readFileSync(join(templatesDir, `${name}.hbs`), 'utf8'), { noEscape: true, strict: true });
    compiled.set(name, t);
  }
  return t(data);
}
