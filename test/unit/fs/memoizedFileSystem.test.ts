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

  it('asks the disk again, after forget, for the path, what lies below it and its folder, and for nothing else', async () => {
    const inner = new CountingFileSystem({ '/p/a/x.md': 'X', '/p/a/deep/y.md': 'Y', '/p/b.md': 'B' });
    const fs = new MemoizedFileSystem(inner);
    const readAll = async () => [
      await fs.readFile('/p/a/x.md'),
      await fs.readFile('/p/a/deep/y.md'),
      await fs.readFile('/p/b.md'),
      (await fs.readDirectory('/p')).map((entry) => entry.name).sort(),
      await fs.stat('/p/c.md'),
    ];
    assert.deepEqual(await readAll(), ['X', 'Y', 'B', ['a', 'b.md'], undefined]);
    inner.writeFile('/p/a/x.md', 'X2');
    inner.writeFile('/p/a/deep/y.md', 'Y2');
    inner.writeFile('/p/b.md', 'B2');
    inner.writeFile('/p/c.md', 'C');
    assert.deepEqual(await readAll(), ['X', 'Y', 'B', ['a', 'b.md'], undefined], 'nothing reported: remembered');
    fs.forget('/p/a');
    fs.forget('/p/c.md');
    assert.deepEqual(
      await readAll(),
      ['X2', 'Y2', 'B', ['a', 'b.md', 'c.md'], 'file'],
      'the folder reported and all below it, and the new file with its folder, are read again; b.md is not',
    );
  });
});
