import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { RootSelectionError, resolveOpenSpecRoot, toRootOutput } from '../../../src/core/validation/projectRoot';

describe('project root', () => {
  it('finds the nearest ancestor with a planning-shaped openspec folder', async () => {
    const fs = new MemoryFileSystem({ '/repo/openspec/specs/a/spec.md': '', '/repo/src/deep/file.ts': '' });
    const root = await resolveOpenSpecRoot(fs, '/repo/src/deep');
    assert.equal(root.path, '/repo');
    assert.equal(root.changesDir, '/repo/openspec/changes');
    assert.deepEqual(toRootOutput(root), { path: '/repo', source: 'nearest' });
  });

  it('skips an openspec folder with neither planning folders nor config', async () => {
    const fs = new MemoryFileSystem({
      '/home/openspec/notes/x.md': '',
      '/home/repo/openspec/config.yaml': 'schema: spec-driven\n',
    });
    fs.mkdir('/home/repo/work');
    assert.equal((await resolveOpenSpecRoot(fs, '/home/repo/work')).path, '/home/repo');
    fs.mkdir('/home/other');
    const implicit = await resolveOpenSpecRoot(fs, '/home/other');
    assert.deepEqual(toRootOutput(implicit), { path: '/home/other', source: 'implicit' });
  });

  it('refuses an implicit root for bulk runs with the CLI diagnostic', async () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/x');
    await assert.rejects(resolveOpenSpecRoot(fs, '/x', { allowImplicitRoot: false }), (error: unknown) => {
      assert.ok(error instanceof RootSelectionError);
      assert.deepEqual(error.diagnostic, {
        severity: 'error',
        code: 'no_openspec_root',
        message: 'No OpenSpec root found from the current directory.',
        target: 'openspec.root',
        fix: 'Run openspec init to create a root here.',
      });
      return true;
    });
  });

  it('warns about a store declaration in a real root and rejects a config-only pointer', async () => {
    const fs = new MemoryFileSystem({
      '/r/openspec/config.yaml': 'store: team\n',
      '/r/openspec/changes/a/tasks.md': '',
    });
    const warnings: string[] = [];
    assert.equal((await resolveOpenSpecRoot(fs, '/r', { warn: (m) => warnings.push(m) })).path, '/r');
    assert.equal(warnings.length, 1);
    fs.delete('/r/openspec/changes');
    await assert.rejects(
      resolveOpenSpecRoot(fs, '/r'),
      (error: unknown) => error instanceof RootSelectionError && error.diagnostic.code === 'no_registered_stores',
    );
  });
});
