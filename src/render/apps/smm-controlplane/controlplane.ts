/**
 * The smm-controlplane application: namespaces, the IstioControlPlane and the ControlPlane, with
 * the docs' values (2.3.7 base files), and the small per-cluster patches.
 */
import { monitoringSpec } from '../../../model/mesh/monitoring.js';
import { mergeMaps } from '../../../objects.js';
import type { Cluster } from '../../../model/schema.js';
import { image, networkOf, type ControlPlaneRevision, type RenderContext } from '../../context.js';
import { CONTROL_PLANE_NAME, NS, SYNC_WAVE, WAVE } from '../../layout.js';
import type { K8sObject } from '../../yaml.js';
import { oidcSettings } from './oidc.js';

const waveAnnotation = (wave: string) => ({ annotations: { [SYNC_WAVE]: wave } });

export function namespace(name: string, wave?: string, labels?: Record<string, string>): K8sObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { ...(wave ? waveAnnotation(wave) : {}), ...(labels ? { labels } : {}), name },
  };
}

export const istioFileName = (revision: string) => `istio-${revision}.yaml`;

export function istioControlPlane(ctx: RenderContext, cp: ControlPlaneRevision): K8sObject {
  const ns = ctx.fleet.istio.namespace;
  const images = cp.istio.images;
  const outbound = ctx.fleet.policies.outboundTrafficPolicy;
  return {
    apiVersion: 'servicemesh.cisco.com/v1alpha1',
    kind: 'IstioControlPlane',
    metadata: { ...waveAnnotation(WAVE.istioControlPlane), name: cp.name, namespace: ns },
    spec: {
      containerImageConfiguration: { imagePullPolicy: 'Always', imagePullSecrets: [{ name: 'smm-pull-secret' }] },
      distribution: 'cisco',
      istiod: {
        deployment: {
          env: [{ name: 'ISTIO_MULTIROOT_MESH', value: 'true' }],
          image: image(ctx, images.pilot),
        },
      },
      k8sResourceOverlays: [
        {
          groupVersionKind: { group: 'apps', kind: 'Deployment', version: 'v1' },
          objectKey: { name: `istiod-${cp.name}`, namespace: ns },
          patches: [
            {
              path: '/spec/template/spec/containers/0/args/-',
              type: 'replace',
              value:
                '--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_AES_128_GCM_SHA256',
            },
          ],
        },
      ],
      meshConfig: {
        defaultConfig: {
          envoyAccessLogService: {
            address: `smm-als.${NS.smmSystem}.svc.cluster.local:50600`,
            tcpKeepalive: { interval: '10s', probes: 3, time: '10s' },
            tlsSettings: { mode: 'ISTIO_MUTUAL' },
          },
          holdApplicationUntilProxyStarts: true,
          proxyMetadata: { ISTIO_META_ALS_ENABLED: 'true', PROXY_CONFIG_XDS_AGENT: 'true' },
          tracing: {
            tlsSettings: { mode: 'ISTIO_MUTUAL' },
            zipkin: { address: `smm-zipkin.${NS.smmSystem}.svc.cluster.local:59411` },
          },
        },
        enableEnvoyAccessLogService: true,
        enableTracing: true,
        ...(outbound ? { outboundTrafficPolicy: { mode: outbound } } : {}),
      },
      meshExpansion: {
        enabled: true,
        gateway: {
          deployment: { podMetadata: { labels: { app: 'istio-meshexpansion-gateway', istio: 'meshexpansiongateway' } } },
          service: {
            ports: [
              { name: 'tcp-smm-als-tls', port: 50600, protocol: 'TCP', targetPort: 50600 },
              { name: 'tcp-smm-zipkin-tls', port: 59411, protocol: 'TCP', targetPort: 59411 },
            ],
          },
        },
      },
      meshID: ctx.fleet.istio.meshID,
      mode: 'ACTIVE',
      proxy: { image: image(ctx, images.proxy) },
      proxyInit: {
        cni: { daemonset: { image: image(ctx, images.installCni) } },
        image: image(ctx, images.proxy),
      },
      sidecarInjector: { deployment: { image: image(ctx, images.sidecarInjector) } },
      version: cp.istio.version,
    },
  };
}

