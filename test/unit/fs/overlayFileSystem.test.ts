import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { OverlayFileSystem, type OpenDocuments } from '../../../src/core/fs/overlayFileSystem';

function editors(open: Map<string, string>): OpenDocuments {
  return { textOf: (file) => open.get(file), paths: () => open.keys() };
}

describe('overlay file system', () => {
  it('serves unsaved editor text over the disk, as it is at the moment of reading', async () => {
    const disk = new MemoryFileSystem({ '/p/a.md': 'saved' });
    const open = new Map([['/p/a.md', 'typing']]);
    const fs = new OverlayFileSystem(disk, editors(open));
    assert.equal(await fs.readFile('/p/a.md'), 'typing');
    open.set('/p/a.md', 'typing more');
    assert.equal(await fs.readFile('/p/a.md'), 'typing more');
    assert.equal(await disk.readFile('/p/a.md'), 'saved', 'the disk is never written');
    open.delete('/p/a.md');
    assert.equal(await fs.readFile('/p/a.md'), 'saved');
  });

  it('lists and stats a file that exists only in an editor', async () => {
    const fs = new OverlayFileSystem(
      new MemoryFileSystem({ '/p/a.md': '' }),
      editors(new Map([['/p/new.md', 'draft']])),
    );
    assert.deepEqual((await fs.readDirectory('/p')).map((entry) => entry.name).sort(), ['a.md', 'new.md']);
    assert.equal(await fs.stat('/p/new.md'), 'file');
  });
});
