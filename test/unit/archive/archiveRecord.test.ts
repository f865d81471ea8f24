import * as assert from 'node:assert/strict';
import { planRestore, recordOfArchive, type ArchiveRecord } from '../../../src/core/archive/archiveRecord';
import { describeArchive } from '../../../src/core/archive/archiveSummary';
import type { ArchivePlan } from '../../../src/core/archive/archiveTypes';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { MemoryFileWriter } from '../../../src/core/fs/memoryFileWriter';

const OPENSPEC = '/p/openspec';
const ARCHIVED_AS = '2026-12-01-add-note-tags';
const changeDir = `${OPENSPEC}/changes/add-note-tags`;
const archivePath = `${OPENSPEC}/changes/archive/${ARCHIVED_AS}`;
const notes = `${OPENSPEC}/specs/notes/spec.md`;
const tags = `${OPENSPEC}/specs/tags/spec.md`;

const plan: ArchivePlan = {
  change: 'add-note-tags',
  changeDir,
  archivedAs: ARCHIVED_AS,
  archivePath,
  specsUpdated: true,
  totals: { added: 1, modified: 1, removed: 0, renamed: 0 },
  warnings: [],
  tasks: { completed: 2, total: 2 },
  specs: [
    {
      capability: 'notes',
      file: notes,
      before: 'notes before\n',
      after: 'notes after\n',
      counts: { added: 0, modified: 1, removed: 0, renamed: 0 },
    },
    {
      capability: 'tags',
      file: tags,
      before: undefined,
      after: 'tags created\n',
      counts: { added: 1, modified: 0, removed: 0, renamed: 0 },
    },
  ],
};
const record: ArchiveRecord = recordOfArchive(plan);
const archived = {
  archivedAs: ARCHIVED_AS,
  archivePath,
  changeDir,
  mainSpecs: [
    { capability: 'notes', file: notes },
    { capability: 'tags', file: tags },
  ],
};

/** The project as the archive left it. */
function archivedProject(): MemoryFileSystem {
  return new MemoryFileSystem({
    [notes]: 'notes after\n',
    [tags]: 'tags created\n',
    [`${archivePath}/tasks.md`]: '- [x] done\n',
  });
}

describe('restoring an archived change', () => {
  it('says in one sentence what the archive does', () => {
    assert.equal(
      describeArchive(plan),
      `Archive add-note-tags: creates 1 and updates 1 spec (1 added, 1 modified requirement) and moves it to archive/${ARCHIVED_AS}`,
    );
    assert.equal(
      describeArchive({ ...plan, specs: [], totals: undefined }),
      `Archive add-note-tags: leaves the main specs as they are and moves it to archive/${ARCHIVED_AS}`,
    );
  });

  it('puts back every spec that still holds what the archive wrote, and deletes the one it created', async () => {
    const fs = archivedProject();
    const planning = await planRestore(fs, archived, record);
    assert.ok(planning.ok);
    assert.deepEqual(planning.plan.reverted, ['notes', 'tags']);
    assert.deepEqual(planning.plan.needsLook, []);
    assert.deepEqual(await new MemoryFileWriter(fs).applyAll(planning.plan.changes), { kind: 'written' });
    assert.equal(await fs.readFile(notes), 'notes before\n');
    assert.equal(await fs.stat(tags), undefined);
    assert.equal(await fs.stat(`${OPENSPEC}/specs/tags`), undefined, 'the folder the archive created goes too');
    assert.equal(await fs.readFile(`${changeDir}/tasks.md`), '- [x] done\n');
  });

  it('leaves a spec edited since the archive as it is, and names it', async () => {
    const fs = archivedProject();
    fs.writeFile(notes, 'notes after\nand a later edit\n');
    const planning = await planRestore(fs, archived, record);
    assert.ok(planning.ok);
    assert.deepEqual(planning.plan.reverted, ['tags']);
    assert.deepEqual(planning.plan.needsLook, [
      { capability: 'notes', file: notes, why: 'it changed since the archive' },
    ]);
    await new MemoryFileWriter(fs).applyAll(planning.plan.changes);
    assert.equal(await fs.readFile(notes), 'notes after\nand a later edit\n');
  });

  it('moves only the folder back when nothing recorded the archive (one made by openspec archive)', async () => {
    const fs = archivedProject();
    const planning = await planRestore(fs, archived, undefined);
    assert.ok(planning.ok);
    assert.deepEqual(planning.plan.reverted, []);
    assert.deepEqual(
      planning.plan.needsLook.map((spec) => spec.capability),
      ['notes', 'tags'],
    );
    assert.deepEqual(planning.plan.changes, [{ kind: 'move', from: archivePath, to: changeDir }]);
  });

  it('refuses while a change of the same name is active, and when the archived folder is gone', async () => {
    const fs = archivedProject();
    fs.writeFile(`${changeDir}/proposal.md`, '## Why\n');
    const active = await planRestore(fs, archived, record);
    assert.equal(active.ok, false);
    assert.match(!active.ok ? active.reason : '', /A change named 'add-note-tags' is active/);
    const gone = await planRestore(new MemoryFileSystem({ [notes]: 'x\n' }), archived, record);
    assert.match(!gone.ok ? gone.reason : '', /no longer in the archive/);
  });
});
