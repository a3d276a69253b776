/** validate's output: text grouped like `smm analyze`, stable JSON, and SARIF 2.1.0 for code scanning. */
import { plain, type Paint, type Style } from '../cli/colour.js';
import { toolkitVersion } from '../toolkit.js';
import { refString, RULES, type Finding } from './findings.js';
import type { ValidateReport } from './index.js';
import { pushTo } from '../objects.js';

const MARK = { error: 'ERROR', warning: 'WARN ', info: 'INFO ' } as const;
const MARK_STYLE: Record<Finding['severity'], Style> = { error: 'red', warning: 'yellow', info: 'dim' };

/** Cluster names in the order a person counts them: wc-1, wc-2, wc-10. */
const natural = new Intl.Collator('en', { numeric: true }).compare;

const sameKey = (f: Finding) => `${f.severity}\u0000${f.rule}\u0000${f.message}`;
const location = (f: Finding) => {
  const res = f.resource ? refString(f.resource) : f.application ? `Application ${f.application}` : '(fleet)';
  return `${res}${f.file ? `  (${f.file}${f.line ? `:${f.line}` : ''})` : ''}`;
};

/** `quiet`: the summary line only. A finding repeated word for word is printed once, with a count. */
export function formatText(r: ValidateReport, verbose = false, quiet = false, paint: Paint = plain): string {
  const mark = (f: Finding) => paint(MARK_STYLE[f.severity], MARK[f.severity]);
  const shown = quiet ? [] : r.findings.filter((f) => verbose || f.severity !== 'info');
  const lines: string[] = [];
  const byKey = new Map<string, Finding[]>();
  for (const f of shown) pushTo(byKey, sameKey(f), f);
  const groups = new Map<string, Finding[]>();
  for (const f of shown.filter((f) => byKey.get(sameKey(f))!.length === 1)) {
    const g = f.cluster ? `cluster ${f.cluster}` : 'repository';
    pushTo(groups, g, f);
  }
  for (const [group, fs] of [...groups].sort(([a], [b]) => (a === 'repository' ? -1 : b === 'repository' ? 1 : natural(a, b)))) {
    lines.push(`${group}:`);
    let last = '';
    for (const f of fs) {
      const where = location(f);
      if (where !== last) lines.push(`  ${where}`);
      last = where;
      lines.push(`    ${mark(f)} ${f.rule}: ${f.message}`);
    }
  }
  const repeated = [...byKey.values()].filter((fs) => fs.length > 1);
  if (repeated.length) lines.push('repeated (-o json lists each one):');
  for (const fs of repeated) {
    const f = fs[0]!;
    lines.push(`    ${mark(f)} ${f.rule}: ${f.message}  x${fs.length}, first at ${location(f)}`);
  }
  const s = r.summary;
  lines.push(
    `${r.ok ? paint('green', 'ok') : paint('red', 'failed')}: ${s.errors} error(s), ${s.warnings} warning(s)${s.infos ? `, ${s.infos} note(s)${verbose ? '' : ' (-v shows them)'}` : ''}; ` +
      `${s.applications} applications on ${s.clusters} clusters, ${s.reused ? 'unchanged since the last validate: its findings stand (--no-cache checks again)' : `${s.builds} kustomize builds (${s.cachedBuilds} from cache)`}` +
      (r.strict && s.warnings ? ' [--strict: warnings fail]' : ''),
  );
  return lines.join('\n');
}

/** The JSON output, documented in the README; fields are only ever added. */
export function toJson(r: ValidateReport): unknown {
  return { version: 1, ok: r.ok, strict: r.strict, summary: r.summary, findings: r.findings, ...(r.shard ? { shard: r.shard, fleet: r.fleet } : {}) };
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function toSarif(r: ValidateReport): unknown {
  const ruleIds = Object.keys(RULES) as (keyof typeof RULES)[];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'calisti-gitops',
            version: toolkitVersion,
            informationUri: 'https://github.com/calisti-gitops/calisti-gitops',
            rules: ruleIds.map((id) => ({
              id,
              shortDescription: { text: RULES[id].summary },
              defaultConfiguration: { level: SARIF_LEVEL[RULES[id].severity] },
            })),
          },
        },
        results: r.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ruleIds.indexOf(f.rule),
          level: SARIF_LEVEL[f.severity],
          message: { text: `${f.cluster ? `[${f.cluster}] ` : ''}${f.resource ? `${refString(f.resource)}: ` : ''}${f.message}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file ?? 'calisti.yaml', uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line ?? 1, ...(f.col ? { startColumn: f.col } : {}) },
              },
              ...(f.resource ? { logicalLocations: [{ name: refString(f.resource), kind: 'resource' }] } : {}),
            },
          ],
          ...(f.cluster || f.application
            ? { properties: { ...(f.cluster ? { cluster: f.cluster } : {}), ...(f.application ? { application: f.application } : {}) } }
            : {}),
        })),
      },
    ],
  };
}
