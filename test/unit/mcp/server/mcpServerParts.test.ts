import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../../src/core/fs/memoryFileSystem';
import { silentLogger } from '../../../../src/core/logger';
import { scanWorkspace } from '../../../../src/core/openspec/workspaceScanner';
import { checkRelativePath, confinedPath } from '../../../../src/core/mcp/server/pathConfinement';
import { searchRequirements } from '../../../../src/core/mcp/server/requirementSearch';
import {
  ANSWER_LIMIT_BYTES,
  boundText,
  structuredResult,
  ToolRefusal,
} from '../../../../src/core/mcp/server/toolResults';
import { STALE, UNCHANGED } from '../../../../src/core/fs/fileWriter';
import { MemoryFileWriter } from '../../../../src/core/fs/memoryFileWriter';
import { checkboxEdit, type CheckboxPlace } from '../../../../src/core/openspec/taskCheckbox';
import { callOk, callRefused, connectInProcess } from './mcpTestClient';

const ROOT = '/project';
const files = {
  '/project/openspec/config.yaml': 'schema: spec-driven\n',
  '/project/openspec/specs/auth/spec.md':
    '# auth Specification\n\n## Purpose\nSigning in and out of the service, for every kind of user account.\n\n## Requirements\n' +
    '### Requirement: Session timeout\nThe system SHALL end a session after 30 minutes without activity.\n\n#### Scenario: Idle user\n- **WHEN** a user is idle for 30 minutes\n- **THEN** the session ends\n\n' +
    '### Requirement: Sign in\nThe system SHALL sign a user in with a password; an expired session asks again.\n\n#### Scenario: Good password\n- **WHEN** the password matches\n- **THEN** the user is signed in\n',
  '/project/openspec/changes/add-mfa/proposal.md':
    '# Add MFA\n\n## Why\nPasswords leak.\n\n## What Changes\n- Second factor\n',
  '/project/openspec/changes/add-mfa/tasks.md': '## 1. Build\n\n- [ ] 1.1 Add TOTP\r\n- [x] 1.2 Add recovery codes\n',
  '/project/openspec/changes/add-mfa/specs/auth/spec.md':
    '## ADDED Requirements\n### Requirement: Second factor\nThe system SHALL ask for a one-time code after the password.\n\n#### Scenario: Code required\n- **WHEN** the password matches\n- **THEN** the system asks for a code\n',
};

