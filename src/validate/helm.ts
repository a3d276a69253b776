/**
 * Vendored charts rendered as Argo CD renders them: `helm template` with the Application's release
 * name, namespace, parameters and values. Optional: without helm the chart is reported, not rendered.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { isObj } from '../objects.js';
import { AppSpec, meta, specOf, type AppSource, type KubeObject } from './objects.js';
import { capped, GO_TOOL_RUN } from '../kustomize/build.js';
import { killOnExit, scratchFolder } from '../exit-cleanup.js';

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
  // Removed with the run if a signal ends it; the render runs under kustomize's memory cap and time limit.
  const scratch = values !== undefined ? scratchFolder('calisti-helm-') : undefined;
  const valuesFile = scratch ? join(scratch.path, 'values.yaml') : undefined;
  if (valuesFile) writeFileSync(valuesFile, typeof values === 'string' ? values : stringify(values));
  const [command, args] = capped(helm, helmTemplateArgs(chartDir, app, src, valuesFile));
  return new Promise((resolve) => {
    const child = execFile(command, args, GO_TOOL_RUN, (err, stdout, stderr) => {
      scratch?.remove();
      const objects: HelmRender['objects'] = [];
      if (!err) {
        for (const d of parseAllDocuments(stdout)) {
          let v: unknown;
          try {
            // A chart's templates are text: they can print an alias bomb, which `yaml` refuses.
            v = d.toJS({ maxAliasCount: 100 });
          } catch (e) {
            return resolve({ ok: false, objects: [], stderr: `helm template printed YAML that cannot be read: ${(e as Error).message}` });
          }
          // `# Source:` lands on the document, its contents or its first key, depending on position.
          const contents = d.contents as { commentBefore?: string | null; items?: { key?: { commentBefore?: string | null } }[] } | null;
          const comment = [d.commentBefore, contents?.commentBefore, contents?.items?.[0]?.key?.commentBefore].filter(Boolean).join('\n');
          const m = /Source: [^/\s]+\/(\S+)/.exec(comment);
          if (isObj(v)) objects.push({ obj: v, ...(m ? { source: m[1] } : {}) });
        }
      }
      resolve({ ok: !err, objects, stderr: (stderr || (err ? err.message : '')).trim() });
    });
    killOnExit(child);
  });
}
