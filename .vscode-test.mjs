// @vscode/test-cli configuration (`npx vscode-test`): the integration tests in a real VS Code, with
// test/harness/code (code-server + headless Chromium) in place of a downloaded VS Code.
// Needs `node esbuild.mjs`, `npx tsc -p .` and scripts/code-server/install.sh first.
import { defineConfig } from '@vscode/test-cli';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  label: 'integration',
  files: 'out/test/integration/**/*.test.js',
  // Opened in place (test-cli cannot copy it first); tests must not change it.
  workspaceFolder: 'test/fixtures/workspaces/basic',
  useInstallation: { fromPath: here('./test/harness/code') },
  launchArgs: [`--user-data-dir=${here('./.vscode-test/user-data')}`, `--extensions-dir=${here('./.vscode-test/extensions')}`],
  mocha: {
    ui: 'bdd',
    timeout: 30000,
    color: false,
    reporter: here('./out/test/harness/summaryReporter.js'),
    reporterOptions: { suite: 'integration', summaryFile: here('./test-results/integration-summary.json') },
  },
});
