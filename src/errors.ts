/**
 * Errors the CLI turns into messages and exit codes. Only `cli/main.ts` exits the process;
 * everything below throws one of these.
 */

/** A problem with what the user gave us (model, repo state): exit 1. */
export class UserError extends Error {
  readonly exitCode: number = 1;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Wrong flags or arguments, or a tool we need is missing: exit 2. */
export class UsageError extends Error {
  readonly exitCode: number = 2;
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One located problem in a YAML file we own (calisti.yaml). */
export interface Located {
  file: string;
  line: number;
  col: number;
  /** Field path as the user writes it: `clusters[1].name`. */
  path: string;
  message: string;
}

export function formatLocated(p: Located): string {
  const where = `${p.file}:${p.line}:${p.col}`;
  return p.path ? `${where} ${p.path}: ${p.message}` : `${where} ${p.message}`;
}

/** Every problem found in a model file, reported together. */
export class ModelError extends UserError {
  constructor(readonly problems: Located[]) {
    super(problems.map(formatLocated).join('\n'), 'fix the fields above in the model, then run the command again');
    this.name = 'ModelError';
  }
}

/** `generate` would overwrite files that were edited by hand. */
export class HandEditError extends UserError {
  constructor(readonly files: string[]) {
    super(
      `hand edits conflict with the model; nothing was written:\n${files.map((f) => `  ${f}`).join('\n')}`,
      "resolve each field by hand (or move it into calisti.yaml, e.g. clusters[].overrides), or take the model's version: calisti-gitops generate --force",
    );
    this.name = 'HandEditError';
  }
}

export function formatFieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** Ends a command with this exit code after it printed its own output (validate's findings). */
export class ExitCode extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = 'ExitCode';
  }
}

const OS_REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  ELOOP: 'too many levels of symlinks (a loop)',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on the system',
  EIO: 'input/output error',
  EBUSY: 'busy',
  ENAMETOOLONG: 'name too long',
  EEXIST: 'already exists',
  ENOTEMPTY: 'folder not empty',
  EXDEV: 'crosses file systems',
};

/** An error from the operating system (fs, spawn), as Node raises them. */
export function isOsError(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && (e as NodeJS.ErrnoException).code! in OS_REASONS;
}

/** "path: what went wrong (CODE)", for messages; never a stack. */
export function osReason(e: unknown): string {
  if (!isOsError(e)) return e instanceof Error ? e.message.split('\n')[0]! : String(e);
  const where = e.path ?? (e as { dest?: string }).dest ?? e.syscall ?? '';
  return `${where ? `${where}: ` : ''}${OS_REASONS[e.code!]} (${e.code})`;
}

/** An OS error as a user error with a next step: the last resort before an internal error. */
export function osError(e: NodeJS.ErrnoException): UserError {
  const where = e.path ?? (e as { dest?: string }).dest ?? 'the path above';
  const hint =
    e.code === 'ENOSPC' || e.code === 'EDQUOT'
      ? 'free disk space, then run the command again: it first finishes or undoes an interrupted run'
      : e.code === 'EROFS'
        ? 'run it on a writable checkout'
        : e.code === 'EACCES' || e.code === 'EPERM'
          ? `check the permissions of ${where}`
          : `check ${where}, then run the command again`;
  return new UserError(osReason(e), hint);
}
