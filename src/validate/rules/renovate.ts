/**
 * renovate/preset-not-extended: Renovate reads the first config file it finds; when that one does not
 * extend the repo's preset, Renovate bumps what calisti-gitops generates (chart, images, vendored
 * chart) in place and never proposes Calisti itself. The user's config is theirs: validate only says so.
 */
import type { Fleet } from '../../model/schema.js';
import { presetRef, RENOVATE_CONFIG_FILES, RENOVATE_PRESET } from '../../render/renovate.js';
import { RepoFs } from '../../repo/fs.js';
import { finding, type Finding } from '../findings.js';

export function renovateFindings(root: string, fleet: Fleet): Finding[] {
  const fs = new RepoFs(root);
  for (const file of RENOVATE_CONFIG_FILES) {
    const text = fs.read(file);
    if (text === undefined) continue;
    // A text check: JSON5 configs are not JSON, and the preset is named the same way in both.
    if (text.includes(RENOVATE_PRESET)) return [];
    return [
      finding(
        'renovate/preset-not-extended',
        `Renovate reads this config, which does not extend ${RENOVATE_PRESET}: it would bump what calisti-gitops generates in place and never propose a Calisti upgrade; add "${presetRef(fleet)}" to its extends`,
        { file },
      ),
    ];
  }
  return [];
}
