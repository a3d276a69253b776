/** The fleet graph in Graphviz DOT. */
import type { FleetGraph } from './model.js';

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function toDot(g: FleetGraph): string {
  const out = ['digraph fleet {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];'];
  let n = 0;
  const id = (prefix: string) => `${prefix}${n++}`;
  for (const net of g.networks) {
    out.push(`  subgraph cluster_${id('net')} {`, `    label=${q(`network ${net.name}`)};`);
    for (const c of net.clusters) {
      out.push(`    subgraph cluster_${id('c')} {`, `      label=${q(`${c.name} · ${c.role} · ${c.platform}`)};`);
      for (const r of c.revisions) {
        const rId = id('r');
        out.push(`      ${rId} [shape=hexagon, label=${q(`${r.revision}\nIstio ${r.version} · ${r.mode}`)}];`);
        for (const ns of r.namespaces) {
          const nId = id('ns');
          out.push(`      ${nId} [shape=box, label=${q(`ns ${ns}${c.demo.includes(ns) ? ' · demo' : ''}`)}];`, `      ${nId} -> ${rId};`);
        }
        for (const gw of r.gateways) {
          const gId = id('gw');
          out.push(`      ${gId} [shape=oval, label=${q(`gw ${gw}`)}];`, `      ${gId} -> ${rId};`);
        }
      }
      if (c.applications.length > 0) out.push(`      ${id('apps')} [shape=note, label=${q(`apps: ${c.applications.join(', ')}`)}];`);
      out.push('    }');
    }
    out.push('  }');
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
