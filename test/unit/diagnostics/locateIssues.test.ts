import * as assert from 'node:assert/strict';
import { locateItemIssues } from '../../../src/core/diagnostics/locateIssues';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { scanWorkspace } from '../../../src/core/openspec/workspaceScanner';
import { makeRoot } from '../../../src/core/validation/projectRoot';
import { validateItems } from '../../../src/core/validation/validateItems';

const CHANGE = '/p/openspec/changes/c';
const PROPOSAL =
  '## Why\nBecause the service must say goodbye to people when they leave it.\n\n## What Changes\n- farewell\n';
const SCENARIO = '#### Scenario: S\n- **WHEN** a\n- **THEN** b\n';
const MAIN_SPEC =
  '# greeting Specification\n\n## Purpose\nThe service greets people by name when they start a session with it.\n\n' +
  `## Requirements\n### Requirement: Greet\nThe service SHALL greet.\n\n${SCENARIO}\n### Requirement: Wave\nThe service SHALL wave.\n\n${SCENARIO}`;

interface Located {
  file: string;
  line: number;
  severity: string;
  message: string;
}

/** Runs the real validator over the project, then maps every issue; paths are shown relative to /p/openspec. */
async function locate(files: Record<string, string>): Promise<Located[]> {
  const fs = new MemoryFileSystem(files);
  const run = await validateItems(fs, makeRoot('/p', 'nearest'), { kind: 'bulk', changes: true, specs: true });
  const workspace = await scanWorkspace(fs, '/p');
  assert.ok(workspace);
  return run.items.flatMap((item) =>
    locateItemIssues(item, workspace).map((finding) => ({
      file: finding.file.replace('/p/openspec/', ''),
      line: finding.range.start.line,
      severity: finding.severity,
      message: finding.message,
    })),
  );
}

function only(found: Located[], text: string): Located {
  const matches = found.filter((finding) => finding.message.includes(text));
  assert.equal(matches.length, 1, `expected one finding with "${text}" in ${JSON.stringify(found, null, 1)}`);
  return matches[0]!;
}

