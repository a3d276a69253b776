/**
 * Argo CD's `Render.Replace` over many strings at once: fasttemplate (`{{ key }}` replaced by a string
 * parameter, anything else left as written) or Go's text/template with sprig (`goTemplate: true`). Go
 * templates run in one batch per call, so callers gather every string first (see render.ts).
 */
import { renderGoTemplates } from './gotemplate/index.js';
import { AppSetError, type Params } from './types.js';

export interface Templating {
  goTemplate: boolean;
  goTemplateOptions: string[];
}
export interface ReplaceJob {
  template: string;
  params: Params;
}

// Argo only runs fasttemplate when a `{{...}}` pair sits on one line (`.` does not cross newlines).
const TEMPLATED = /\{\{.*\}\}/;

function fastReplace(template: string, params: Params): string {
  if (!TEMPLATED.test(template)) return template;
  let out = '';
  let rest = template;
  for (;;) {
    const start = rest.indexOf('{{');
    if (start < 0) return out + rest;
    out += rest.slice(0, start);
    rest = rest.slice(start + 2);
    const end = rest.indexOf('}}');
    if (end < 0)
      throw new AppSetError(`invalid template: Cannot find end tag="}}" in the template=${JSON.stringify(template)} starting from ${JSON.stringify(rest)}`);
    const tag = rest.slice(0, end);
    const value = params[tag.trim()];
    out += tag.trim() !== '' && typeof value === 'string' ? value : `{{${tag}}}`;
    rest = rest.slice(end + 2);
  }
}

/** Renders every job; throws the first failure (in job order) as Argo reports it. */
export function replaceAll(jobs: ReplaceJob[], t: Templating): string[] {
  if (!t.goTemplate) return jobs.map((j) => fastReplace(j.template, j.params));
  const out: string[] = new Array<string>(jobs.length);
  const pending: number[] = [];
  jobs.forEach((j, i) => {
    // A Go template without an action prints itself: only strings with `{{` need the engine.
    if (j.template.includes('{{')) pending.push(i);
    else out[i] = j.template;
  });
  if (pending.length) {
    const results = renderGoTemplates(
      pending.map((i) => jobs[i]!),
      t.goTemplateOptions,
    );
    pending.forEach((jobIndex, k) => {
      const r = results[k]!;
      if ('error' in r) throw new AppSetError(r.error);
      out[jobIndex] = r.ok;
    });
  }
  return out;
}

export const replaceOne = (template: string, params: Params, t: Templating): string => replaceAll([{ template, params }], t)[0]!;
