import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { scanWorkspace } from '../../../src/core/openspec/workspaceScanner';
import { WorkspaceModel } from '../../../src/core/openspec/workspaceModel';

const SPEC =
  '# x Specification\n\n## Purpose\nA purpose long enough to satisfy the validator rules here.\n\n## Requirements\n### Requirement: R\nThe system SHALL r.\n\n#### Scenario: S\n- **WHEN** a\n- **THEN** b\n';
const DELTA =
  '## ADDED Requirements\n### Requirement: New\nThe system SHALL n.\n\n#### Scenario: S\n- **WHEN** a\n- **THEN** b\n';

function sampleFs(): MemoryFileSystem {
  return new MemoryFileSystem({
    '/p/openspec/config.yaml': 'schema: spec-driven\n',
    '/p/openspec/specs/auth/spec.md': SPEC,
    '/p/openspec/specs/audit/log/spec.md': SPEC,
    '/p/openspec/changes/add-2fa/proposal.md': '## Why\nx\n## What Changes\ny\n',
    '/p/openspec/changes/add-2fa/tasks.md': '## 1. A\n- [x] 1.1 a\n- [ ] 1.2 b\n',
    '/p/openspec/changes/add-2fa/specs/auth/spec.md': DELTA,
    '/p/openspec/changes/archive/2025-01-31-old/proposal.md': '## Why\nold\n',
  });
}

describe('workspace scanner', () => {
  it('reads changes, nested specs, archive entries and config', async () => {
    const workspace = await scanWorkspace(sampleFs(), '/p');
    assert.ok(workspace);
    assert.equal(workspace.layout, 'current');
    assert.deepEqual(
      workspace.specs.map((s) => s.capability),
      ['audit/log', 'auth'],
    );
    assert.deepEqual(
      workspace.changes.map((c) => c.id),
      ['add-2fa'],
    );
    const change = workspace.changes[0]!;
    assert.deepEqual([change.tasks?.completed, change.tasks?.total], [1, 2]);
    assert.deepEqual(
      change.deltas.map((d) => d.capability),
      ['auth'],
    );
    assert.deepEqual(
      workspace.archive.map((a) => [a.changeId, a.archivedOn]),
      [['old', '2025-01-31']],
    );
    assert.equal(workspace.config?.data.schema, 'spec-driven');
  });

  it('recognises the legacy 0.x layout and returns undefined without openspec/', async () => {
    const legacy = await scanWorkspace(
      new MemoryFileSystem({ '/p/openspec/project.md': '# Project', '/p/openspec/AGENTS.md': '' }),
      '/p',
    );
    assert.equal(legacy?.layout, 'legacy');
    assert.equal(await scanWorkspace(new MemoryFileSystem({ '/q/readme.md': '' }), '/q'), undefined);
  });
});

describe('workspace model', () => {
  it('re-parses one edited document without reading the disk', async () => {
    const fs = sampleFs();
    const model = (await WorkspaceModel.load(fs, '/p'))!;
    const before = model.workspace;
    const delta = model.updateDocument(
      '/p/openspec/changes/add-2fa/tasks.md',
      '## 1. A\n- [x] 1.1 a\n- [x] 1.2 b\n- [ ] 1.3 c\n',
    );
    assert.deepEqual(delta?.changes, ['add-2fa']);
    assert.deepEqual([model.workspace.changes[0]!.tasks?.completed, model.workspace.changes[0]!.tasks?.total], [2, 3]);
    assert.equal(before.changes[0]!.tasks?.total, 2, 'earlier snapshots stay as they were');
    assert.equal(await fs.readFile('/p/openspec/changes/add-2fa/tasks.md'), '## 1. A\n- [x] 1.1 a\n- [ ] 1.2 b\n');
  });

  it('adds a new delta and a new main spec from text', async () => {
    const model = (await WorkspaceModel.load(sampleFs(), '/p'))!;
    model.updateDocument('/p/openspec/changes/add-2fa/specs/billing/spec.md', DELTA);
    model.updateDocument('/p/openspec/specs/billing/spec.md', SPEC);
    assert.deepEqual(
      model.workspace.changes[0]!.deltas.map((d) => d.capability),
      ['auth', 'billing'],
    );
    assert.deepEqual(
      model.workspace.specs.map((s) => s.capability),
      ['audit/log', 'auth', 'billing'],
    );
  });

  it('asks for a folder refresh when a document belongs to an unknown change, and the refresh finds it', async () => {
    const fs = sampleFs();
    const model = (await WorkspaceModel.load(fs, '/p'))!;
    assert.equal(model.updateDocument('/p/openspec/changes/new-one/proposal.md', '## Why\n'), undefined);
    fs.writeFile('/p/openspec/changes/new-one/proposal.md', '## Why\nnew\n');
    const delta = await model.refresh('/p/openspec/changes/new-one/proposal.md');
    assert.deepEqual(delta.changes, ['new-one']);
    assert.deepEqual(
      model.workspace.changes.map((c) => c.id),
      ['add-2fa', 'new-one'],
    );
  });

  it('drops a deleted change on refresh', async () => {
    const fs = sampleFs();
    const model = (await WorkspaceModel.load(fs, '/p'))!;
    fs.delete('/p/openspec/changes/add-2fa');
    const delta = await model.refresh('/p/openspec/changes/add-2fa/proposal.md');
    assert.ok(delta.changes.includes('add-2fa'));
    assert.deepEqual(model.workspace.changes, []);
  });
});
