/**
 * CI for the generated repo: a GitHub Actions workflow that runs the same checks a reviewer would
 * (validate as SARIF for code scanning, diff as a pull-request comment, validate against the base
 * branch for drift and upgrade paths), and a pre-commit hook definition. Built as objects so the one
 * serializer writes them.
 */
import { toolkitVersion } from '../toolkit.js';
import type { RepoFiles } from './repo-files.js';
import { toYaml } from './yaml.js';

export const WORKFLOW_FILE = '.github/workflows/calisti-gitops.yaml';
export const PRE_COMMIT_HOOKS_FILE = '.pre-commit-hooks.yaml';

// Pinned to the release that wrote the repo, so CI checks with the rules the repo was generated under.
export const TOOL = `npx --yes calisti-gitops@${toolkitVersion}`;

/** The subset of a workflow step we write; steps are non-empty lists, as the workflow schema requires. */
interface Step {
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number>;
  env?: Record<string, string>;
}
type Steps = [Step, ...Step[]];

/**
 * What a run keeps in .git/calisti-gitops by content (kustomize builds, parsed models), carried from
 * run to run: builds whose inputs did not change are not run again. Keyed by content, an older cache
 * can only miss, never mislead; validate prunes the builds to about one tree's size. Never the lock or
 * journal beside them. Each job saves under its own key (one per commit), restoring the newest of either.
 */
const cacheStep = (job: string): Step => ({
  name: 'calisti-gitops cache',
  uses: 'actions/cache@v4',
  with: {
    path: '.git/calisti-gitops/build-cache\n.git/calisti-gitops/models\n',
    key: `calisti-gitops-${job}-\${{ github.sha }}`,
    'restore-keys': 'calisti-gitops-',
  },
});

export function githubWorkflow() {
  return {
    name: 'calisti-gitops',
    on: { pull_request: {}, push: { branches: ['main'] satisfies [string] } },
    permissions: { contents: 'read' as const },
    jobs: {
      validate: {
        'runs-on': 'ubuntu-latest',
        permissions: { contents: 'read' as const, 'security-events': 'write' as const },
        steps: <Steps>[
          { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } },
          { uses: 'actions/setup-node@v4', with: { 'node-version': '20' } },
          cacheStep('validate'),
          // SARIF goes to code scanning even when validate fails, so findings show on the diff.
          { name: 'validate', run: `${TOOL} validate --strict -o sarif > calisti-gitops.sarif` },
          {
            name: 'upload findings',
            if: 'always()',
            uses: 'github/codeql-action/upload-sarif@v3',
            with: { sarif_file: 'calisti-gitops.sarif', category: 'calisti-gitops' },
          },
          {
            name: 'validate against the base branch',
            if: "github.event_name == 'pull_request'",
            run: `${TOOL} validate --base "origin/$BASE_REF"`,
            env: { BASE_REF: '${{ github.base_ref }}' },
          },
        ],
      },
      diff: {
        if: "github.event_name == 'pull_request'",
        'runs-on': 'ubuntu-latest',
        permissions: { contents: 'read' as const, 'pull-requests': 'write' as const },
        steps: <Steps>[
          { uses: 'actions/checkout@v4' },
          { uses: 'actions/setup-node@v4', with: { 'node-version': '20' } },
          cacheStep('diff'),
          // diff exits 1 when generate would change files: that is the comment's content, not a failure.
          { name: 'diff', run: `${TOOL} diff -o markdown > diff.md || [ $? -eq 1 ]` },
          {
            name: 'comment',
            run: 'gh pr comment "$PR" --body-file diff.md --edit-last || gh pr comment "$PR" --body-file diff.md',
            env: { GH_TOKEN: '${{ github.token }}', PR: '${{ github.event.pull_request.number }}' },
          },
        ],
      },
    },
  };
}

/** For the pre-commit framework: `repo: local` users point at this hook. */
export function preCommitHooks() {
  return [
    {
      id: 'calisti-gitops-validate',
      name: 'calisti-gitops validate',
      entry: 'calisti-gitops validate',
      language: 'system',
      pass_filenames: false,
      always_run: true,
    },
  ];
}

/** Opt out with ci.github: false in the model. */
export const ciFiles: RepoFiles = ({ ctx }) =>
  ctx.fleet.ci.github
    ? [
        { path: WORKFLOW_FILE, text: toYaml(githubWorkflow()) },
        { path: PRE_COMMIT_HOOKS_FILE, text: toYaml(preCommitHooks()) },
      ]
    : [];
