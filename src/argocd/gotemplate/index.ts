/**
 * PLACEHOLDER until the WebAssembly build of Go's text/template + sprig lands: field lookups only.
 * Same interface as the real module.
 */
export interface GoJob {
  template: string;
  params: unknown;
}
export type GoResult = { ok: string } | { error: string };

export function renderGoTemplates(jobs: GoJob[], options: string[]): GoResult[] {
  const missingError = options.includes('missingkey=error');
  return jobs.map(({ template, params }) => {
    try {
      return {
        ok: template.replace(/\{\{-?\s*(.*?)\s*-?\}\}/g, (_w, expr: string) => {
          const m = /^\.([A-Za-z0-9_.]+)$/.exec(expr);
          if (!m) throw new Error(`failed to execute go template ${template}: unsupported expression {{${expr}}}`);
          let v: unknown = params;
          for (const part of m[1]!.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
          if (v === undefined && missingError) throw new Error(`failed to execute go template ${template}: template: :1: map has no entry for key "${m[1]}"`);
          return v === undefined ? '<no value>' : typeof v === 'string' ? v : JSON.stringify(v);
        }),
      };
    } catch (e) {
      return { error: (e as Error).message };
    }
  });
}
