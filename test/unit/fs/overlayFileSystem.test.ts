import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { OverlayFileSystem } from '../../../src/core/fs/overlayFileSystem';

describe('overlay file system', () => {
  it('serves unsaved editor text over the disk until the overlay is cleared', async () => {
    const disk = new MemoryFileSystem({ '/p/a.md': 'saved' });
    const fs = new OverlayFileSystem(disk);
    fs.setOverlay('/p/a.md', 'typing');
    assert.equal(await fs.readFile('/p/a.md'), 'typing');
    assert.equal(await disk.readFile('/p/a.md'), 'saved', 'the disk is never written');
    fs.clearOverlay('/p/a.md');
    assert.equal(await fs.readFile('/p/a.md'), 'saved');
  });

  it('lists and stats a file that exists only in an editor', async () => {
    const fs = new OverlayFileSystem(new MemoryFileSystem({ '/p/a.md': '' }));
    fs.setOverlay('/p/new.md', 'draft');
    assert.deepEqual((await fs.readDirectory('/p')).map((entry) => entry.name).sort(), ['a.md', 'new.md']);
    assert.equal(await fs.stat('/p/new.md'), 'file');
  });
});
