// Preloaded into a timed CLI process (`node -r`): on exit, appends its peak resident memory in KiB to the
// file named by BENCH_RSS_FILE, so the bench can compare memory of processes it does not control.
import { appendFileSync } from 'node:fs';

const target = process.env['BENCH_RSS_FILE'];
if (target) process.on('exit', () => appendFileSync(target, `${process.resourceUsage().maxRSS}\n`));
