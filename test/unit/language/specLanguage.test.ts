import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { scanWorkspace } from '../../../src/core/openspec/workspaceScanner';
import type { OpenSpecWorkspace } from '../../../src/core/openspec/model';
import { completionsAt } from '../../../src/core/language/specCompletion';
import { hoverAt } from '../../../src/core/language/requirementHover';
import { definitionAt } from '../../../src/core/language/specDefinition';

const MAIN = '/p/openspec/specs/auth/spec.md';
const DELTA = '/p/openspec/changes/c/specs/auth/spec.md';
const OTHER = '/p/openspec/changes/d/specs/auth/spec.md';
const PROPOSAL = '/p/openspec/changes/c/proposal.md';

const LOGIN = [
  '### Requirement: Login',
  'The system SHALL log in.',
  '',
  '#### Scenario: Good password',
  '- **WHEN** a',
  '- **THEN** b',
  '',
  '#### Scenario: Bad password',
  '- **WHEN** c',
  '- **THEN** d',
].join('\n');

const SPEC = `# auth Specification\n\n## Purpose\nPurpose.\n\n## Requirements\n${LOGIN}\n\n### Requirement: Lockout\nThe system SHALL lock.\n\n#### Scenario: Too many\n- **WHEN** a\n- **THEN** b\n`;

async function load(files: Record<string, string>): Promise<OpenSpecWorkspace> {
  const workspace = await scanWorkspace(new MemoryFileSystem({ [MAIN]: SPEC, ...files }), '/p');
  assert.ok(workspace);
  return workspace;
}

/** Completions for the last line of `text`, with the cursor at its end. */
async function complete(file: string, text: string, extra: Record<string, string> = {}) {
  const workspace = await load({ [file]: text, ...extra });
  const lines = text.split('\n');
  const last = lines[lines.length - 1] ?? '';
  return completionsAt(workspace, file, lines.length - 1, last.length, last);
}

describe('requirement completion in delta specs', () => {
  it('offers the main spec names in MODIFIED and inserts the whole current block', async () => {
    const items = await complete(DELTA, '## MODIFIED Requirements\n### Requirement: ');
    assert.deepEqual(
      items.map((item) => item.label),
      ['Login', 'Lockout'],
    );
    const login = items[0]!;
    assert.equal(`### Requirement: ${login.insertText}`, LOGIN);
    assert.deepEqual([login.line, login.start, login.snippet], [1, '### Requirement: '.length, false]);
  });

  it('leaves out what the section already names', async () => {
    const items = await complete(DELTA, `## MODIFIED Requirements\n${LOGIN}\n\n### Requirement: `);
    assert.deepEqual(
      items.map((item) => item.label),
      ['Lockout'],
    );
  });

  it('adds Reason and Migration in REMOVED', async () => {
    const [first] = await complete(DELTA, '## REMOVED Requirements\n### Requirement: ');
    assert.equal(first?.snippet, true);
    assert.match(first?.insertText ?? '', /^Login\n\*\*Reason\*\*: \$\{1:[^}]+\}\n\*\*Migration\*\*: \$\{2:[^}]+\}$/);
  });

  it('completes a RENAMED FROM line with the quoted header', async () => {
    const items = await complete(DELTA, '## RENAMED Requirements\n- FROM: ');
    assert.equal(items[1]?.insertText, '`### Requirement: Lockout`');
  });

  it('never suggests an existing name in ADDED', async () => {
    const items = await complete(DELTA, '## ADDED Requirements\n### Requirement: ');
    assert.deepEqual(items, []);
  });

  it('offers the requirement and scenario snippets at the start of a line', async () => {
    const items = await complete(DELTA, '## ADDED Requirements\n');
    assert.deepEqual(
      items.map((item) => [item.label, item.kind]),
      [
        ['Requirement with a scenario', 'snippet'],
        ['Scenario with WHEN/THEN', 'snippet'],
      ],
    );
    assert.match(items[0]?.insertText ?? '', /SHALL[\s\S]*#### Scenario:[\s\S]*\*\*WHEN\*\*[\s\S]*\*\*THEN\*\*/);
  });
});

describe('capability completion in proposal.md', () => {
  const proposal = '## Why\nw\n## Capabilities\n### New Capabilities\n- `billing`: new\n### Modified Capabilities\n- `';

  it('offers main spec and delta capabilities, existing ones first under Modified', async () => {
    const items = await complete(PROPOSAL, proposal, {
      '/p/openspec/changes/c/specs/billing/spec.md': '## ADDED Requirements\n',
    });
    const ordered = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.deepEqual(
      ordered.map((item) => [item.label, item.insertText]),
      [
        ['auth', '`auth`'],
        ['billing', '`billing`'],
      ],
    );
  });

  it('offers nothing outside the capability lists', async () => {
    assert.deepEqual(await complete(PROPOSAL, '## Why\n- `'), []);
  });
});

describe('hover and definition on delta headers', () => {
  const delta = `## MODIFIED Requirements\n### Requirement: Login\nThe system SHALL log in fast.\n\n#### Scenario: Good password\n- **WHEN** a\n- **THEN** b\n\n#### Scenario: Remembered\n- **WHEN** e\n- **THEN** f\n\n## REMOVED Requirements\n### Requirement: Ghost\n`;

  it('shows the current text, the scenario changes and other changes touching it', async () => {
    const workspace = await load({ [DELTA]: delta, [OTHER]: '## REMOVED Requirements\n### Requirement: Login\n' });
    const hover = hoverAt(workspace, DELTA, 1, 3);
    assert.ok(hover);
    assert.ok(hover.contents.includes(LOGIN), hover.contents);
    assert.match(hover.contents, /Scenarios added: "Remembered"/);
    assert.match(hover.contents, /Scenarios dropped \(archive refuses\): "Bad password"/);
    assert.match(hover.contents, /Also removed by change 'd'/);
  });

  it('says archive would refuse a header naming no requirement', async () => {
    const workspace = await load({ [DELTA]: delta });
    assert.match(hoverAt(workspace, DELTA, 13, 0)?.contents ?? '', /has no requirement "Ghost": archive would refuse/);
  });

  it('goes from a MODIFIED header, a FROM line and a capability name to the main spec', async () => {
    const workspace = await load({
      [DELTA]: `${delta}## RENAMED Requirements\n- FROM: \`### Requirement: Lockout\`\n- TO: \`### Requirement: Locks\`\n`,
      [PROPOSAL]: '## Capabilities\n### Modified Capabilities\n- `auth`: x\n',
    });
    assert.deepEqual(definitionAt(workspace, DELTA, 1, 0), { path: MAIN, line: 6 });
    assert.deepEqual(definitionAt(workspace, DELTA, 15, 0), { path: MAIN, line: 17 });
    assert.deepEqual(definitionAt(workspace, PROPOSAL, 2, 4), { path: MAIN, line: 0 });
    assert.equal(definitionAt(workspace, DELTA, 13, 0), undefined);
  });
});
