/** Synthetic fleets for the benchmark: active and passive clusters mixed, gateways, the demo app. */
import { stringify } from 'yaml';
import { API_VERSION, DEMO_COMPONENTS, KIND } from '../src/model/schema.js';

export function fleetModel(clusters: number, version = '1.12.0'): string {
  const names = Array.from({ length: clusters }, (_, i) => `cluster-${String(i + 1).padStart(4, '0')}`);
  const front = DEMO_COMPONENTS.slice(0, 4);
  const back = DEMO_COMPONENTS.slice(4);
  return stringify(
    {
      apiVersion: API_VERSION,
      kind: KIND,
      calisti: { version },
      git: { repoURL: 'https://git.example.com/platform/calisti-gitops.git' },
      clusters: names.map((name, i) => ({
        name,
        // Every fourth cluster is passive; networks group eight clusters.
        role: i % 4 === 3 ? 'passive' : 'active',
        network: `net-${Math.floor(i / 8)}`,
        ...(i % 10 === 5 ? { platform: 'openshift' } : {}),
        ...(i === 0 ? { dashboard: { expose: true, anonymous: true } } : {}),
      })),
      gateways: [
        {
          name: 'edge',
          namespace: 'edge-gw',
          clusters: names.filter((_, i) => i % 4 !== 3),
          ports: [{ name: 'http', port: 80, targetPort: 8080 }],
          routes: [{ destination: { host: 'frontpage.smm-demo.svc.cluster.local', port: 8080 } }],
        },
      ],
      demoApp: {
        placement: names.map((cluster, i) => ({ cluster, components: i % 4 === 3 ? back : front })),
      },
    },
    { lineWidth: 0, aliasDuplicateObjects: false },
  );
}
