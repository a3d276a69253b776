/**
 * Vendored charts rendered as Argo CD renders them: `helm template` with the Application's release
 * name, namespace, parameters and values. Optional: without helm the chart is reported, not rendered.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { isObj } from '../objects.js';
import { AppSpec, meta, specOf, type AppSource, type KubeObject } from './objects.js';

export interface HelmRender {
  ok: boolean;
  /** Objects with the chart file helm says they came from (`# Source:`), relative to the chart. */
  objects: { obj: KubeObject; source?: string }[];
  stderr: string;
}

/** The argument list Argo CD's repo server would give `helm template` for this source. */
export function helmTemplateArgs(chartDir: string, app: KubeObject, src: AppSource, valuesFile?: string): string[] {
  const helm = src.helm;
  const release = String(helm?.releaseName ?? meta(app).name ?? 'release');
  const args = ['template', release, chartDir, '--include-crds'];
  const ns = specOf(AppSpec, app).destination?.namespace;
  if (ns) args.push('--namespace', String(ns));
  for (const f of helm?.valueFiles ?? []) args.push('--values', join(chartDir, String(f)));
  if (valuesFile) args.push('--values', valuesFile);
  for (const p of helm?.parameters ?? []) args.push(p?.forceString ? '--set-string' : '--set', `${p?.name}=${p?.value ?? ''}`);
  for (const p of helm?.fileParameters ?? []) args.push('--set-file', `${p?.name}=${join(chartDir, String(p?.path))}`);
  return args;
}

export function helmTemplate(helm: string, chartDir: string, app: KubeObject, src: AppSource): Promise<HelmRender> {
  const values = src.helm?.valuesObject ?? src.helm?.values;
  const tmp = values !== undefined ? mkdtempSync(join(tmpdir(), 'calisti-helm-')) : undefined;
  const valuesFile = tmp ? join(tmp, 'values.yaml') : undefined;
  if (valuesFile) writeFileSync(valuesFile, typeof values === 'string' ? values : stringify(values));
  return new Promise((resolve) => {
    execFile(helm, helmTemplateArgs(chartDir, app, src, valuesFile), { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (tmp) rmSync(tmp, { recursive: true, force: true });
      const objects: HelmRender['objects'] = [];
      if (!err) {
        for (const d of parseAllDocuments(stdout)) {
          const v = d.toJS({ maxAliasCount: -1 });
          // `# Source:` lands on the document, its contents or its first key, depending on position.
          const contents = d.contents as { commentBefore?: string | null; items?: { key?: { commentBefore?: string | null } }[] } | null;
          const comment = [d.commentBefore, contents?.commentBefore, contents?.items?.[0]?.key?.commentBefore].filter(Boolean).join('\n');
          const m = /Source: [^/\s]+\/(\S+)/.exec(comment);
          if (isObj(v)) objects.push({ obj: v, ...(m ? { source: m[1] } : {}) });
        }
      }
      resolve({ ok: !err, objects, stderr: (stderr || (err ? err.message : '')).trim() });
    });
  });
}
