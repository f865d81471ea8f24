// @vscode/test-cli configuration (`npx vscode-test`): the integration tests in a real VS Code, with
// test/harness/code (code-server + headless Chromium) in place of a downloaded VS Code.
// Needs `node esbuild.mjs`, `npx tsc -p .` and scripts/code-server/install.sh first.
import { defineConfig } from '@vscode/test-cli';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

// Tests save into the workspace, so every run opens a fresh copy of the fixture (as runIntegration does),
// never the repository's own folder; the copy goes when the run ends.
const scratch = mkdtempSync(join(tmpdir(), 'openspec-loop-workspace-basic-'));
const workspaceFolder = join(scratch, 'basic');
cpSync(here('./test/fixtures/workspaces/basic'), workspaceFolder, { recursive: true });
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/**/*.test.js',
  workspaceFolder,
  useInstallation: { fromPath: here('./test/harness/code') },
  launchArgs: [
    `--user-data-dir=${here('./.vscode-test/user-data')}`,
    `--extensions-dir=${here('./.vscode-test/extensions')}`,
  ],
  mocha: {
    ui: 'bdd',
    timeout: 30000,
    color: false,
    reporter: here('./out/test/harness/summaryReporter.js'),
    reporterOptions: { suite: 'integration', summaryFile: here('./test-results/integration-summary.json') },
  },
});
