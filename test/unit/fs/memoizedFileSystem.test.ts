import * as assert from 'node:assert/strict';
import { FsError } from '../../../src/core/fs/fileSystem';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { MemoizedFileSystem } from '../../../src/core/fs/memoizedFileSystem';

class CountingFileSystem extends MemoryFileSystem {
  reads = 0;
  listings = 0;
  override async readFile(path: string): Promise<string> {
    this.reads++;
    return super.readFile(path);
  }
  override async readDirectory(path: string) {
    this.listings++;
    return super.readDirectory(path);
  }
}

describe('memoized file system', () => {
  it('reads each file and folder once per run, failures included', async () => {
    const inner = new CountingFileSystem({ '/p/a.md': 'A' });
    const fs = new MemoizedFileSystem(inner);
    assert.equal(await fs.readFile('/p/a.md'), 'A');
    assert.equal(await fs.readFile('/p/a.md'), 'A');
    await assert.rejects(fs.readFile('/p/missing.md'), (error) => FsError.is(error, 'ENOENT'));
    await assert.rejects(fs.readFile('/p/missing.md'), (error) => FsError.is(error, 'ENOENT'));
    await fs.readDirectory('/p');
    await fs.readDirectory('/p');
    assert.deepEqual([inner.reads, inner.listings], [2, 1]);
  });

  it('hands each caller its own listing, so sorting one does not reorder another', async () => {
    const fs = new MemoizedFileSystem(new MemoryFileSystem({ '/p/b': '', '/p/a': '' }));
    const first = await fs.readDirectory('/p');
    first.reverse();
    const second = await fs.readDirectory('/p');
    assert.notDeepEqual(first, second);
    assert.deepEqual(first.reverse(), second);
  });
});
