/**
 * Mesh gateways (docs 2.5.6): an IstioMeshGateway for the Envoy deployment and its Service, an Istio
 * Gateway for its listeners, and one VirtualService per route.
 */
import type { Gateway } from '../../../model/schema.js';
import type { RenderContext } from '../../context.js';
import { SYNC_WAVE, WAVE } from '../../layout.js';
import type { K8sObject } from '../../yaml.js';

const wave = (w: string) => ({ [SYNC_WAVE]: w });
/** The status port Istio gateways always serve (docs 2.5.6 examples). */
const STATUS_PORT = { name: 'tcp-status-port', port: 15021, protocol: 'TCP', targetPort: 15021 };

export function meshGateway(ctx: RenderContext, gw: Gateway): K8sObject {
  return {
    apiVersion: 'servicemesh.cisco.com/v1alpha1',
    kind: 'IstioMeshGateway',
    metadata: { annotations: wave(WAVE.meshGateway), name: gw.name, namespace: gw.namespace },
    spec: {
      istioControlPlane: { name: gw.revision ?? ctx.revision, namespace: ctx.fleet.istio.namespace },
      runAsRoot: gw.runAsRoot,
      service: {
        ports: [
          STATUS_PORT,
          ...gw.ports.map((p) => ({ name: p.name, port: p.port, protocol: 'TCP', targetPort: p.targetPort ?? p.port })),
        ],
        type: gw.serviceType,
      },
      type: gw.type,
    },
  };
}

export function istioGateway(gw: Gateway): K8sObject {
  return {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'Gateway',
    metadata: { annotations: wave(WAVE.gatewayConfig), name: gw.name, namespace: gw.namespace },
    spec: {
      selector: { 'gateway-name': gw.name, 'gateway-type': gw.type },
      servers: gw.ports.map((p) => ({
        hosts: p.hosts,
        port: { name: p.name, number: p.port, protocol: p.protocol },
        ...(p.tls ? { tls: { mode: p.tls.mode, ...(p.tls.credentialName ? { credentialName: p.tls.credentialName } : {}) } } : {}),
      })),
    },
  };
}

export function virtualServices(gw: Gateway): K8sObject[] {
  return gw.routes.map((r, i) => ({
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { annotations: wave(WAVE.gatewayConfig), name: gw.routes.length === 1 ? gw.name : `${gw.name}-${i + 1}`, namespace: gw.namespace },
    spec: {
      gateways: [gw.name],
      hosts: r.hosts,
      http: [{ match: [{ uri: { prefix: r.prefix } }], route: [{ destination: { host: r.destination.host, port: { number: r.destination.port } } }] }],
    },
  }));
}
