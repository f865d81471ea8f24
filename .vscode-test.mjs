// @vscode/test-cli configuration (`npx vscode-test`): the integration tests in a real VS Code, with
// test/harness/code (code-server + headless Chromium) in place of a downloaded VS Code.
// Needs `node esbuild.mjs`, `npx tsc -p .` and scripts/code-server/install.sh first.
import { defineConfig } from '@vscode/test-cli';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import activation from './out/test/harness/activationStandIn.js';
import userSettings from './out/test/harness/userSettings.js';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

// Tests save into the workspace, so every run opens a fresh copy of the fixture (as runIntegration does),
// never the repository's own folder; the copy goes when the run ends.
const scratch = mkdtempSync(join(tmpdir(), 'openspec-loop-workspace-basic-'));
const workspaceFolder = join(scratch, 'basic');
cpSync(here('./test/fixtures/workspaces/basic'), workspaceFolder, { recursive: true });
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

// As runIntegration does: an LM Studio stand-in named in the user settings before VS Code starts, so the tests
// can tell what activation sent it. It lives as long as this process, which waits for the run.
const userDataDir = here('./.vscode-test/user-data');
const lmStudio = await activation.startActivationStandIn(scratch);
userSettings.writeUserSettings(userDataDir, lmStudio.settings);

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/**/*.test.js',
  workspaceFolder,
  useInstallation: { fromPath: here('./test/harness/code') },
  env: lmStudio.env,
  launchArgs: [`--user-data-dir=${userDataDir}`, `--extensions-dir=${here('./.vscode-test/extensions')}`],
  mocha: {
    ui: 'bdd',
    timeout: 30000,
    color: false,
    reporter: here('./out/test/harness/summaryReporter.js'),
    reporterOptions: { suite: 'integration', summaryFile: here('./test-results/integration-summary.json') },
  },
});
