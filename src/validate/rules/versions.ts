/**
 * version/mismatch: what the repo deploys differs from what the blueprints say for the model's
 * version and control planes: a chart `targetRevision`, an IstioControlPlane's `spec.version` or
 * images. This is how a bot's or a person's in-place bump shows up, whatever wrote it.
 */
import { blueprintFor } from '../../model/blueprint.js';
import { versionOf } from '../../model/rings.js';
import type { Fleet } from '../../model/schema.js';
import type { RenderedTree } from '../../render/index.js';
import { finding, resourceRef, type Finding } from '../findings.js';
import type { ClusterView } from '../mesh.js';
import { appSources, AppSpec, IstioControlPlaneSpec, meta, metaName, specOf, type KubeObject } from '../objects.js';

/** Every `image` string and IstioControlPlane `version` the render itself contains. */
function rendered(tree: RenderedTree): { images: Set<string>; versions: Map<string, string> } {
  const images = new Set<string>();
  const versions = new Map<string, string>();
  for (const { content } of tree.values()) {
    for (const m of content.matchAll(/^\s*image: (\S+)$/gm)) images.add(m[1]!.replace(/^["']|["']$/g, ''));
    const icp = /^kind: IstioControlPlane$[\s\S]*?^ {2}name: (\S+)$[\s\S]*?^ {2}version: (\S+)$/m.exec(content);
    if (icp) versions.set(icp[1]!, icp[2]!.replace(/^["']|["']$/g, ''));
  }
  return { images, versions };
}

function imagesIn(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => imagesIn(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) k === 'image' && typeof x === 'string' ? out.push(x) : imagesIn(x, out);
  return out;
}

export function versionFindings(fleet: Fleet, tree: RenderedTree, apps: { obj: KubeObject; file?: string; line?: number }[], views: ClusterView[]): Finding[] {
  const fix = `calisti-gitops generate --force puts back what calisti.yaml ${fleet.calisti.version} says; to move to a newer release: calisti-gitops upgrade --to <version>`;
  const out: Finding[] = [];
  // Mid-rollout each cluster runs its ring's release.
  const releaseOf = (dest: unknown) => {
    const c = fleet.clusters.find((x) => x.name === dest || x.argocd?.name === dest);
    return c ? versionOf(fleet, c.name) : fleet.calisti.version;
  };
  for (const a of apps) {
    const version = releaseOf(specOf(AppSpec, a.obj).destination?.name);
    const bp = blueprintFor(version);
    for (const src of appSources(a.obj)) {
      if (src.chart === bp.chart.name && String(src.targetRevision) !== bp.chart.version) {
        out.push(
          finding('version/mismatch', `chart ${bp.chart.name} ${src.targetRevision}, but Calisti ${version} (calisti.yaml) ships ${bp.chart.version}: ${fix}`, {
            application: metaName(a.obj),
            file: a.file,
            line: a.line,
          }),
        );
      }
    }
  }
  const want = rendered(tree);
  for (const view of views) {
    for (const d of view.resources) {
      if (d.obj.kind !== 'IstioControlPlane') continue;
      const where = { cluster: view.cluster, application: d.application, resource: resourceRef(d.obj), file: d.file, line: d.line };
      const name = meta(d.obj).name;
      const version = specOf(IstioControlPlaneSpec, d.obj).version;
      const expected = want.versions.get(String(name));
      if (expected !== undefined && String(version) !== expected) {
        out.push(finding('version/mismatch', `spec.version ${version}, but calisti.yaml gives ${name} Istio ${expected}: ${fix}`, where));
      }
      for (const image of imagesIn(d.obj.spec)) {
        if (!want.images.has(image))
          out.push(finding('version/mismatch', `image ${image} is not one Calisti ${fleet.calisti.version} (calisti.yaml) ships for ${name}: ${fix}`, where));
      }
    }
  }
  return out;
}
