/** What `seal --target` can seal; its own module so the CLI can list them without loading the sealer. */
export type SealTarget = 'registry' | 'chart-repository' | 'git-repository' | 'oidc';
export const SEAL_TARGETS: readonly SealTarget[] = ['registry', 'chart-repository', 'git-repository', 'oidc'];
