import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';

const REPO = resolve(__dirname, '../../../..');

/** The boundary between the domain and the VS Code shell is a lint rule; this proves the rule is alive. */
describe('project lint rules', function () {
  this.timeout(60_000);
  let eslint: ESLint;

  before(() => {
    eslint = new ESLint({ cwd: REPO });
  });

  async function messagesFor(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: resolve(REPO, filePath) });
    return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
  }

  it('refuses a vscode import under src/core', async () => {
    const messages = await messagesFor('src/core/logger.ts', "import * as vscode from 'vscode';\nexport const x = vscode.version;\n");
    assert.ok(messages.some((message) => message.startsWith('no-restricted-imports') && message.includes('src/core must not depend on vscode')), messages.join('\n'));
  });

  it('allows it in the shell', async () => {
    const messages = await messagesFor('src/extension/log.ts', "import * as vscode from 'vscode';\nexport const x = vscode.version;\n");
    assert.ok(!messages.some((message) => message.startsWith('no-restricted-imports')), messages.join('\n'));
  });

  it('refuses a floating promise', async () => {
    const messages = await messagesFor('src/core/logger.ts', 'async function work(): Promise<void> {}\nexport function run(): void {\n  work();\n}\n');
    assert.ok(messages.some((message) => message.startsWith('@typescript-eslint/no-floating-promises')), messages.join('\n'));
  });
});
