/** diff's outputs: text for terminals, markdown for pull-request comments, JSON for bots. */
import { changeMarkdown } from '../graph/change.js';
import { mdCode } from '../render/prose.js';
import { refString } from '../validate/findings.js';
import { describeDestructive } from './destructive.js';
import type { DiffReport } from './index.js';

function applicationLines(r: DiffReport): string[] {
  const { added, removed } = r.applications;
  if (!added.length && !removed.length) return [];
  return ['', 'Applications Argo CD creates / deletes:', ...added.map((n) => `  + ${n}`), ...removed.map((n) => `  - ${n}`)];
}

function clusterLines(r: DiffReport, bullet: string): string[] {
  const lines: string[] = [];
  for (const [cluster, d] of Object.entries(r.clusters)) {
    lines.push(`${bullet}${cluster}: ${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`);
    for (const a of d.added) lines.push(`    + ${refString(a)}`);
    for (const a of d.removed) lines.push(`    - ${refString(a)}`);
    for (const c of d.changed) lines.push(`    ~ ${refString(c.resource)}: ${c.paths.join(', ')}`);
  }
  return lines;
}

/** The hand edits generate keeps, one line each: file, resource, field. */
function handEditLines(r: DiffReport, bullet: string, code = (s: string) => s): string[] {
  return r.handEdits.map((e) => `${bullet}${code(e.path)} ${code(e.resource)} ${code(e.field)}`);
}

export function diffText(r: DiffReport): string {
  const kept = r.handEdits.length ? ['', `hand edits generate keeps (${r.handEdits.length}):`, ...handEditLines(r, '  = ')] : [];
  if (!r.changed) return ['no change: the repo is what calisti.yaml generates', ...kept].join('\n');
  return [
    ...r.files.map((f) => f.diff.trimEnd()),
    '',
    'resources per cluster:',
    ...clusterLines(r, '  '),
    ...applicationLines(r),
    ...(r.conflicts.length ? ['', `generate would refuse these hand-edited files; shown as --force would write them: ${r.conflicts.join(', ')}`] : []),
    ...(r.destructive.length ? ['', 'destructive (Argo CD deletes these on the clusters):', ...r.destructive.map((d) => `  ! ${describeDestructive(d)}`)] : []),
    ...kept,
    '',
    `${r.files.length} file(s) change`,
  ].join('\n');
}

export function diffMarkdown(r: DiffReport): string {
  const kept = r.handEdits.length
    ? ['', `<details><summary>${r.handEdits.length} hand edit(s) generate keeps</summary>`, '', ...handEditLines(r, '- ', mdCode), '', '</details>']
    : [];
  if (!r.changed) return ['### calisti-gitops diff', '', 'No change: the repo is what `calisti.yaml` generates.', ...kept, ''].join('\n');
  const rows = Object.entries(r.clusters).map(([c, d]) => `| \`${c}\` | ${d.added.length} | ${d.removed.length} | ${d.changed.length} |`);
  const details = Object.entries(r.clusters).map(([c, d]) =>
    [
      `<details><summary><code>${c}</code></summary>`,
      '',
      ...d.added.map((a) => `- added \`${refString(a)}\``),
      ...d.removed.map((a) => `- removed \`${refString(a)}\``),
      ...d.changed.map((x) => `- changed \`${refString(x.resource)}\`: ${x.paths.map((p) => `\`${p}\``).join(', ')}`),
      '',
      '</details>',
    ].join('\n'),
  );
  const fence = '````';
  return [
    '### calisti-gitops diff',
    '',
    `${r.files.length} file(s) change; ${Object.keys(r.clusters).length} cluster(s) receive different resources.`,
    '',
    ...(r.destructive.length
      ? ['> [!CAUTION]', '> Argo CD deletes these on the clusters:', ...r.destructive.map((d) => `> - ${describeDestructive(d)}`), '']
      : []),
    ...(r.applications.added.length || r.applications.removed.length
      ? [
          `Applications Argo CD creates: ${r.applications.added.map((n) => `\`${n}\``).join(', ') || 'none'}; deletes: ${r.applications.removed.map((n) => `\`${n}\``).join(', ') || 'none'}.`,
          '',
        ]
      : []),
    '| cluster | added | removed | changed |',
    '|---|---|---|---|',
    ...rows,
    '',
    ...(r.graphs ? [changeMarkdown(r.graphs.before, r.graphs.after)] : []),
    ...details,
    '',
    '<details><summary>File diff</summary>',
    '',
    `${fence}diff`,
    ...r.files.map((f) => f.diff.trimEnd()),
    fence,
    '',
    '</details>',
    ...(r.conflicts.length ? ['', `> generate would refuse these hand-edited files: ${r.conflicts.map((c) => `\`${c}\``).join(', ')}`] : []),
    ...kept,
    '',
  ].join('\n');
}
