/**
 * Runs the integration tests (test/integration) in a real VS Code: @vscode/test-electron's runTests, unchanged,
 * with test/harness/code standing in for the VS Code executable. Needs `node esbuild.mjs`, `npx tsc -p .`
 * and scripts/code-server/install.sh first.
 *
 *   node out/test/harness/runIntegration.js [--multiroot] [--grep <pattern>]
 *
 * The default run opens a copy of the `basic` fixture as a folder and runs test/integration; `--multiroot` opens
 * a copy of the `multiroot` fixture as the multi-root workspace its `.code-workspace` file describes and runs
 * test/integration-multiroot. Always leaves a TestSummary JSON in test-results/<suite>-summary.json (or
 * $OPENSPEC_LOOP_TEST_SUMMARY), with failed: 1 when the run broke before mocha could report; exit code 0 only
 * when every test passed.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { startActivationStandIn } from './activationStandIn';
import { copyFixtureWorkspace, REPO_ROOT, TEST_RESULTS_DIR } from './repoPaths';
import { writeUserSettings } from './userSettings';
import type { TestSummary } from './testSummary';

/** What a run opens and which tests it runs. */
const RUNS = {
  folder: { fixture: 'basic', workspaceFile: undefined, tests: 'integration' },
  multiroot: { fixture: 'multiroot', workspaceFile: 'multiroot.code-workspace', tests: 'integration-multiroot' },
} as const;
const run = process.argv.includes('--multiroot') ? RUNS.multiroot : RUNS.folder;
const testsEntry = join(REPO_ROOT, 'out', 'test', run.tests, 'index.js');
const summaryFile = resolve(
  process.env['OPENSPEC_LOOP_TEST_SUMMARY'] ?? join(TEST_RESULTS_DIR, `${run.tests}-summary.json`),
);

function grepArgument(argv: readonly string[]): string | undefined {
  const index = argv.indexOf('--grep');
  return index === -1 ? undefined : argv[index + 1];
}

async function main(): Promise<number> {
  for (const required of [
    join(REPO_ROOT, 'dist', 'extension.js'),
    join(REPO_ROOT, 'dist', 'extension-main.js'),
    testsEntry,
  ]) {
    if (!existsSync(required))
      throw new Error(`${required} is missing: run \`node esbuild.mjs && npx tsc -p .\` first`);
  }
  rmSync(summaryFile, { force: true });
  // A copy, so tests may change the workspace; a fresh profile, so no state leaks between runs.
  const workspace = copyFixtureWorkspace(run.fixture);
  const profile = mkdtempSync(join(tmpdir(), 'openspec-loop-integration-'));
  const grep = grepArgument(process.argv.slice(2));
  // Running, and named in the user settings, before VS Code starts: what activation sends it is on record.
  const lmStudio = await startActivationStandIn(profile);
  writeUserSettings(join(profile, 'user-data'), lmStudio.settings);
  try {
    await runTests({
      vscodeExecutablePath: join(REPO_ROOT, 'test', 'harness', 'code'),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: testsEntry,
      launchArgs: [
        run.workspaceFile === undefined ? workspace.path : join(workspace.path, run.workspaceFile),
        `--user-data-dir=${join(profile, 'user-data')}`,
        `--extensions-dir=${join(profile, 'extensions')}`,
      ],
      extensionTestsEnv: {
        ...lmStudio.env,
        OPENSPEC_LOOP_TEST_SUMMARY: summaryFile,
        ...(grep === undefined ? {} : { OPENSPEC_LOOP_TEST_GREP: grep }),
      },
    });
    return 0;
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    return 1;
  } finally {
    await lmStudio.close();
    workspace.dispose();
    rmSync(profile, { recursive: true, force: true });
  }
}

function ensureSummary(error?: unknown): void {
  if (existsSync(summaryFile)) return;
  const summary: TestSummary & { error: string } = {
    suite: run.tests,
    passed: 0,
    failed: 1,
    pending: 0,
    durationMs: 0,
    error: error instanceof Error ? error.message : 'the extension host reported no test results',
  };
  mkdirSync(dirname(summaryFile), { recursive: true });
  writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
}

main()
  .then((code) => {
    ensureSummary();
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    ensureSummary(error);
    process.exitCode = 1;
  });
