/**
 * Errors the CLI turns into messages and exit codes. Only `cli/main.ts` exits the process;
 * everything below throws one of these.
 */

/** A problem with what the user gave us (model, repo state): exit 1. */
export class UserError extends Error {
  readonly exitCode: number = 1;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** Wrong flags or arguments, or a tool we need is missing: exit 2. */
export class UsageError extends Error {
  readonly exitCode: number = 2;
  constructor(message: string, readonly hint?: string) {
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
      'resolve each field by hand (or move it into calisti.yaml, e.g. clusters[].overrides), or run again with --force to take the model\'s version',
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
