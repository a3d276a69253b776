/**
 * The command line. The only place that exits: commands throw UserError (exit 1) or UsageError
 * (exit 2), and this file turns them into a message with the next step to take.
 */
import { painter } from './colour.js';
import { captureNotices } from '../notices.js';
import { Command, CommanderError, Help, type Option } from 'commander';
import { ExitCode, HandEditError, isOsError, ModelError, osError, UsageError, UserError } from '../errors.js';
import { toolkitVersion } from '../toolkit.js';
import { registerGenerate } from './generate.js';
import { registerClusters } from './clusters.js';
import { registerAppset } from './appset.js';
import { registerSeal } from './seal.js';
import { registerUpgrade } from './upgrade.js';
import { registerValidate } from './validate.js';
import { registerGraph } from './graph.js';
import { registerSchemas } from './schemas.js';
import { processIo, type Io } from './output.js';

/** --help marks the options a command cannot run without. */
const markRequired = {
  optionDescription(this: Help, o: Option): string {
    const d = Help.prototype.optionDescription.call(this, o);
    return o.mandatory ? `(required) ${d}` : d;
  },
};

/** `env` is where credentials come from (seal); tests pass their own. */
export function buildProgram(io: Io, env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command('calisti-gitops')
    .description('One typed model of a Calisti Service Mesh Manager fleet in, the GitOps repo Argo CD consumes out.')
    .version(toolkitVersion, '-V, --version')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerGenerate(program, io);
  registerValidate(program, io);
  registerUpgrade(program, io);
  registerSeal(program, io, env);
  registerClusters(program, io);
  registerAppset(program, io);
  registerGraph(program, io);
  registerSchemas(program, io);
  const configure = (c: Command): void => {
    c.configureHelp(markRequired);
    c.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    c.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}

/** `-o json`, `--output json`, `-ojson` or `--output=json` anywhere on the command line. */
function wantsJson(argv: string[]): boolean {
  return argv.some((a, i) => ((a === '-o' || a === '--output') && argv[i + 1] === 'json') || a === '-ojson' || a === '--output=json');
}

/** The located problems an error carries (a model's fields, hand-edited files), for JSON. */
function errorFindings(e: UserError | UsageError): { findings?: unknown[] } {
  if (e instanceof ModelError) return { findings: e.problems };
  if (e instanceof HandEditError) return { findings: e.files.map((f) => ({ file: f })) };
  return {};
}

/** Runs the CLI and returns the exit code. */
export async function run(argv: string[], io: Io = processIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const release = captureNotices((m) => io.err(`note: ${m}`));
  try {
    await buildProgram(io, env).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof ExitCode) return e.exitCode;
    // The operating system said no (full disk, permissions, read-only): a message, not a stack.
    if (isOsError(e)) e = osError(e);
    if (e instanceof UserError || e instanceof UsageError) {
      // Bots asked for JSON: the error is JSON on stdout too, with the same exit code.
      if (wantsJson(argv)) io.out(JSON.stringify({ error: { message: e.message, ...(e.hint ? { hint: e.hint } : {}), ...errorFindings(e) } }, null, 2));
      io.err(`${painter()('red', 'error')}: ${e.message}`);
      if (e.hint) io.err(`next: ${e.hint}`);
      return e.exitCode;
    }
    io.err(`internal error: ${(e as Error).stack ?? String(e)}`);
    return 70;
  } finally {
    release();
  }
}
