/**
 * The extensionTestsPath entry: VS Code loads this module inside the extension host and calls run().
 * It runs every compiled out/test/integration/**\/*.test.js with mocha; a rejection marks the run failed.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import SummaryReporter from '../harness/summaryReporter';

function findTestFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.js'))
    .sort()
    .map((file) => join(root, file));
}

/** Runs every test file under `root` as the suite `suite`; shared by the folder and the multi-root runs. */
export async function runTestsIn(root: string, suite: string): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    // The output is relayed through the browser, where color codes would arrive as text.
    color: false,
    timeout: 30_000,
    reporter: SummaryReporter,
    reporterOptions: { suite },
  });
  const grep = process.env['OPENSPEC_LOOP_TEST_GREP'];
  if (grep) mocha.grep(grep);
  for (const file of findTestFiles(root)) mocha.addFile(file);
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} ${suite} test(s) failed`);
}

export function run(): Promise<void> {
  return runTestsIn(__dirname, 'integration');
}
