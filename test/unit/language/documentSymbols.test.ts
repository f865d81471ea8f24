import * as assert from 'node:assert/strict';
import { documentSymbols, type SpecSymbol } from '../../../src/core/language/documentSymbols';
import { workspaceSymbols } from '../../../src/core/language/workspaceSymbols';
import { authWorkspace, DELTA_A, DELTA_B, MAIN, TASKS } from './languageWorkspace';

/** `kind name` per symbol, children indented: the outline as a reader sees it. */
function outline(symbols: readonly SpecSymbol[], depth = 0): string[] {
  return symbols.flatMap((symbol) => [
    `${'  '.repeat(depth)}${symbol.kind} ${symbol.name}`,
    ...outline(symbol.children, depth + 1),
  ]);
}

describe('document symbols', () => {
  it('outlines a main spec as sections, requirements and scenarios', async () => {
    const symbols = documentSymbols(await authWorkspace(), MAIN);
    assert.ok(symbols);
    assert.deepEqual(outline(symbols), [
      'section Purpose',
      'section Requirements',
      '  requirement Login',
      '    scenario Good password',
      '  requirement Account lockout',
      '    scenario Too many attempts',
      '    scenario Unlock',
    ]);
    const lockout = symbols[1]?.children[1];
    assert.equal(lockout?.detail, '2 scenarios');
    assert.deepEqual(lockout?.range.start, { line: 13, character: 0 });
    assert.deepEqual(lockout?.range.end.line, 22);
    assert.deepEqual(lockout?.selectionRange, {
      start: { line: 13, character: 0 },
      end: { line: 13, character: '### Requirement: Account lockout'.length },
    });
  });

  it('outlines a delta spec by operation, renames included', async () => {
    const workspace = await authWorkspace();
    assert.deepEqual(outline(documentSymbols(workspace, DELTA_A) ?? []), [
      'section MODIFIED Requirements',
      '  requirement Account lockout',
      '    scenario Too many attempts',
      'section ADDED Requirements',
      '  requirement Second factor',
      '    scenario Code',
    ]);
    assert.deepEqual(outline(documentSymbols(workspace, DELTA_B) ?? []), [
      'section RENAMED Requirements',
      '  rename Account lockout → Lockout after failures',
      'section REMOVED Requirements',
      '  requirement Login',
    ]);
  });

  it('outlines tasks.md as groups and tasks', async () => {
    const symbols = documentSymbols(await authWorkspace(), TASKS) ?? [];
    assert.deepEqual(outline(symbols), [
      'taskGroup 1. Backend',
      '  task 1.1 Store the factor',
      '  task 1.2 Check the code',
      'taskGroup 2. Docs',
      '  task 2.1 Write it down',
    ]);
    assert.equal(symbols[0]?.detail, '1/2');
    assert.equal(symbols[0]?.range.end.line, 2);
  });

  it('knows nothing of a file outside the model', async () => {
    const workspace = await authWorkspace();
    assert.equal(documentSymbols(workspace, '/p/openspec/changes/nope/specs/auth/spec.md'), undefined);
    assert.equal(documentSymbols(workspace, '/p/README.md'), undefined);
  });
});

describe('workspace symbols', () => {
  it('finds requirements of main specs and active deltas by a part of the name', async () => {
    const found = workspaceSymbols([await authWorkspace()], 'lockout');
    assert.deepEqual(found.map((symbol) => `${symbol.name} [${symbol.containerName}]`).sort(), [
      'Account lockout [auth · add-mfa (MODIFIED)]',
      'Account lockout [auth]',
      'Lockout after failures [auth · tidy-auth (RENAMED)]',
    ]);
    assert.ok(!found.some((symbol) => symbol.file.includes('/archive/')), 'archived changes are history');
  });

  it('ranks a prefix first, matches letters in order, and stays bounded', async () => {
    const workspace = await authWorkspace();
    assert.equal(workspaceSymbols([workspace], 'lockout')[0]?.name, 'Lockout after failures');
    assert.deepEqual(
      workspaceSymbols([workspace], 'scnd fct').map((symbol) => symbol.name),
      ['Second factor'],
    );
    assert.deepEqual(workspaceSymbols([workspace], 'zzz'), []);
    assert.equal(workspaceSymbols([workspace], '', 2).length, 2);
  });

  it('says which folder each symbol comes from', async () => {
    const found = workspaceSymbols([await authWorkspace(), await authWorkspace()], 'second factor');
    assert.deepEqual(
      found.map((symbol) => symbol.workspaceIndex),
      [0, 1],
    );
  });
});
