/**
 * The name of a generated Application. Argo CD tracks what an Application installs by a label that
 * holds its name, and a label value takes at most 63 characters; a cluster name (an RFC 1123 label)
 * takes 63 as well, so `<prefix>-<cluster>` can be longer. Such a name is cut and ends in a hash of
 * the whole name: stable across runs, distinct for clusters whose names share a long prefix, and a
 * name that fits is left as it is (so Applications are never renamed when another cluster is added).
 */
import { createHash } from 'node:crypto';

/** Argo CD's tracking label value, and so an Application name, is at most this long. */
export const MAX_APPLICATION_NAME = 63;
const HASH_LENGTH = 8;

export function applicationName(prefix: string, cluster: string): string {
  const full = `${prefix}-${cluster}`;
  if (full.length <= MAX_APPLICATION_NAME) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, HASH_LENGTH);
  // The cut may end in "-"; a label ends with a letter or digit, and one "-" joins the hash.
  const head = full.slice(0, MAX_APPLICATION_NAME - HASH_LENGTH - 1).replace(/-+$/, '');
  return `${head}-${hash}`;
}
