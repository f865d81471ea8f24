import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { scanWorkspace } from '../../../src/core/openspec/workspaceScanner';
import { checkChange } from '../../../src/core/lint/changeChecks';

const SPEC =
  '# x Specification\n\n## Purpose\nPurpose.\n\n## Requirements\n### Requirement: R\nThe system SHALL r.\n\n#### Scenario: S\n- **WHEN** a\n- **THEN** b\n';

async function findingsFor(files: Record<string, string>) {
  const workspace = await scanWorkspace(new MemoryFileSystem(files), '/p');
  const change = workspace!.changes[0]!;
  return checkChange(change, workspace!.specs).map((f) => ({
    code: f.code,
    line: f.range.start.line,
    file: f.file.replace('/p/openspec/changes/c/', ''),
  }));
}

describe('our change checks', () => {
  it('flags a change without proposal.md on a file it has', async () => {
    assert.deepEqual(await findingsFor({ '/p/openspec/changes/c/tasks.md': '- [ ] 1.1 a\n' }), [
      { code: 'missing-proposal', line: 0, file: 'tasks.md' },
    ]);
  });

  it('flags missing and empty Why / What Changes sections', async () => {
    const findings = await findingsFor({ '/p/openspec/changes/c/proposal.md': '# P\n## Why\n<!-- explain -->\n' });
    assert.deepEqual(findings, [
      { code: 'empty-section', line: 1, file: 'proposal.md' },
      { code: 'missing-section', line: 0, file: 'proposal.md' },
    ]);
  });

  it('matches the capabilities a proposal names with the deltas the change has', async () => {
    const findings = await findingsFor({
      '/p/openspec/specs/auth/spec.md': SPEC,
      '/p/openspec/changes/c/proposal.md':
        '## Why\nw\n## What Changes\nx\n## Capabilities\n### New Capabilities\n- `auth`: again\n- `billing`: new\n### Modified Capabilities\n- `ghost`: missing\n',
      '/p/openspec/changes/c/specs/auth/spec.md': '## ADDED Requirements\n',
      '/p/openspec/changes/c/specs/extra/spec.md': '## ADDED Requirements\n',
    });
    assert.deepEqual(findings, [
      { code: 'new-capability-exists', line: 6, file: 'proposal.md' },
      { code: 'capability-without-delta', line: 7, file: 'proposal.md' },
      { code: 'capability-without-delta', line: 9, file: 'proposal.md' },
      { code: 'modified-capability-missing', line: 9, file: 'proposal.md' },
      { code: 'delta-not-in-proposal', line: 0, file: 'specs/extra/spec.md' },
    ]);
  });

  it('flags REMOVED requirements without a reason or a migration', async () => {
    const findings = await findingsFor({
      '/p/openspec/changes/c/proposal.md': '## Why\nw\n## What Changes\nx\n',
      '/p/openspec/changes/c/specs/auth/spec.md':
        '## REMOVED Requirements\n### Requirement: Kept\n**Reason**: r\n**Migration**: m\n### Requirement: Bare\n- `### Requirement: Bullet`\n',
    });
    assert.deepEqual(findings, [
      { code: 'removed-without-rationale', line: 4, file: 'specs/auth/spec.md' },
      { code: 'removed-without-rationale', line: 5, file: 'specs/auth/spec.md' },
    ]);
  });
});
