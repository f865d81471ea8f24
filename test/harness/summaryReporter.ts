import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Mocha from 'mocha';
import type { TestSummary } from './testSummary';

interface SummaryOptions {
  readonly summaryFile?: string;
  readonly suite?: string;
}

/**
 * mocha's spec reporter that also writes a JSON TestSummary when the run ends, to the reporter option
 * `summaryFile` or else $OPENSPEC_LOOP_TEST_SUMMARY (the only channel out of the extension host).
 * `failed` counts failed tests and failed hooks, as mocha's own "failing" does.
 * Exported as the module itself: older mocha (the one @vscode/test-cli runs) loads `--reporter` that way.
 */
class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    const reporterOptions = (options.reporterOptions ?? {}) as SummaryOptions;
    const file = reporterOptions.summaryFile ?? process.env['OPENSPEC_LOOP_TEST_SUMMARY'];
    if (!file) return;
    const suite = reporterOptions.suite ?? process.env['OPENSPEC_LOOP_TEST_SUITE'] ?? 'tests';
    const failures: { title: string; error: string }[] = [];
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (test: Mocha.Runnable, error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      failures.push({ title: test.fullTitle(), error: message.split('\n')[0] ?? '' });
    });
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const stats = runner.stats;
      const summary: TestSummary = {
        suite,
        passed: stats?.passes ?? 0,
        failed: stats?.failures ?? 0,
        pending: stats?.pending ?? 0,
        durationMs: stats?.duration ?? 0,
        failures,
      };
      mkdirSync(dirname(resolve(file)), { recursive: true });
      writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
    });
  }
}

export = SummaryReporter;
