import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentBase, type FileChange, type FileWriter } from '../../../src/core/fs/fileWriter';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { MemoryFileWriter } from '../../../src/core/fs/memoryFileWriter';
import { toPosix } from '../../../src/node/nodeFileSystem';
import { NodeFileWriter } from '../../../src/node/nodeFileWriter';
import { fileTree } from '../../harness/fileTree';

describe('FileWriter.applyAll on disk: every change or none', () => {
  let dir: string;
  const at = (...parts: string[]) => toPosix(join(dir, ...parts));
  const write = (relative: string, text: string) => {
    mkdirSync(join(dir, relative, '..'), { recursive: true });
    writeFileSync(join(dir, relative), text);
  };
  const writer: FileWriter = new NodeFileWriter();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'file-batch-'));
    write('specs/a/spec.md', 'a before\n');
    write('changes/x/proposal.md', 'why\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const archiveLike = (): FileChange[] => [
    { kind: 'replace', file: at('specs/a/spec.md'), base: documentBase('a before\n'), text: 'a after\n' },
    { kind: 'create', file: at('specs/b/spec.md'), text: 'b new\n' },
    { kind: 'move', from: at('changes/x'), to: at('changes/archive/2026-12-02-x') },
  ];

  it('rewrites, creates and moves in one call', async () => {
    assert.deepEqual(await writer.applyAll(archiveLike()), { kind: 'written' });
    assert.equal(readFileSync(join(dir, 'specs/a/spec.md'), 'utf8'), 'a after\n');
    assert.equal(readFileSync(join(dir, 'specs/b/spec.md'), 'utf8'), 'b new\n');
    assert.equal(readFileSync(join(dir, 'changes/archive/2026-12-02-x/proposal.md'), 'utf8'), 'why\n');
    assert.equal(existsSync(join(dir, 'changes/x')), false);
  });

  it('writes nothing when a file changed since it was read, and names that change', async () => {
    write('specs/a/spec.md', 'edited by the user\n');
    const before = fileTree(dir, { folders: true });
    assert.deepEqual(await writer.applyAll(archiveLike()), { kind: 'failed', index: 0, outcome: { kind: 'stale' } });
    assert.deepEqual(fileTree(dir, { folders: true }), before);
  });

  it('writes nothing when the move target exists', async () => {
    write('changes/archive/2026-12-02-x/proposal.md', 'an earlier archive\n');
    const before = fileTree(dir, { folders: true });
    assert.deepEqual(await writer.applyAll(archiveLike()), { kind: 'failed', index: 2, outcome: { kind: 'exists' } });
    assert.deepEqual(fileTree(dir, { folders: true }), before);
  });

  it('rolls back the changes made when a later one fails while writing', async () => {
    // A file where the move needs a folder: the check passes (nothing at the target), the rename then fails.
    write('changes/archive', 'not a folder\n');
    const before = fileTree(dir, { folders: true });
    const outcome = await writer.applyAll(archiveLike());
    assert.equal(outcome.kind, 'failed');
    assert.equal(outcome.kind === 'failed' && outcome.index, 2);
    assert.equal(outcome.kind === 'failed' && outcome.outcome.kind, 'refused');
    assert.deepEqual(
      fileTree(dir, { folders: true }),
      before,
      'the rewritten spec is restored and the created one is gone, folder too',
    );
  });

  it('deletes a file only while it holds the text read', async () => {
    const remove: FileChange = { kind: 'delete', file: at('specs/a/spec.md'), base: documentBase('other\n') };
    assert.equal((await writer.applyAll([remove])).kind, 'failed');
    assert.equal(existsSync(join(dir, 'specs/a/spec.md')), true);
    const exact: FileChange = { ...remove, base: documentBase('a before\n') };
    assert.deepEqual(await writer.applyAll([exact]), { kind: 'written' });
    assert.equal(existsSync(join(dir, 'specs/a/spec.md')), false);
  });

  it('deletes the folders a deletion leaves empty, up to the one named, and no further', async () => {
    write('specs/tags/nested/spec.md', 'tags\n');
    const remove: FileChange = {
      kind: 'delete',
      file: at('specs/tags/nested/spec.md'),
      base: documentBase('tags\n'),
      pruneUpTo: at('specs'),
    };
    assert.deepEqual(await writer.applyAll([remove]), { kind: 'written' });
    assert.equal(existsSync(join(dir, 'specs/tags')), false);
    assert.equal(existsSync(join(dir, 'specs/a/spec.md')), true);
  });

  it('refuses a batch leading outside the folder the writer is confined to, writing nothing', async () => {
    const confined = new NodeFileWriter({ within: at('specs') });
    const before = fileTree(dir, { folders: true });
    const outcome = await confined.applyAll(archiveLike());
    assert.equal(outcome.kind === 'failed' && outcome.outcome.kind, 'refused');
    assert.deepEqual(fileTree(dir, { folders: true }), before);
  });
});

describe('FileWriter.applyAll in memory', () => {
  it('has the outcomes of the disk writer', async () => {
    const fs = new MemoryFileSystem({ '/p/specs/a/spec.md': 'a\n', '/p/changes/x/tasks.md': '- [x] t\n' });
    const writer = new MemoryFileWriter(fs);
    const stale = await writer.applyAll([
      { kind: 'move', from: '/p/changes/x', to: '/p/changes/archive/x' },
      { kind: 'replace', file: '/p/specs/a/spec.md', base: documentBase('old\n'), text: 'b\n' },
    ]);
    assert.deepEqual(stale, { kind: 'failed', index: 1, outcome: { kind: 'stale' } });
    assert.equal(await fs.readFile('/p/changes/x/tasks.md'), '- [x] t\n');
    const written = await writer.applyAll([
      { kind: 'move', from: '/p/changes/x', to: '/p/changes/archive/x' },
      { kind: 'replace', file: '/p/specs/a/spec.md', base: documentBase('a\n'), text: 'b\n' },
    ]);
    assert.deepEqual(written, { kind: 'written' });
    assert.equal(await fs.readFile('/p/changes/archive/x/tasks.md'), '- [x] t\n');
    assert.equal(await fs.readFile('/p/specs/a/spec.md'), 'b\n');
  });
});