describe('locating validation issues', () => {
  it('puts a requirement without scenario on its header in the delta file', async () => {
    const delta = `## ADDED Requirements\n### Requirement: Bye\nThe service SHALL say bye.\n\n${SCENARIO}\n### Requirement: Login\nThe service SHALL log in.\n`;
    const found = await locate({ [`${CHANGE}/proposal.md`]: PROPOSAL, [`${CHANGE}/specs/auth/spec.md`]: delta });
    assert.deepEqual(only(found, 'must include at least one scenario'), {
      file: 'changes/c/specs/auth/spec.md',
      line: 8,
      severity: 'error',
      message: 'ADDED "Login" must include at least one scenario',
    });
  });

  it('puts the issues of a header still being typed on that header, not on the first line', async () => {
    const delta = `## MODIFIED Requirements\n### Requirement: Greet\nThe service SHALL greet warmly.\n\n${SCENARIO}\n### Requirement: \n`;
    const found = await locate({
      [`${CHANGE}/proposal.md`]: PROPOSAL,
      [`${CHANGE}/specs/greeting/spec.md`]: delta,
      '/p/openspec/specs/greeting/spec.md': MAIN_SPEC,
    });
    const scenario = only(found, 'MODIFIED "" must include at least one scenario');
    assert.deepEqual([scenario.file, scenario.line], ['changes/c/specs/greeting/spec.md', 8]);
    assert.equal(only(found, 'is missing requirement text').line, 8);
  });

  it('puts a duplicate on its second occurrence and a cross-section conflict on the MODIFIED block', async () => {
    const delta =
      `## ADDED Requirements\n### Requirement: New\nThe service SHALL a.\n\n${SCENARIO}\n### Requirement: New\nThe service SHALL b.\n\n${SCENARIO}\n` +
      `## MODIFIED Requirements\n### Requirement: Wave\nThe service SHALL wave twice.\n\n${SCENARIO}\n## REMOVED Requirements\n### Requirement: Wave\n**Reason**: gone\n`;
    const found = await locate({
      [`${CHANGE}/proposal.md`]: PROPOSAL,
      [`${CHANGE}/specs/greeting/spec.md`]: delta,
      '/p/openspec/specs/greeting/spec.md': MAIN_SPEC,
    });
    assert.equal(only(found, 'Duplicate requirement in ADDED').line, 8);
    assert.equal(only(found, 'Requirement present in both MODIFIED and REMOVED').line, 16);
  });

  it('puts a rename colliding with ADDED on its TO line', async () => {
    const delta =
      `## ADDED Requirements\n### Requirement: Hello\nThe service SHALL hello.\n\n${SCENARIO}\n` +
      '## RENAMED Requirements\n- FROM: `### Requirement: Greet`\n- TO: `### Requirement: Hello`\n';
    const found = await locate({
      [`${CHANGE}/proposal.md`]: PROPOSAL,
      [`${CHANGE}/specs/greeting/spec.md`]: delta,
      '/p/openspec/specs/greeting/spec.md': MAIN_SPEC,
    });
    assert.equal(only(found, 'RENAMED TO collides with ADDED').line, 10);
  });

  it('puts a MODIFIED block that uses a renamed-away name on that block', async () => {
    const delta =
      '## RENAMED Requirements\n- FROM: `### Requirement: Greet`\n- TO: `### Requirement: Hello`\n\n' +
      `## MODIFIED Requirements\n### Requirement: Greet\nThe service SHALL greet.\n\n${SCENARIO}`;
    const found = await locate({
      [`${CHANGE}/proposal.md`]: PROPOSAL,
      [`${CHANGE}/specs/greeting/spec.md`]: delta,
      '/p/openspec/specs/greeting/spec.md': MAIN_SPEC,
    });
    assert.equal(only(found, 'MODIFIED references old name from RENAMED').line, 5);
  });

  it('places an archive refusal on the requirement it names', async () => {
    const delta = `## MODIFIED Requirements\n### Requirement: Ghost\nThe service SHALL haunt.\n\n${SCENARIO}`;
    const found = await locate({
      [`${CHANGE}/proposal.md`]: PROPOSAL,
      [`${CHANGE}/specs/greeting/spec.md`]: delta,
      '/p/openspec/specs/greeting/spec.md': MAIN_SPEC,
    });
    const refusal = only(found, 'Archive would refuse this delta');
    assert.deepEqual([refusal.line, refusal.severity], [1, 'info']);
  });

  it("uses the CLI's 1-based line when it gives one", async () => {
    const delta = `### Requirement: Stray\nThe service SHALL stray.\n\n## ADDED Requirements\n### Requirement: Bye\nThe service SHALL bye.\n\n${SCENARIO}`;
    const found = await locate({ [`${CHANGE}/proposal.md`]: PROPOSAL, [`${CHANGE}/specs/auth/spec.md`]: delta });
    const orphan = only(found, 'Requirement "Stray"');
    assert.deepEqual([orphan.file, orphan.line, orphan.severity], ['changes/c/specs/auth/spec.md', 0, 'warning']);
  });

  it('shows whole-change issues on proposal.md, else on the change’s first file', async () => {
    const withProposal = await locate({ [`${CHANGE}/proposal.md`]: PROPOSAL });
    assert.deepEqual(
      [only(withProposal, 'at least one delta').file, only(withProposal, 'at least one delta').line],
      ['changes/c/proposal.md', 0],
    );
    const withoutProposal = await locate({ [`${CHANGE}/tasks.md`]: '## 1. Work\n- [ ] 1.1 Do it\n' });
    assert.equal(only(withoutProposal, 'at least one delta').file, 'changes/c/tasks.md');
  });

  it('resolves task and metadata paths against the change folder', async () => {
    const found = await locate({
      [`${CHANGE}/proposal.md`]: PROPOSAL,
      [`${CHANGE}/tasks.md`]: '## 1. Setup\n- [ ] 1.1 One\n- [ ] 1.1 Again\n',
      '/p/openspec/changes/d/proposal.md': PROPOSAL,
      '/p/openspec/changes/d/.openspec.yaml': 'schema: 12\nskip_specs: true\n',
    });
    assert.deepEqual([only(found, 'is duplicated').file, only(found, 'is duplicated').line], ['changes/c/tasks.md', 2]);
    assert.ok(
      found.some(
        (finding) => finding.file === 'changes/d/.openspec.yaml' && finding.message.includes('skip_specs is set but'),
      ),
      JSON.stringify(found),
    );
  });

  it('shows a delta file in the wrong place on that file', async () => {
    const found = await locate({
      [`${CHANGE}/proposal.md`]: PROPOSAL,
      [`${CHANGE}/specs/auth.md`]: `## ADDED Requirements\n### Requirement: A\nThe service SHALL a.\n\n${SCENARIO}`,
    });
    assert.equal(only(found, 'Delta spec found at specs/auth.md').file, 'changes/c/specs/auth.md');
  });

  it('locates main spec issues by requirement index, quoted name and Purpose', async () => {
    const spec =
      '# greeting Specification\n\n## Purpose\nShort.\n\n## Requirements\n' +
      `### Requirement: Greet\nThe service SHALL greet.\n\n${SCENARIO}\n### Requirement: Wave\nThe service waves.\n\n### Requirement: Nod\nThe service SHALL nod.\n`;
    const found = await locate({ '/p/openspec/specs/greeting/spec.md': spec });
    const file = 'specs/greeting/spec.md';
    assert.deepEqual(only(found, 'Purpose section is too brief'), {
      file,
      line: 2,
      severity: 'warning',
      message: only(found, 'Purpose section is too brief').message,
    });
    assert.equal(only(found, 'Requirement "Wave"').line, 13);
    const noScenarios = found.filter((finding) =>
      finding.message.startsWith('Requirement must have at least one scenario'),
    );
    assert.deepEqual(
      noScenarios.map((finding) => finding.line),
      [13, 16, 13, 16],
    );
    assert.ok(found.every((finding) => finding.file === file));
  });

  it('covers the text of the line it points at', async () => {
    const fs = new MemoryFileSystem({
      [`${CHANGE}/proposal.md`]: PROPOSAL,
      [`${CHANGE}/specs/auth/spec.md`]: '## ADDED Requirements\n### Requirement: Login\nThe service SHALL log in.\n',
    });
    const run = await validateItems(fs, makeRoot('/p', 'nearest'), { kind: 'items', names: ['c'] });
    const [finding] = locateItemIssues(run.items[0]!, (await scanWorkspace(fs, '/p'))!);
    assert.deepEqual(finding?.range, {
      start: { line: 1, character: 0 },
      end: { line: 1, character: '### Requirement: Login'.length },
    });
    assert.equal(finding?.source, 'openspec');
  });
});
