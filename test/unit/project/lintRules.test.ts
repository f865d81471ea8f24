import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { ESLint } from 'eslint';

const REPO = resolve(__dirname, '../../../..');

type RuleEntry = string | number | [string | number, ...unknown[]];

/**
 * The boundary between the domain and the VS Code shell is a lint rule; this proves it applies where it
 * should, by asking ESLint for the configuration it computes for a file on each side.
 */
describe('project lint rules', function () {
  this.timeout(60_000);

  async function rulesFor(file: string): Promise<Record<string, RuleEntry>> {
    const config = (await new ESLint({ cwd: REPO }).calculateConfigForFile(resolve(REPO, file))) as
      { rules?: Record<string, RuleEntry> } | undefined;
    return config?.rules ?? {};
  }

  const level = (entry: RuleEntry | undefined) => (Array.isArray(entry) ? entry[0] : entry);

  it('forbids importing vscode under src/core', async () => {
    const restricted = (await rulesFor('src/core/logger.ts'))['no-restricted-imports'];
    assert.ok(
      level(restricted) === 2 || level(restricted) === 'error',
      'no-restricted-imports is not an error in src/core',
    );
    assert.match(JSON.stringify(restricted), /"name":"vscode"/);
  });

  it('allows it in the shell', async () => {
    const restricted = (await rulesFor('src/extension/log.ts'))['no-restricted-imports'];
    assert.doesNotMatch(JSON.stringify(restricted ?? null), /"name":"vscode"/);
  });

  it('makes floating promises an error everywhere', async () => {
    for (const file of ['src/core/logger.ts', 'src/extension/log.ts', 'src/cli/main.ts']) {
      const entry = (await rulesFor(file))['@typescript-eslint/no-floating-promises'];
      assert.ok(level(entry) === 2 || level(entry) === 'error', `no-floating-promises is not an error in ${file}`);
    }
  });
});
