import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { VALIDATION_MESSAGES } from '../../../src/core/validation/messages';
import { Validator } from '../../../src/core/validation/validator';

// Expected issues were taken from `openspec validate <change> --json` (1.13.2) on the same files.
const ROOT = '/p';
const CHANGE = `${ROOT}/openspec/changes/c`;
const MAIN_SPECS = `${ROOT}/openspec/specs`;
const scenario = (name: string) => `#### Scenario: ${name}\n- **WHEN** a user acts\n- **THEN** it works\n`;
const requirement = (name: string, body = 'The system SHALL work.', scenarios = [name]) =>
  `### Requirement: ${name}\n${body}\n\n${scenarios.map(scenario).join('\n')}\n`;
const NO_DELTAS = `${VALIDATION_MESSAGES.CHANGE_NO_DELTAS}. ${VALIDATION_MESSAGES.GUIDE_NO_DELTAS}`;

function changeFiles(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([rel, text]) => [`${CHANGE}/${rel}`, text]));
}

async function validateChange(files: Record<string, string>, strict = false, withProject = false) {
  const fs = new MemoryFileSystem(files);
  fs.mkdir(CHANGE);
  const options = withProject ? { mainSpecsDir: MAIN_SPECS, projectRoot: ROOT } : {};
  return new Validator(fs, strict).validateChangeDeltaSpecs(CHANGE, options);
}

