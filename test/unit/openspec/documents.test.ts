import * as assert from 'node:assert/strict';
import { parseDeltaSpec, parseMainSpec } from '../../../src/core/openspec/specDocuments';
import { parseProposal, parseTasks } from '../../../src/core/openspec/changeDocuments';
import { parseChangeMetadata, parseProjectConfig } from '../../../src/core/openspec/yamlFiles';

const MAIN_SPEC = [
  '# auth Specification',
  '',
  '## Purpose',
  'Authenticate users with passwords and keep their sessions safe.',
  '',
  '## Requirements',
  '',
  '### Requirement: Login',
  'The system SHALL let a user log in with a password.',
  '',
  '#### Scenario: Valid password',
  '- **WHEN** the user submits a valid password',
  '- **THEN** a session starts',
  '- **AND** the user sees the dashboard',
  '',
  '```markdown',
  '### Requirement: Inside a fence',
  '```',
  '',
  '### Requirement: Logout',
  'The system MUST end the session on logout.',
  '',
  '#### Scenario: Logout',
  '- **WHEN** the user logs out',
  '- **THEN** the session ends',
].join('\n');

describe('main spec parser', () => {
  it('reads purpose, requirements, scenarios and steps with their lines', () => {
    const spec = parseMainSpec('/p/openspec/specs/auth/spec.md', 'auth', MAIN_SPEC);
    assert.equal(spec.title, 'auth Specification');
    assert.equal(spec.purpose?.body, 'Authenticate users with passwords and keep their sessions safe.');
    assert.deepEqual(
      spec.requirements.map((r) => [r.name, r.headerLine]),
      [
        ['Login', 7],
        ['Logout', 19],
      ],
    );
    const login = spec.requirements[0]!;
    assert.equal(login.body, 'The system SHALL let a user log in with a password.');
    assert.equal(login.scenarios[0]?.name, 'Valid password');
    assert.equal(login.scenarios[0]?.headerLine, 10);
    assert.deepEqual(
      login.scenarios[0]?.steps.map((s) => s.keyword),
      ['WHEN', 'THEN', 'AND'],
    );
    assert.equal(login.range.end.line, 17, 'a requirement ends before the next requirement, fenced text included');
  });

  it('gives the same lines for CRLF and LF files', () => {
    const lf = parseMainSpec('/a', 'auth', MAIN_SPEC);
    const crlf = parseMainSpec('/a', 'auth', MAIN_SPEC.replace(/\n/g, '\r\n'));
    assert.deepEqual(
      crlf.requirements.map((r) => [r.name, r.headerLine, r.body]),
      lf.requirements.map((r) => [r.name, r.headerLine, r.body]),
    );
  });
});

describe('delta spec parser', () => {
  const delta = [
    '## ADDED Requirements',
    '### Requirement: Two factor',
    'The system SHALL ask for a second factor.',
    '#### Scenario: Code sent',
    '- **WHEN** a user logs in',
    '- **THEN** a code is sent',
    '## REMOVED Requirements',
    '### Requirement: Remember me',
    '**Reason**: Unsafe on shared machines',
    '**Migration**: Use short sessions',
    '- `### Requirement: Legacy tokens`',
    '## RENAMED Requirements',
    '- FROM: `### Requirement: Login`',
    '- TO: `### Requirement: Sign in`',
    '- FROM: `### Requirement: Orphan`',
  ].join('\n');

  it('reads each operation, removal notes, bullet removals and rename pairs', () => {
    const doc = parseDeltaSpec('/d/spec.md', 'auth', delta);
    assert.deepEqual(
      doc.deltaSections.map((s) => s.operation),
      ['ADDED', 'REMOVED', 'RENAMED'],
    );
    const removed = doc.deltaSections[1]!.requirements;
    assert.deepEqual(
      removed.map((r) => r.name),
      ['Remember me', 'Legacy tokens'],
    );
    assert.equal(removed[0]?.reason, 'Unsafe on shared machines');
    assert.equal(removed[0]?.migration, 'Use short sessions');
    assert.equal(removed[1]?.headerLine, 10);
    assert.deepEqual(doc.deltaSections[2]!.renames, [
      { from: 'Login', to: 'Sign in', fromLine: 12, toLine: 13 },
      { from: 'Orphan', to: '', fromLine: 14 },
    ]);
  });
});

describe('tasks parser', () => {
  it('reads groups, numbered tasks, state and the checkbox position', () => {
    const tasks = parseTasks(
      '/t/tasks.md',
      [
        '# Tasks',
        '## 1. Setup',
        '- [ ] 1.1 Create repo',
        '- [x] 1.2 Add CI',
        '  - [X] nested',
        '## 2. Ship',
        '* [ ] 2.1 Release',
        '```',
        '- [ ] 9.9 in a fence',
        '```',
      ].join('\n'),
    );
    assert.deepEqual(
      tasks.groups.map((g) => [g.number, g.title]),
      [
        ['1', 'Setup'],
        ['2', 'Ship'],
      ],
    );
    assert.deepEqual(
      tasks.tasks.map((t) => [t.id, t.text, t.done, t.group]),
      [
        ['1.1', 'Create repo', false, 0],
        ['1.2', 'Add CI', true, 0],
        [undefined, 'nested', true, 0],
        ['2.1', 'Release', false, 1],
      ],
    );
    assert.deepEqual(tasks.tasks[0]!.checkboxRange, {
      start: { line: 2, character: 3 },
      end: { line: 2, character: 4 },
    });
    assert.equal(tasks.tasks[2]!.depth, 2);
    assert.deepEqual([tasks.completed, tasks.total], [2, 4]);
  });
});

describe('proposal parser', () => {
  it('reads sections and capability lists, skipping template placeholders', () => {
    const proposal = parseProposal(
      '/c/proposal.md',
      [
        '## Why',
        'Because.',
        '## What Changes',
        '- things',
        '## Capabilities',
        '### New Capabilities',
        '- `audit/log`: keeps an audit trail',
        '- `<capability-path>`: <brief description>',
        '### Modified Capabilities',
        '- `auth`: adds 2FA',
        '## Impact',
        'None',
      ].join('\n'),
    );
    assert.equal(proposal.why?.body, 'Because.');
    assert.equal(proposal.whatChanges?.headerLine, 2);
    assert.deepEqual(
      proposal.newCapabilities.map((c) => [c.name, c.line, c.description]),
      [['audit/log', 6, 'keeps an audit trail']],
    );
    assert.deepEqual(
      proposal.modifiedCapabilities.map((c) => c.name),
      ['auth'],
    );
  });
});

describe('yaml files', () => {
  it('reads config context and rules', () => {
    const config = parseProjectConfig(
      '/c.yaml',
      'schema: spec-driven\ncontext: |\n  We use TypeScript.\nrules:\n  proposal:\n    - Keep it short\n',
    );
    assert.deepEqual(config.data, {
      schema: 'spec-driven',
      context: 'We use TypeScript.\n',
      rules: { proposal: ['Keep it short'] },
    });
    assert.equal(config.error, undefined);
  });

  it('reports malformed YAML with its line instead of throwing', () => {
    const config = parseProjectConfig('/c.yaml', 'schema: spec-driven\nrules: [unclosed\n');
    assert.ok(config.error);
    assert.deepEqual(config.data, {});
  });

  it('reads change metadata including skip_specs', () => {
    const metadata = parseChangeMetadata('/m.yaml', 'schema: spec-driven\ncreated: 2025-01-31\nskip_specs: true\n');
    assert.deepEqual(metadata.data, { schema: 'spec-driven', created: '2025-01-31', skipSpecs: true });
  });
});
