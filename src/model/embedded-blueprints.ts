/**
 * Blueprints parsed ahead of time: the bundle (scripts/bundle.mjs) replaces this module with every
 * file under blueprints/ parsed and checked, keyed by file name with the digest of its bytes, so a
 * run does not parse them again (~15 ms). blueprint.ts takes one only while the file's bytes still
 * have that digest. Run from tsc's output it is empty and every file is parsed.
 */
export const embeddedBlueprints: Record<string, { digest: string; blueprint: unknown }> = {};