describe('Validator.validateChangeDeltaSpecs', () => {
  it('requires at least one delta', async () => {
    const report = await validateChange(changeFiles({ 'proposal.md': '## Why\n' }));
    assert.deepEqual(report, {
      valid: false,
      issues: [{ level: 'ERROR', path: 'file', message: NO_DELTAS }],
      summary: { errors: 1, warnings: 0, info: 0 },
    });
  });

  it('treats a file where specs/ should be as no deltas', async () => {
    const report = await validateChange(changeFiles({ specs: 'not a folder' }));
    assert.deepEqual(
      report.issues.map((found) => found.message),
      [NO_DELTAS],
    );
  });

  it('passes a valid delta, and fails a warning only in strict mode', async () => {
    const files = changeFiles({
      'specs/widgets/spec.md': `## ADDED Requirements\n${requirement('Spin', 'no keyword')}`,
    });
    const lenient = await validateChange(files);
    assert.equal(lenient.valid, true);
    assert.deepEqual(lenient.summary, { errors: 0, warnings: 1, info: 0 });
    assert.equal((await validateChange(files, true)).valid, false);
  });

  it('reports misplaced and empty delta files after the per-file findings, in the CLI order', async () => {
    const report = await validateChange(
      changeFiles({
        'specs/a/spec.md': '## ADDED Requirements\n## REMOVED Requirements\n## RENAMED Requirements\n',
        'specs/b/spec.md': '# notes only\n',
        'specs/b/extra.md': '## ADDED Requirements\n',
        'specs/spec.md': '## ADDED Requirements\n',
      }),
    );
    assert.deepEqual(
      report.issues.map((found) => [found.level, found.path, found.message.slice(0, 40)]),
      [
        ['ERROR', 'spec.md', 'Delta spec found at specs/spec.md. Delta'],
        ['ERROR', 'b/extra.md', 'Delta spec found at specs/b/extra.md. De'],
        ['ERROR', 'a/spec.md', 'Delta sections ## ADDED Requirements, ##'],
        ['ERROR', 'b/spec.md', 'No delta sections found. Add headers suc'],
      ],
    );
  });

  it('accepts zero deltas under skip_specs, and rejects skip_specs next to spec files', async () => {
    const marker = { '.openspec.yaml': 'schema: spec-driven\nskip_specs: true\n' };
    const accepted = await validateChange(changeFiles(marker));
    assert.deepEqual(accepted.issues, [
      { level: 'INFO', path: 'file', message: VALIDATION_MESSAGES.CHANGE_SKIP_SPECS_ACCEPTED },
    ]);
    assert.equal(accepted.valid, true);
    const conflict = await validateChange(changeFiles({ ...marker, 'specs/w/spec.md': '# nothing\n' }));
    assert.deepEqual(
      conflict.issues.map((found) => [found.path, found.message]),
      [
        [
          'w/spec.md',
          'No delta sections found. Add headers such as "## ADDED Requirements" or move non-delta notes outside specs/.',
        ],
        ['file', VALIDATION_MESSAGES.CHANGE_SKIP_SPECS_CONFLICT],
      ],
    );
  });

  it('reports an invalid skip_specs marker on .openspec.yaml', async () => {
    const report = await validateChange(changeFiles({ '.openspec.yaml': 'schema: nope\nskip_specs: true\n' }));
    assert.deepEqual(report.issues, [
      {
        level: 'ERROR',
        path: '.openspec.yaml',
        message: `${VALIDATION_MESSAGES.CHANGE_SKIP_SPECS_INVALID_METADATA} (schema: unknown schema 'nope')`,
      },
      { level: 'ERROR', path: 'file', message: NO_DELTAS },
    ]);
  });

  it('with the project: inserts scenario loss after the MODIFIED checks and adds task findings', async () => {
    const files = {
      [`${ROOT}/openspec/config.yaml`]: 'schema: spec-driven\n',
      [`${MAIN_SPECS}/widgets/spec.md`]:
        '# widgets Specification\n\n## Purpose\nWidgets are the unit of work that operators schedule and track.\n\n## Requirements\n' +
        requirement('Spin', 'The system SHALL spin.', ['Spins fast', 'Stops']),
      ...changeFiles({
        'specs/widgets/spec.md':
          `## ADDED Requirements\n${requirement('Quiet', 'nothing')}\n## MODIFIED Requirements\n${requirement('Spin', 'The system SHALL spin.', ['Spins fast'])}\n` +
          '## REMOVED Requirements\n- `### Requirement: X`\n- `### Requirement: X`\n',
        'tasks.md': '## 1. Work\n- [ ] 1.1 Do\n- [ ] 1.1 Again\n',
      }),
    };
    const report = await validateChange(files, false, true);
    assert.deepEqual(report.issues, [
      {
        level: 'WARNING',
        path: 'widgets/spec.md',
        message: 'ADDED "Quiet" should contain SHALL or MUST (RFC 2119 best practice for English specs)',
      },
      {
        level: 'ERROR',
        path: 'widgets/spec.md',
        message:
          'MODIFIED "Spin" omits scenario(s) the current spec still has: "Stops". The modified block has 1 scenario; the current spec has 2 scenarios. It adds none. Copy the omitted scenarios into the MODIFIED block (a MODIFIED requirement replaces the whole block, so archive refuses to drop them).',
      },
      { level: 'ERROR', path: 'widgets/spec.md', message: 'Duplicate requirement in REMOVED: "X"' },
      {
        level: 'WARNING',
        path: 'tasks.md',
        line: 3,
        message: 'Task ID "1.1" is duplicated; it was first declared on line 2.',
      },
    ]);
  });

  it('with the project: notes what archive would refuse without failing the change', async () => {
    const files = {
      [`${ROOT}/openspec/config.yaml`]: 'schema: spec-driven\n',
      ...changeFiles({
        'specs/widgets/spec.md': `## MODIFIED Requirements\n${requirement('Ghost')}`,
        'tasks.md': '## 1. Work\n- [ ] 1.1 Do\n',
      }),
    };
    const report = await validateChange(files, true, true);
    assert.equal(report.valid, true);
    assert.deepEqual(
      report.issues.map((found) => [found.level, found.path]),
      [['INFO', 'widgets/spec.md']],
    );
    assert.match(report.issues[0]?.message ?? '', /^Archive would refuse this delta: /);
  });
});
