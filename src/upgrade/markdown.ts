/**
 * `upgrade -o markdown`: the pull-request comment for an upgrade. What the upgrade does (its steps
 * and what is left to do on the clusters), then what changes in the repo exactly as `diff -o
 * markdown` shows it: per-cluster resources, the before/after picture of the fleet, the file diff.
 */
import { diffMarkdown } from '../diff/report.js';
import { mdCode, mdText } from '../render/prose.js';
import type { UpgradeResult } from './index.js';

export function upgradeMarkdown(r: UpgradeResult): string {
  if (r.upToDate) return `### calisti-gitops upgrade\n\nCalisti ${mdText(r.to)} is up to date: nothing to do.\n`;
  return [
    `### calisti-gitops upgrade ${mdText(r.from)} -> ${mdText(r.to)}`,
    '',
    ...r.steps.map((s) => `- ${mdText(s)}`),
    '',
    r.commit ? `Committed ${mdCode(r.commit.slice(0, 12))}${r.branch ? ` on ${mdCode(r.branch)}` : ''}.` : 'Not committed.',
    ...(r.followUps.length ? ['', '**Then, on the clusters** (GitOps cannot do these):', '', ...r.followUps.map((f) => `- ${mdText(f)}`)] : []),
    '',
    ...(r.preview ? [diffMarkdown(r.preview)] : []),
  ].join('\n');
}
