/** A floor for the bench: read and parse every YAML file of a repo once, nothing else. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

let docs = 0;
const walk = (dir: string): void => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.ya?ml$/.test(e.name)) docs += parseAllDocuments(readFileSync(p, 'utf8')).length;
  }
};
walk(process.argv[2]!);
process.stdout.write(`${docs}\n`);
