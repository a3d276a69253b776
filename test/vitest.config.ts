import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` is the pure cores and fixture tables (no git, no kustomize, well under a
 * minute: `npm run test:unit`); `e2e` runs the CLI against real git repos and the real kustomize.
 * `npm test` runs both.
 */
const UNIT = [
  'test/argocd/gotemplate.test.ts',
  'test/argocd/upstream.test.ts',
  'test/fast-yaml.test.ts',
  'test/validate/argo-models.test.ts',
  'test/cluster/objects.test.ts',
  'test/cli/hints.test.ts',
  'test/cli/colour.test.ts',
  'test/cli/progress.test.ts',
  'test/diff/destructive.test.ts',
  'test/hostile/helm-parameters.test.ts',
  'test/hostile/model.test.ts',
  'test/model/blueprint.test.ts',
  'test/model/edit.test.ts',
  'test/model/json-schema.test.ts',
  'test/model/load.test.ts',
  'test/render/app-name.test.ts',
  'test/render/golden.test.ts',
  'test/render/paths.test.ts',
  'test/render/renovate.test.ts',
  'test/graph/readme-picture.test.ts',
  'test/graph/rings-picture.test.ts',
  'test/repo/merge3.test.ts',
  'test/secrets/crypto.test.ts',
  'test/secrets/layering.test.ts',
  'test/validate/builtin.test.ts',
  'test/validate/inputs.test.ts',
  'test/validate/objects.test.ts',
  'test/validate/istio-schemas.test.ts',
  'test/validate/rules/crd-order.test.ts',
  'test/validate/rules/mesh-rules.test.ts',
  'test/validate/rules/rolling-sync.test.ts',
  'test/upgrade/migrate-plan.test.ts',
  'test/upgrade/rollout.test.ts',
  'test/validate/structural.test.ts',
];

const shared = { testTimeout: 60_000, hookTimeout: 60_000, globalSetup: ['test/setup.ts'] };

export default defineConfig({
  test: {
    projects: [{ test: { ...shared, name: 'unit', include: UNIT } }, { test: { ...shared, name: 'e2e', include: ['test/**/*.test.ts'], exclude: UNIT } }],
  },
});
