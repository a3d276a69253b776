/** Where the user-wide cache lives (pulled schemas); apart from the catalogue so a warm start reads it cheaply. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** `$CALISTI_GITOPS_CACHE`, else `$XDG_CACHE_HOME/calisti-gitops`, else `~/.cache/calisti-gitops`. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.CALISTI_GITOPS_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'calisti-gitops'));
}

/** Pulled schemas, one folder per catalogue source. */
export const schemaCacheDir = (env?: NodeJS.ProcessEnv) => join(cacheRoot(env), 'schemas');
