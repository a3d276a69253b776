/** The mesh rules validate runs after the built-in reference rules of ../mesh.ts, in this order. */
import { gatewaySelector } from './gateway-selector.js';
import { istioInjectionLabel } from './istio-injection-label.js';
import { missingMeshPolicy } from './missing-mesh-policy.js';
import { multipleActive } from './multiple-active.js';
import { portProtocolConflict } from './port-protocol-conflict.js';
import { reusedCert } from './reused-cert.js';
import type { MeshRule } from './types.js';
import { virtualServiceDestination } from './virtualservice-destination.js';

export const MESH_RULES: readonly MeshRule[] = [
  istioInjectionLabel,
  missingMeshPolicy,
  gatewaySelector,
  portProtocolConflict,
  reusedCert,
  virtualServiceDestination,
  multipleActive,
];