describe('MCP server parts', () => {
  it('boundText keeps short text and cuts long text on a character boundary with a note', () => {
    assert.equal(boundText('short', 10), 'short');
    const cut = boundText('é'.repeat(10), 5);
    assert.match(cut, /^éé\n\n\[truncated: 4 of 20 bytes shown\]$/);
  });

  it('an answer over the budget has its longest strings cut, marked, and one that cannot be cut is refused', () => {
    const value = { summary: 'kept', unifiedDiff: 'd'.repeat(200 * 1024), proposedText: 'p'.repeat(200 * 1024) };
    const result = structuredResult(value);
    const structured = result.structuredContent as typeof value;
    assert.ok(Buffer.byteLength(JSON.stringify(structured)) <= ANSWER_LIMIT_BYTES);
    assert.equal(structured.summary, 'kept');
    assert.match(structured.unifiedDiff, /\[truncated: \d+ of 204800 bytes shown\]$/);
    assert.equal((result.content[0] as { text: string }).text, JSON.stringify(structured));
    assert.equal(value.proposedText.length, 200 * 1024, "the tool's own value is left as it was");
    const many = { items: Array.from({ length: 50_000 }, (_, index) => ({ id: index, name: `item ${index}` })) };
    assert.throws(
      () => structuredResult(many),
      (error: unknown) => error instanceof ToolRefusal && /limit/.test(error.message),
    );
  });

  it('checkRelativePath refuses .., absolute paths, backslashes, NUL and empty segments', () => {
    assert.deepEqual(checkRelativePath('specs/auth/spec.md', 'Path'), ['specs', 'auth', 'spec.md']);
    for (const [bad, reason] of [
      ['../x', /\.\./],
      ['a/../../x', /\.\./],
      ['/etc/passwd', /absolute/],
      ['C:/Windows', /absolute/],
      ['a\\..\\b', /backslash/],
      ['a\0b', /NUL/],
      ['a//b', /empty/],
      ['./a', /"\."/],
      ['', /empty/],
    ] as const) {
      assert.throws(() => checkRelativePath(bad, 'Path'), reason, bad);
    }
  });

  it('confinedPath joins inside openspec/ and refuses what the real path puts outside', async () => {
    const fs = new MemoryFileSystem(files);
    assert.equal(
      await confinedPath(fs, ROOT, '/project/openspec/changes/add-mfa', 'tasks.md', 'Path'),
      '/project/openspec/changes/add-mfa/tasks.md',
    );
    const linked: MemoryFileSystem = Object.assign(Object.create(fs) as MemoryFileSystem, {
      realPath: (file: string) => Promise.resolve(file.endsWith('/evil.md') ? '/etc/evil.md' : file),
      stat: () => Promise.resolve('file' as const),
    });
    await assert.rejects(
      confinedPath(linked, ROOT, '/project/openspec/changes/add-mfa', 'evil.md', 'Path'),
      /symbolic link/,
    );
  });

  it('checkboxEdit rewrites only the checkbox and keeps line endings; a line without that checkbox is stale', () => {
    const text = files['/project/openspec/changes/add-mfa/tasks.md'];
    const at = (line: number, open = 3, close = 5): CheckboxPlace => ({
      line,
      checkboxRange: { start: { line, character: open }, end: { line, character: close } },
    });
    assert.equal(checkboxEdit(at(2, 3, 4), true)(text), text.replace('- [ ] 1.1', '- [x] 1.1'));
    assert.equal(checkboxEdit(at(3, 3, 4), false)(text), text.replace('- [x] 1.2', '- [ ] 1.2'));
    assert.equal(checkboxEdit(at(2, 3, 4), false)(text), UNCHANGED);
    assert.equal(checkboxEdit(at(0), true)(text), STALE);
    assert.equal(checkboxEdit(at(99), true)(text), STALE);
    assert.equal(checkboxEdit(at(2, 4, 5), true)(text), STALE, 'the checkbox moved on its line');
    assert.equal(checkboxEdit(at(0, 3, 5), true)('- [  ] spaced\n'), '- [x] spaced\n');
  });

  it('searchRequirements needs every word, ranks name matches first, and finds deltas', async () => {
    const workspace = (await scanWorkspace(new MemoryFileSystem(files), ROOT))!;
    const relative = (file: string) => file.slice(ROOT.length + 1);
    const session = searchRequirements(workspace, 'SESSION', { limit: 10, mode: 'all', relative });
    assert.deepEqual(
      session.map((hit) => hit.requirement),
      ['Session timeout', 'Sign in'],
    );
    assert.equal(session[0]!.line, 7);
    assert.deepEqual(session[0]!.scenarios, ['Idle user']);
    assert.deepEqual(searchRequirements(workspace, 'session code', { limit: 10, mode: 'all', relative }), []);
    const any = searchRequirements(workspace, 'session code', { limit: 10, mode: 'any', relative });
    assert.ok(any.some((hit) => hit.source === 'delta' && hit.change === 'add-mfa' && hit.operation === 'ADDED'));
  });

  it('in process: AI tools without a model, and writes without a writer, are refused; the writer writes through', async () => {
    const fs = new MemoryFileSystem(files);
    const readOnly = await connectInProcess({
      folders: [{ name: 'project', fs, root: ROOT }],
      allowWrite: true,
      logger: silentLogger,
      version: 'test',
    });
    try {
      assert.match(await callRefused(readOnly.client, 'review_change', { change: 'add-mfa' }), /not configured/);
      assert.match(await callRefused(readOnly.client, 'ask', { question: 'What is MFA?' }), /not configured/);
      assert.match(
        await callRefused(readOnly.client, 'set_task_status', { change: 'add-mfa', id: '1.1', done: true }),
        /no way to write/,
      );
      const { changes } = await callOk<{ changes: Array<{ id: string; title?: string }> }>(
        readOnly.client,
        'list_changes',
      );
      assert.deepEqual(
        changes.map((change) => [change.id, change.title]),
        [['add-mfa', 'Add MFA']],
      );
    } finally {
      await readOnly.close();
    }

    const writer = new MemoryFileWriter(fs);
    const writable = await connectInProcess({
      folders: [{ name: 'project', fs, root: ROOT }],
      allowWrite: true,
      logger: silentLogger,
      writer,
      version: 'test',
    });
    try {
      const result = await callOk<{ outcome: string; line: number }>(writable.client, 'set_task_status', {
        change: 'add-mfa',
        id: '1.1',
        done: true,
      });
      assert.deepEqual([result.outcome, result.line], ['toggled', 3]);
      assert.equal(
        await fs.readFile('/project/openspec/changes/add-mfa/tasks.md'),
        files['/project/openspec/changes/add-mfa/tasks.md'].replace('[ ] 1.1', '[x] 1.1'),
      );
      // Read fresh: the next call sees the write.
      const tasks = await callOk<{ completed: number }>(writable.client, 'get_tasks', { change: 'add-mfa' });
      assert.equal(tasks.completed, 2);
    } finally {
      await writable.close();
    }
  });
});
