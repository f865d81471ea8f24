/**
 * Prints the closing `N passed, N failed` line from TestSummary files (what CI reads):
 *
 *   node out/test/harness/printSummary.js test-results/unit-summary.json test-results/integration-summary.json ...
 *
 * A missing or unreadable file counts as one failure, so a suite that crashed cannot pass silently.
 * Exit code 1 when anything failed.
 */
import { readFileSync } from 'node:fs';
import type { TestSummary } from './testSummary';

function readSummary(file: string): TestSummary | undefined {
  try {
    const summary = JSON.parse(readFileSync(file, 'utf8')) as Partial<TestSummary>;
    if (typeof summary.passed === 'number' && typeof summary.failed === 'number') return summary as TestSummary;
  } catch {
    // Reported below.
  }
  return undefined;
}

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  const summary = readSummary(file);
  if (summary) {
    passed += summary.passed;
    failed += summary.failed;
  } else {
    console.error(`no test summary in ${file}: counted as 1 failed`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
