// Sums the per-suite JSON summaries into the closing line CI reads, and sets the exit code. Skipped (pending)
// tests are counted and named too: a test that did not run must show, never vanish from the total.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const folder = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
for (const name of readdirSync(folder)
  .filter((file) => file.endsWith('.json'))
  .sort()) {
  const summary = JSON.parse(readFileSync(join(folder, name), 'utf8'));
  passed += summary.passed;
  failed += summary.failed;
  skipped += summary.pending ?? 0;
  if (summary.failed > 0) console.log(`failed in ${summary.suite}: ${summary.failed}`);
  for (const failure of summary.failures ?? []) console.log(`  ${failure.title}: ${failure.error}`);
  if (summary.pending > 0) console.log(`skipped in ${summary.suite}: ${summary.pending}`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
