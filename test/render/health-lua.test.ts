/**
 * The health checks bootstrap/argocd-cm.yaml gives Argo CD, run in a Lua VM (fengari; Argo CD runs
 * gopher-lua, and the scripts use only what both have) against ApplicationSet and Application
 * statuses shaped as Argo CD writes them (status.conditions, status.resources[].health/status).
 * They decide when the root app moves to its next sync wave.
 */
import fengari from 'fengari';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseFleet } from '../../src/model/load.js';
import { renderRepo } from '../../src/render/index.js';
import { fleetModel } from './mesh/render.js';

const cm = parse(renderRepo(parseFleet(fleetModel('  - { name: c1 }', ''))).get('bootstrap/argocd-cm.yaml')!.content) as { data: Record<string, string> };

/** A JSON value as a Lua table constructor. */
function lua(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `{${v.map(lua).join(', ')}}`;
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `[${JSON.stringify(k)}] = ${lua(x)}`)
    .join(', ')}}`;
}

/** Runs a health script on `obj` as Argo CD does (the object in the global `obj`), returning status and message. */
function health(script: string, obj: unknown): { status: string; message: string } {
  const { lauxlib, lualib, lua: api, to_luastring } = fengari;
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  const code = `obj = ${lua(obj)}\nlocal function check()\n${script}\nend\nlocal hs = check()\nreturn hs.status .. "\\n" .. (hs.message or "")`;
  expect(lauxlib.luaL_dostring(L, to_luastring(code)), api.lua_tojsstring(L, -1)).toBe(0);
  const [status, message] = api.lua_tojsstring(L, -1).split('\n');
  return { status: status!, message: message ?? '' };
}

const upToDate = { type: 'ResourcesUpToDate', status: 'True', message: 'All applications have been generated successfully' };
const app = (name: string, h: string | undefined, sync = 'Synced') => ({
  group: 'argoproj.io',
  version: 'v1alpha1',
  kind: 'Application',
  namespace: 'argocd',
  name,
  status: sync,
  health: h ? { status: h } : {},
});

describe('ApplicationSet health (the root app waits on it between waves)', () => {
  const script = cm.data['resource.customizations.health.argoproj.io_ApplicationSet']!;
  it.each<[string, unknown, string, string]>([
    ['no status yet', { metadata: { name: 's' } }, 'Progressing', 'Waiting for the generated Applications'],
    [
      "Applications generated, status not reported yet (Argo CD's own check says Healthy here)",
      { status: { conditions: [upToDate] } },
      'Progressing',
      'Waiting for the generated Applications',
    ],
    [
      'one Application still progressing',
      { status: { conditions: [upToDate], resources: [app('smm-operator-c1', 'Healthy'), app('smm-operator-c2', 'Progressing')] } },
      'Progressing',
      'Waiting for Application smm-operator-c2 (Progressing, Synced)',
    ],
    [
      'one Application degraded (its pull secret not sealed yet): keep waiting',
      { status: { conditions: [upToDate], resources: [app('smm-operator-c1', 'Degraded')] } },
      'Progressing',
      'Waiting for Application smm-operator-c1 (Degraded, Synced)',
    ],
    [
      'healthy but not synced yet',
      { status: { conditions: [upToDate], resources: [app('smm-operator-c1', 'Healthy', 'OutOfSync')] } },
      'Progressing',
      'Waiting for Application smm-operator-c1 (Healthy, OutOfSync)',
    ],
    [
      'health missing from the status (argo-cd #22921)',
      { status: { conditions: [upToDate], resources: [app('smm-operator-c1', undefined)] } },
      'Progressing',
      'Waiting for Application smm-operator-c1 (Unknown, Synced)',
    ],
    [
      'every Application Synced and Healthy',
      { status: { conditions: [upToDate], resources: [app('smm-operator-c1', 'Healthy'), app('smm-operator-c2', 'Healthy')] } },
      'Healthy',
      'Every generated Application is Synced and Healthy',
    ],
    [
      'the set cannot generate',
      { status: { conditions: [{ type: 'ErrorOccurred', status: 'True', message: 'application spec is invalid' }], resources: [app('a', 'Healthy')] } },
      'Degraded',
      'application spec is invalid',
    ],
  ])('%s', (_name, obj, status, message) => {
    expect(health(script, obj)).toEqual({ status, message });
  });
});

describe("Application health (the docs' app-of-apps check)", () => {
  const script = cm.data['resource.customizations.health.argoproj.io_Application']!;
  it.each<[string, unknown, string]>([
    ['no status', { metadata: { name: 'a' } }, 'Progressing'],
    ['healthy', { status: { health: { status: 'Healthy' } } }, 'Healthy'],
    ['degraded', { status: { health: { status: 'Degraded', message: 'x' } } }, 'Degraded'],
  ])('%s', (_name, obj, status) => {
    expect(health(script, obj).status).toBe(status);
  });
});
