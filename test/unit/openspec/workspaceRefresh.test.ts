import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import type { TasksDocument } from '../../../src/core/openspec/model';
import { WorkspaceModel } from '../../../src/core/openspec/workspaceModel';

const SPEC =
  '# notes\n\n## Purpose\nNotes.\n\n## Requirements\n### Requirement: Create\nThe system SHALL create notes.\n\n#### Scenario: Create\n- **WHEN** asked\n- **THEN** created\n';

describe('WorkspaceModel full refresh', () => {
  it('shows every file as it is now, re-parsing only what changed', async () => {
    const fs = new MemoryFileSystem({
      '/p/openspec/specs/notes/spec.md': SPEC,
      '/p/openspec/changes/a/tasks.md': '- [ ] 1.1 First\n',
      '/p/openspec/changes/b/tasks.md': '- [ ] 1.1 Other\n',
    });
    const model = await WorkspaceModel.load(fs, '/p');
    assert.ok(model);
    const before = model.workspace;
    fs.writeFile('/p/openspec/changes/a/tasks.md', '- [x] 1.1 First\n- [ ] 1.2 Second\n');
    fs.delete('/p/openspec/changes/b');
    fs.writeFile('/p/openspec/changes/c/tasks.md', '- [ ] 1.1 New\n');

    await model.refresh();
    const after = model.workspace;
    assert.deepEqual(
      after.changes.map((change) => `${change.id} ${change.tasks?.completed}/${change.tasks?.total}`),
      ['a 1/2', 'c 0/1'],
    );
    assert.equal(after.specs[0], before.specs[0], 'the unchanged spec kept its parsed document');
    assert.notEqual(after.changes[0]?.tasks, before.changes[0]?.tasks);

    // A file that comes back with its old text after being deleted is parsed from that text, not a stale entry.
    fs.writeFile('/p/openspec/changes/b/tasks.md', '- [x] 1.1 Other\n');
    await model.refresh();
    assert.equal(model.workspace.changes.find((change) => change.id === 'b')?.tasks?.completed, 1);
  });
  it('keeps a keystroke that arrives while a refresh reads the disk', async () => {
    const fs = new MemoryFileSystem({
      '/p/openspec/changes/a/tasks.md': '- [ ] 1.1 First\n',
      '/p/openspec/specs/notes/spec.md': SPEC,
    });
    const model = await WorkspaceModel.load(fs, '/p');
    assert.ok(model);
    // The refresh's reads wait until the keystrokes below have landed, as a slow disk makes them.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const readFile = fs.readFile.bind(fs);
    fs.readFile = async (path: string) => {
      await gate;
      return readFile(path);
    };
    for (const scope of [undefined, '/p/openspec/changes/a/tasks.md']) {
      const refreshing = model.refresh(scope);
      const typed = `- [x] 1.1 First\n- [ ] 1.2 Typed ${scope ?? 'during a full refresh'}\n`;
      assert.ok(model.updateDocument('/p/openspec/changes/a/tasks.md', typed));
      model.updateDocument('/p/openspec/specs/notes/spec.md', SPEC.replace('create notes', 'create and keep notes'));
      release();
      await refreshing;
      const tasks: TasksDocument | undefined = model.workspace.changes.find((change) => change.id === 'a')?.tasks;
      assert.equal(tasks?.text, typed, 'the unsaved text typed during the refresh is kept');
      assert.match(model.workspace.specs[0]?.requirements[0]?.body ?? '', /create and keep notes/);
    }
  });
});

describe('WorkspaceModel full refresh: what it reports as changed', () => {
  const project = () =>
    new MemoryFileSystem({
      '/p/openspec/config.yaml': 'schema: spec-driven\n',
      '/p/openspec/specs/notes/spec.md': SPEC,
      '/p/openspec/specs/tags/spec.md': SPEC.replace('# notes', '# tags'),
      '/p/openspec/changes/a/tasks.md': '- [ ] 1.1 First\n',
      '/p/openspec/changes/b/tasks.md': '- [ ] 1.1 Other\n',
      '/p/openspec/changes/archive/2026-01-01-old/tasks.md': '- [x] 1.1 Done\n',
    });

  it('reports nothing when nothing on disk moved, so no view redraws and nothing revalidates', async () => {
    const model = await WorkspaceModel.load(project(), '/p');
    assert.ok(model);
    assert.deepEqual(await model.refresh(), { changes: [], specs: [], archive: false, config: false });
  });

  it('names just the change and the spec whose files changed, and the ones that came or went', async () => {
    const fs = project();
    const model = await WorkspaceModel.load(fs, '/p');
    assert.ok(model);
    fs.writeFile('/p/openspec/changes/a/tasks.md', '- [x] 1.1 First\n');
    fs.writeFile('/p/openspec/specs/tags/spec.md', SPEC.replace('# notes', '# tags').replace('create notes', 'tag'));
    fs.delete('/p/openspec/changes/b');
    fs.writeFile('/p/openspec/changes/c/proposal.md', '## Why\nNew.\n');
    assert.deepEqual(await model.refresh(), {
      changes: ['a', 'b', 'c'],
      specs: ['tags'],
      archive: false,
      config: false,
    });
  });

  it('flags the archive and the config when their files change', async () => {
    const fs = project();
    const model = await WorkspaceModel.load(fs, '/p');
    assert.ok(model);
    fs.writeFile('/p/openspec/changes/archive/2026-01-01-old/tasks.md', '- [x] 1.1 Done\n- [x] 1.2 Also\n');
    fs.writeFile('/p/openspec/config.yaml', 'schema: spec-driven\ncontext: Notes app\n');
    assert.deepEqual(await model.refresh(), { changes: [], specs: [], archive: true, config: true });
  });
});

describe('WorkspaceModel refresh given back to the editor in slices', () => {
  it('lands a change folder re-read during a full re-scan after that re-scan, so the newer read wins', async () => {
    const files: Record<string, string> = {};
    for (let index = 0; index < 30; index++) files[`/p/openspec/changes/c${index}/tasks.md`] = '- [ ] 1.1 Task\n';
    const fs = new MemoryFileSystem(files);
    const everyItem = () => new Promise<void>((resolve) => setImmediate(resolve));
    const model = await WorkspaceModel.load(fs, '/p', everyItem);
    assert.ok(model);
    const full = model.refresh();
    // The re-scan has read the first changes when c0 gets a new file and its watcher event re-reads c0.
    await everyItem();
    await everyItem();
    fs.writeFile('/p/openspec/changes/c0/design.md', '## Context\nNew.\n');
    const folder = model.refresh('/p/openspec/changes/c0/design.md');
    await Promise.all([full, folder]);
    assert.ok(model.workspace.changes.find((change) => change.id === 'c0')?.design, 'the new design.md was lost');
  });
});
