/**
 * Every `next:` hint and every command the code tells a user to run names a command and flags that
 * exist: the source is searched for `calisti-gitops <command> --flags` and each is checked against
 * the real command line definition.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { toolkitRoot } from '../../src/toolkit.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') || e.name.endsWith('.hbs') ? [join(dir, e.name)] : [],
  );
}

/** `calisti-gitops a b --x --y` mentions, with the command words and the long flags after them. */
export function mentions(text: string): { words: string[]; flags: string[]; text: string }[] {
  const out: { words: string[]; flags: string[]; text: string }[] = [];
  for (const m of text.matchAll(/calisti-gitops((?: [a-z][a-z-]*)+)((?:(?!calisti-gitops)[^`'"\n;),])*)/g)) {
    const words = m[1]!.trim().split(' ');
    out.push({ words, flags: [...m[2]!.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((f) => f[1]!), text: m[0] });
  }
  return out;
}

function find(program: Command, words: string[]): { cmd: Command; rest: string[] } {
  let cmd = program;
  let i = 0;
  for (; i < words.length; i++) {
    const sub = cmd.commands.find((c) => c.name() === words[i]);
    if (!sub) break;
    cmd = sub;
  }
  return { cmd, rest: words.slice(i) };
}

describe('hints', () => {
  const program = buildProgram({ out: () => undefined, err: () => undefined });
  const all = sources(join(toolkitRoot, 'src')).flatMap((f) => mentions(readFileSync(f, 'utf8')).map((m) => ({ ...m, file: f.slice(toolkitRoot.length + 1) })));

  it('are found in the source', () => {
    expect(all.length).toBeGreaterThan(20);
  });

  it('name commands and flags that exist', () => {
    const bad: string[] = [];
    for (const m of all) {
      const { cmd, rest } = find(program, m.words);
      if (cmd === program) {
        // Prose ("a calisti-gitops repo") names no command; a mention with flags must.
        if (m.flags.length) bad.push(`${m.file}: "${m.text}": no command ${m.words[0]}`);
        continue;
      }
      // Words after the command are its arguments (a cluster name, "init <dir>"), never a subcommand.
      if (cmd.commands.length && rest.length) bad.push(`${m.file}: "${m.text}": no subcommand ${rest[0]} of ${cmd.name()}`);
      // `--no-x` alone does not make `--x` an option: commander refuses it.
      const flags = new Set(cmd.options.map((o) => o.long?.replace(/^--/, '')).filter(Boolean));
      for (const f of m.flags)
        if (!flags.has(f) && f !== 'help' && !(f.startsWith('no-') && flags.has(f.slice(3)))) bad.push(`${m.file}: "${m.text}": ${cmd.name()} has no --${f}`);
    }
    expect(bad).toEqual([]);
  });
});
