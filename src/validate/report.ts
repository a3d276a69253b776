/** validate's output: text grouped like `smm analyze`, stable JSON, and SARIF 2.1.0 for code scanning. */
import { toolkitVersion } from '../toolkit.js';
import { refString, RULES, type Finding } from './findings.js';
import type { ValidateReport } from './index.js';

const MARK = { error: 'ERROR', warning: 'WARN ', info: 'INFO ' } as const;

export function formatText(r: ValidateReport, verbose = false): string {
  const shown = r.findings.filter((f) => verbose || f.severity !== 'info');
  const lines: string[] = [];
  const groups = new Map<string, Finding[]>();
  for (const f of shown) {
    const g = f.cluster ? `cluster ${f.cluster}` : 'repository';
    groups.set(g, [...(groups.get(g) ?? []), f]);
  }
  for (const [group, fs] of [...groups].sort(([a], [b]) => (a === 'repository' ? -1 : b === 'repository' ? 1 : a < b ? -1 : 1))) {
    lines.push(`${group}:`);
    let last = '';
    for (const f of fs) {
      const res = f.resource ? refString(f.resource) : f.application ? `Application ${f.application}` : '';
      if (res !== last) lines.push(`  ${res || '(fleet)'}${f.file ? `  (${f.file}${f.line ? `:${f.line}` : ''})` : ''}`);
      last = res;
      lines.push(`    ${MARK[f.severity]} ${f.rule}: ${f.message}`);
    }
  }
  const s = r.summary;
  lines.push(
    `${r.ok ? 'ok' : 'failed'}: ${s.errors} error(s), ${s.warnings} warning(s)${s.infos ? `, ${s.infos} note(s)${verbose ? '' : ' (-v shows them)'}` : ''}; ` +
      `${s.applications} applications on ${s.clusters} clusters, ${s.builds} kustomize builds (${s.cachedBuilds} from cache)` +
      (r.strict && s.warnings ? ' [--strict: warnings fail]' : ''),
  );
  return lines.join('\n');
}

/** The JSON output, documented in the README; fields are only ever added. */
export function toJson(r: ValidateReport): unknown {
  return { version: 1, ok: r.ok, strict: r.strict, summary: r.summary, findings: r.findings };
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
          ...(f.cluster || f.application ? { properties: { ...(f.cluster ? { cluster: f.cluster } : {}), ...(f.application ? { application: f.application } : {}) } } : {}),
        })),
      },
    ],
  };
}
