/** The toolkit's Kustomize Components (overlays/), copied byte for byte into generated repos. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { overlaysDir } from '../toolkit.js';

const cache = new Map<string, Map<string, string>>();

/** The files of one component: file name -> content. */
export function componentFiles(app: string, feature: string): Map<string, string> {
  const key = `${app}/${feature}`;
  let files = cache.get(key);
  if (!files) {
    const dir = join(overlaysDir, app, feature);
    files = new Map(
      readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
    );
    cache.set(key, files);
  }
  return files;
}
