/** The fleet graph as a Mermaid flowchart (GitHub renders it in Markdown). */
import type { FleetGraph } from './model.js';

/** Node ids are sequential: names may hold characters Mermaid ids cannot. */
const label = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;

export function toMermaid(g: FleetGraph): string {
  const out = ['flowchart LR'];
  let n = 0;
  const id = (prefix: string) => `${prefix}${n++}`;
  for (const net of g.networks) {
    const netId = id('net');
    out.push(`  subgraph ${netId}[${label(`network ${net.name}`)}]`);
    for (const c of net.clusters) {
      const cId = id('c');
      out.push(`    subgraph ${cId}[${label(`${c.name} · ${c.role} · ${c.platform}`)}]`);
      for (const r of c.revisions) {
        const rId = id('r');
        out.push(`      ${rId}{{${label(`${r.revision} · Istio ${r.version} · ${r.mode}`)}}}`);
        for (const ns of r.namespaces) out.push(`      ${id('ns')}[${label(`ns ${ns}${c.demo.includes(ns) ? ' · demo' : ''}`)}] --> ${rId}`);
        for (const gw of r.gateways) out.push(`      ${id('gw')}([${label(`gw ${gw}`)}]) --> ${rId}`);
      }
      if (c.applications.length > 0) out.push(`      ${id('apps')}[/${label(`apps: ${c.applications.join(', ')}`)}/]`);
      out.push('    end');
    }
    out.push('  end');
  }
  return `${out.join('\n')}\n`;
}
