/**
 * Preloaded (`node --import`) into a benchmarked CLI process: at exit, writes the process's peak
 * resident set size (KiB) to the file the bench names. Changes nothing else.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.CALISTI_BENCH_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
