import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { WorkspaceModel } from '../../../src/core/openspec/workspaceModel';

const SPEC = '# notes\n\n## Purpose\nNotes.\n\n## Requirements\n### Requirement: Create\nThe system SHALL create notes.\n\n#### Scenario: Create\n- **WHEN** asked\n- **THEN** created\n';

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
    assert.deepEqual(after.changes.map((change) => `${change.id} ${change.tasks?.completed}/${change.tasks?.total}`), ['a 1/2', 'c 0/1']);
    assert.equal(after.specs[0], before.specs[0], 'the unchanged spec kept its parsed document');
    assert.notEqual(after.changes[0]?.tasks, before.changes[0]?.tasks);

    // A file that comes back with its old text after being deleted is parsed from that text, not a stale entry.
    fs.writeFile('/p/openspec/changes/b/tasks.md', '- [x] 1.1 Other\n');
    await model.refresh();
    assert.equal(model.workspace.changes.find((change) => change.id === 'b')?.tasks?.completed, 1);
  });
});
