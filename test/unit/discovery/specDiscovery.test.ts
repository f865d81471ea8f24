import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { FsError } from '../../../src/core/fs/fileSystem';
import { discoverSpecFiles, findUnreadDeltaFiles, hasAnyFileUnder } from '../../../src/core/validation/specDiscovery';

describe('spec discovery', () => {
  it('finds flat and nested capabilities sorted by code point, skipping a root spec.md and dot folders', async () => {
    const fs = new MemoryFileSystem({
      '/p/specs/spec.md': '# root',
      '/p/specs/b/spec.md': '',
      '/p/specs/audit/log/spec.md': '',
      '/p/specs/Zeta/spec.md': '',
      '/p/specs/.hidden/spec.md': '',
      '/p/specs/a/notes.md': '',
    });
    assert.deepEqual(await discoverSpecFiles(fs, '/p/specs'), [
      { id: 'Zeta', specFile: '/p/specs/Zeta/spec.md' },
      { id: 'audit/log', specFile: '/p/specs/audit/log/spec.md' },
      { id: 'b', specFile: '/p/specs/b/spec.md' },
    ]);
  });

  it('gives the thread back before each folder it lists, when given a pause, and finds the same specs', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`/p/specs/cap-${String(i).padStart(2, '0')}/spec.md`] = '';
    const fs = new MemoryFileSystem(files);
    const listed: string[] = [];
    const counting = new (class extends MemoryFileSystem {
      override readDirectory(dir: string) {
        listed.push(dir);
        return super.readDirectory(dir);
      }
    })(files);
    let pauses = 0;
    const found = await discoverSpecFiles(counting, '/p/specs', async () => {
      pauses++;
    });
    assert.equal(pauses, 31, 'the root and its 30 capability folders');
    assert.equal(listed.length, 31);
    assert.deepEqual(found, await discoverSpecFiles(fs, '/p/specs'));
  });

  it('returns nothing for a missing root and rejects when the root is a file', async () => {
    const fs = new MemoryFileSystem({ '/p/file': 'x' });
    assert.deepEqual(await discoverSpecFiles(fs, '/p/specs'), []);
    await assert.rejects(discoverSpecFiles(fs, '/p/file'), (error) => FsError.is(error, 'ENOTDIR'));
  });

  it('lists Markdown files with delta sections that are not a capability spec.md', async () => {
    const delta = '## ADDED Requirements\n### Requirement: X\n';
    const fs = new MemoryFileSystem({
      '/c/specs/auth.md': delta,
      '/c/specs/auth/delta.md': delta,
      '/c/specs/auth/spec.md': delta,
      '/c/specs/notes.md': '# just notes\n',
      '/c/specs/fenced.md': '```\n## ADDED Requirements\n```\n',
      '/c/specs/lower.MD': '## removed requirements\n',
    });
    assert.deepEqual(await findUnreadDeltaFiles(fs, '/c/specs'), [
      { path: 'auth.md', expected: 'auth/spec.md' },
      { path: 'auth/delta.md', expected: 'auth/spec.md' },
      { path: 'lower.MD', expected: 'lower/spec.md' },
    ]);
    assert.deepEqual(await findUnreadDeltaFiles(fs, '/c/missing'), []);
  });

  it('hasAnyFileUnder ignores dot entries and empty folders', async () => {
    const fs = new MemoryFileSystem({ '/c/specs/.gitkeep': '', '/c/specs/a/.DS_Store': '' });
    fs.mkdir('/c/specs/empty/deeper');
    assert.equal(await hasAnyFileUnder(fs, '/c/specs'), false);
    assert.equal(await hasAnyFileUnder(fs, '/c/none'), false);
    fs.writeFile('/c/specs/empty/deeper/x.txt', '');
    assert.equal(await hasAnyFileUnder(fs, '/c/specs'), true);
  });
});
