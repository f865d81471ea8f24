import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { scanWorkspace } from '../../../src/core/openspec/workspaceScanner';
import type { OpenSpecWorkspace } from '../../../src/core/openspec/model';
import { mainRequirementFor, targetAt } from '../../../src/core/language/languageTarget';

const MAIN = '/p/openspec/specs/auth/spec.md';
const DELTA = '/p/openspec/changes/c/specs/auth/spec.md';
const PROPOSAL = '/p/openspec/changes/c/proposal.md';

const SPEC = [
  '# auth Specification', // 0
  '## Purpose',
  'Purpose.',
  '## Requirements',
  '### Requirement: Login', // 4
  'The system SHALL log in.',
  '#### Scenario: Good password',
  '- **WHEN** a',
  '- **THEN** b',
  '### Requirement: Lockout ##', // 9
  'The system SHALL lock.',
  '#### Scenario: Too many',
  '- **WHEN** a',
  '- **THEN** b',
  '',
].join('\n');

const DELTA_TEXT = [
  '## MODIFIED Requirements', // 0
  '### Requirement: Login', // 1
  'The system SHALL log in fast.',
  '## RENAMED Requirements', // 3
  '- FROM: `### Requirement: Lockout`', // 4
  '- TO: `### Requirement: Account lockout`', // 5
  '## REMOVED Requirements', // 6
  '- `### Requirement: Ghost`', // 7
  '',
].join('\n');

const PROPOSAL_TEXT = [
  '## Why', // 0
  'w',
  '## Capabilities', // 2
  '### New Capabilities', // 3
  '- `billing`: new', // 4
  '### Modified Capabilities', // 5
  '- `auth`: changed', // 6
  '',
].join('\n');

async function workspace(): Promise<OpenSpecWorkspace> {
  const loaded = await scanWorkspace(
    new MemoryFileSystem({ [MAIN]: SPEC, [DELTA]: DELTA_TEXT, [PROPOSAL]: PROPOSAL_TEXT }),
    '/p',
  );
  assert.ok(loaded);
  return loaded;
}

describe('what a position in a spec file names', () => {
  it('finds a delta requirement header with its change, delta and section', async () => {
    const target = targetAt(await workspace(), DELTA, 1, 5);
    assert.equal(target?.kind, 'deltaRequirement');
    if (target?.kind !== 'deltaRequirement') return;
    assert.equal(target.change.id, 'c');
    assert.equal(target.delta.capability, 'auth');
    assert.equal(target.section.operation, 'MODIFIED');
    assert.equal(target.requirement.name, 'Login');
  });

  it('finds a REMOVED bullet as a delta requirement', async () => {
    const target = targetAt(await workspace(), DELTA, 7, 0);
    assert.equal(target?.kind === 'deltaRequirement' && target.requirement.name, 'Ghost');
  });

  it('tells the FROM and the TO line of a rename apart', async () => {
    const ws = await workspace();
    const from = targetAt(ws, DELTA, 4, 3);
    const to = targetAt(ws, DELTA, 5, 3);
    assert.deepEqual(from?.kind === 'renameFrom' && [from.name, from.line], ['Lockout', 4]);
    assert.deepEqual(to?.kind === 'renameTo' && [to.name, to.line, to.rename.from], ['Account lockout', 5, 'Lockout']);
  });

  it('names nothing on a body line or a section header', async () => {
    const ws = await workspace();
    assert.equal(targetAt(ws, DELTA, 2, 0), undefined);
    assert.equal(targetAt(ws, DELTA, 0, 0), undefined);
    assert.equal(targetAt(ws, MAIN, 5, 0), undefined);
  });

  it('finds a main spec requirement header', async () => {
    const target = targetAt(await workspace(), MAIN, 9, 0);
    assert.equal(target?.kind === 'mainRequirement' && target.requirement.name, 'Lockout');
  });

  it('finds a capability name in the proposal lists only between its backticks', async () => {
    const ws = await workspace();
    const target = targetAt(ws, PROPOSAL, 6, 4);
    assert.deepEqual(target?.kind === 'capabilityName' && [target.capability, target.start, target.end], [
      'auth',
      3,
      7,
    ]);
    assert.equal(targetAt(ws, PROPOSAL, 4, 4)?.kind, 'capabilityName');
    assert.equal(targetAt(ws, PROPOSAL, 6, 12), undefined);
    assert.equal(targetAt(ws, PROPOSAL, 0, 0), undefined);
  });

  it('matches main requirements by name as archive does (closing # run ignored)', async () => {
    const ws = await workspace();
    assert.equal(mainRequirementFor(ws, 'auth', 'Lockout')?.requirement.headerLine, 9);
    assert.equal(mainRequirementFor(ws, 'auth', 'login'), undefined);
    assert.equal(mainRequirementFor(ws, 'billing', 'Login'), undefined);
  });
});