export function controlPlane(ctx: RenderContext): K8sObject {
  const istioNs = ctx.fleet.istio.namespace;
  return {
    apiVersion: 'smm.cisco.com/v1alpha1',
    kind: 'ControlPlane',
    metadata: { ...waveAnnotation(WAVE.controlPlane), name: CONTROL_PLANE_NAME },
    spec: {
      certManager: { enabled: true, namespace: NS.certManager },
      // Set per cluster by the overlay patch.
      clusterName: 'CLUSTER-NAME',
      clusterRegistry: { enabled: true, namespace: NS.clusterRegistry },
      log: {},
      meshManager: {
        enabled: true,
        istio: {
          enabled: true,
          istioCRRef: { name: ctx.revision, namespace: istioNs },
          operators: { namespace: NS.smmSystem },
        },
        namespace: NS.smmSystem,
      },
      nodeExporter: { enabled: true, namespace: NS.smmSystem, psp: { enabled: false }, rbac: { enabled: true } },
      oneEye: {},
      registryAccess: {
        enabled: true,
        imagePullSecretsController: {},
        namespace: NS.registryAccess,
        pullSecrets: [{ name: ctx.pullSecretName, namespace: NS.registryAccess }],
      },
      repositoryOverride: { host: ctx.blueprint.registry.host, prefix: ctx.blueprint.registry.prefix },
      role: 'active',
      smm: {
        als: { enabled: true, log: {} },
        application: { enabled: true, log: {} },
        auth: { mode: 'impersonation' },
        certManager: { enabled: true },
        enabled: true,
        federationGateway: {
          enabled: true,
          name: 'smm',
          service: { enabled: true, name: 'smm-federation-gateway', port: 80 },
        },
        federationGatewayOperator: { enabled: true },
        impersonation: { enabled: true },
        istio: { revision: ctx.revisionLabel },
        leo: { enabled: true, log: {} },
        log: {},
        namespace: NS.smmSystem,
        prometheus: { enabled: true, replicas: 1 },
        prometheusOperator: {},
        releaseName: 'smm',
        role: 'active',
        sdm: { enabled: false },
        sre: { enabled: true },
        useIstioResources: true,
      },
    },
  };
}

/** The per-cluster ControlPlane patch: its name, its monitoring (docs 2.10.2), then the model's overrides on top. */
export function controlPlanePatch(cluster: Cluster): K8sObject {
  return {
    apiVersion: 'smm.cisco.com/v1alpha1',
    kind: 'ControlPlane',
    metadata: { name: CONTROL_PLANE_NAME },
    spec: { ...mergeMaps(monitoringSpec(cluster.monitoring), cluster.overrides?.controlPlane ?? {}), clusterName: cluster.name },
  };
}

/** The per-cluster IstioControlPlane patch: its network plus the model's overrides. */
export function istioControlPlanePatch(ctx: RenderContext, cluster: Cluster, revision: string): K8sObject {
  return {
    apiVersion: 'servicemesh.cisco.com/v1alpha1',
    kind: 'IstioControlPlane',
    metadata: { name: revision, namespace: ctx.fleet.istio.namespace },
    spec: { ...(cluster.overrides?.istioControlPlane ?? {}), networkName: networkOf(cluster) },
  };
}

/** Kustomize Components (from the toolkit's overlays/) a cluster's smm-controlplane overlay switches on. */
export function controlPlaneFeatures(cluster: Cluster): string[] {
  const features: string[] = [];
  if (cluster.role === 'passive') features.push('passive');
  if (cluster.platform === 'openshift') features.push('openshift');
  if (cluster.dashboard.expose) features.push('expose-dashboard');
  if (cluster.dashboard.anonymous) features.push('anonymous-dashboard');
  return features;
}

/**
 * The exposed dashboard's gateway Service and TLS (docs 2.5.10.1), as a patch of its own so the
 * Component that switches exposure on stays the same for every cluster. None when only `expose` is set.
 */
export function dashboardPatch(cluster: Cluster): K8sObject | undefined {
  const d = cluster.dashboard;
  if (!d.expose || (!d.hostname && !d.serviceType && !d.nodePorts && !d.serviceAnnotations && !d.tls && !d.oidc)) return undefined;
  const annotations = { ...d.serviceAnnotations, ...(d.hostname ? { 'external-dns.alpha.kubernetes.io/hostname': `${d.hostname}.` } : {}) };
  const service = {
    ...(Object.keys(annotations).length ? { annotations } : {}),
    ...(d.serviceType ? { type: d.serviceType } : {}),
    ...(d.nodePorts ? { nodePorts: d.nodePorts } : {}),
  };
  const tls = d.tls && {
    enabled: true,
    ...(d.tls.letsEncrypt
      ? { letsEncrypt: { dnsNames: [d.hostname], enabled: true, ...(d.tls.letsEncrypt === true ? {} : { server: d.tls.letsEncrypt.server }) } }
      : {}),
    ...(d.tls.credentialName ? { credentialName: d.tls.credentialName } : {}),
    ...(d.tls.externalTermination ? { externalTermination: true } : {}),
  };
  return {
    apiVersion: 'smm.cisco.com/v1alpha1',
    kind: 'ControlPlane',
    metadata: { name: CONTROL_PLANE_NAME },
    spec: {
      smm: {
        ...(d.oidc ? { auth: { oidc: oidcSettings(d.oidc) } } : {}),
        exposeDashboard: { meshGateway: { enabled: true, ...(Object.keys(service).length ? { service } : {}), ...(tls ? { tls } : {}) } },
      },
    },
  };
}
