/**
 * Model values that reach Helm: Argo CD's ApplicationSet controller substitutes the list element into
 * `helm.parameters`, Argo CD's repo server escapes the value (util/helm/cmd.go cleanSetParameters:
 * `,` becomes `\,` unless a `\` precedes it; a value wrapped in `{...}` is left alone), and Helm's
 * --set parser splits on unescaped commas. Each accepted value must come out as exactly one key with
 * exactly the value written in the model.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseFleet } from '../../src/model/load.js';
import { renderRepo } from '../../src/render/index.js';
import { parseYamlDocs } from '../helpers.js';

/** Argo CD's escaping of a --set value. */
function argoEscape(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  let out = '';
  let prev = '';
  for (const c of value) {
    out += c === ',' && prev !== '\\' ? '\\,' : c;
    prev = c;
  }
  return out;
}

/** Helm's reading of `name=value` from --set: the assignments it makes (strvals, string values only). */
function helmSet(arg: string): [string, string][] {
  const out: [string, string][] = [];
  let key = '';
  let value = '';
  let inValue = false;
  for (let i = 0; i < arg.length; i++) {
    const c = arg[i]!;
    if (c === '\\' && inValue && i + 1 < arg.length) value += arg[++i]!;
    else if (c === '=' && !inValue) inValue = true;
    else if (c === ',' && inValue) {
      out.push([key, value]);
      [key, value, inValue] = ['', '', false];
    } else if (inValue) value += c;
    else key += c;
  }
  out.push([key, value]);
  return out;
}

/** Every (parameter name, value) Argo CD hands Helm for each generated Application. */
function helmParameters(model: string): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const [path, file] of renderRepo(parseFleet(model))) {
    if (!path.endsWith('app-set.yaml')) continue;
    for (const appSet of parseYamlDocs(file.content)) {
      const template = JSON.stringify(appSet.spec.template);
      for (const element of appSet.spec.generators[0].list.elements as Record<string, string>[]) {
        // The list generator's fasttemplate substitution: one pass, values never re-read.
        const app = JSON.parse(template.replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k in element ? JSON.stringify(element[k]).slice(1, -1) : m)));
        const sources = app.spec.sources ?? [app.spec.source];
        for (const s of sources) for (const p of s.helm?.parameters ?? []) out.push(p);
      }
    }
  }
  return out;
}

const fleet = (address: string) =>
  stringify({
    apiVersion: 'calisti-gitops.io/v1alpha1',
    kind: 'Fleet',
    calisti: { version: '1.12.0' },
    git: { repoURL: 'https://git.example.com/fleet.git' },
    clusters: [{ name: 'wc-1', apiServerEndpointAddress: address }, { name: 'wc-2' }],
  });

describe('model values passed to Helm through Argo CD', () => {
  it.each(['https://api.example.com', 'https://10.0.0.1:6443', 'https://[fd00::1]:6443', 'https://rancher.example.com/k8s/clusters/c-1'])(
    '%s reaches Helm as one key with its own value',
    (address) => {
      const params = helmParameters(fleet(address));
      expect(params.map((p) => p.name)).toContain('apiServerEndpointAddress');
      for (const p of params) {
        const sets = helmSet(`${p.name}=${argoEscape(p.value)}`);
        expect(sets).toEqual([[p.name, p.value]]);
      }
      expect(params.filter((p) => p.name === 'apiServerEndpointAddress').map((p) => p.value)).toEqual([address, '']);
    },
  );

  it.each(['https://a.example.com\\\\,global.ecr.enabled=true', 'https://a.example.com\\,b=c', '{https://a,b=c}'])(
    '%j, which Helm would split or change, is refused by the model',
    (address) => {
      // The emulation shows the attack works without the model's rule ...
      expect(helmSet(`apiServerEndpointAddress=${argoEscape(address)}`)).not.toEqual([['apiServerEndpointAddress', address]]);
      // ... and the model refuses the value.
      expect(() => parseFleet(fleet(address))).toThrow(/apiServerEndpointAddress/);
    },
  );
});
