import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { VALIDATION_MESSAGES } from '../../../src/core/validation/messages';
import { Validator } from '../../../src/core/validation/validator';

// Expected issues below were taken from `openspec validate <spec> --json` (1.13.2) on the same text.
const PURPOSE = 'Widgets are the unit of work that operators schedule and track.';
const scenario = (name: string) => `#### Scenario: ${name}\n- **WHEN** a user acts\n- **THEN** it works\n`;
const spinRequirement = `### Requirement: Spin\nThe system SHALL spin widgets.\n\n${scenario('Spins')}`;
const clean = `# widgets Specification\n\n## Purpose\n${PURPOSE}\n\n## Requirements\n${spinRequirement}`;
const MISSING_SECTIONS_GUIDE = VALIDATION_MESSAGES.GUIDE_MISSING_SPEC_SECTIONS;

function validate(content: string, strict = false) {
  return new Validator(new MemoryFileSystem(), strict).validateSpecContent('widgets', content);
}

describe('Validator.validateSpecContent (main specs)', () => {
  it('passes a well-formed spec with no issues', () => {
    assert.deepEqual(validate(clean), { valid: true, issues: [], summary: { errors: 0, warnings: 0, info: 0 } });
  });

  it('reports a missing Purpose or Requirements section as one error on "file", with the guide', () => {
    const noPurpose = validate(`# w\n\n## Requirements\n${spinRequirement}`);
    assert.equal(noPurpose.valid, false);
    assert.deepEqual(noPurpose.issues, [
      { level: 'ERROR', path: 'file', message: `Spec must have a Purpose section. ${MISSING_SECTIONS_GUIDE}` },
    ]);
    assert.deepEqual(validate(`# w\n\n## Purpose\n${PURPOSE}\n`).issues, [
      { level: 'ERROR', path: 'file', message: `Spec must have a Requirements section. ${MISSING_SECTIONS_GUIDE}` },
    ]);
  });

  it('warns about a brief Purpose, which fails only in strict mode', () => {
    const brief = `# w\n\n## Purpose\nShort.\n\n## Requirements\n${spinRequirement}`;
    const issues = [
      { level: 'WARNING', path: 'overview', message: 'Purpose section is too brief (less than 50 characters)' },
    ];
    assert.deepEqual(validate(brief), { valid: true, issues, summary: { errors: 0, warnings: 1, info: 0 } });
    assert.equal(validate(brief, true).valid, false);
  });

  it('reports the placeholder Purpose archive writes, on the line that carries it', () => {
    const spec = `# w\n\n## Purpose\n\nTBD - created by archiving change add-w. Update Purpose after archive.\n\n## Requirements\n${spinRequirement}`;
    assert.deepEqual(validate(spec).issues, [
      { level: 'WARNING', path: 'overview', line: 5, message: VALIDATION_MESSAGES.PURPOSE_IS_PLACEHOLDER },
    ]);
  });

  it('treats a leading TODO as a placeholder but leaves Spanish "Todo" prose alone', () => {
    const withPurpose = (purpose: string) => `# w\n\n## Purpose\n${purpose}\n\n## Requirements\n${spinRequirement}`;
    assert.deepEqual(
      validate(withPurpose('TODO write this later, it is long enough to pass the length check.')).issues,
      [{ level: 'WARNING', path: 'overview', line: 4, message: VALIDATION_MESSAGES.PURPOSE_IS_PLACEHOLDER }],
    );
    assert.deepEqual(
      validate(withPurpose('Todo el sistema debe funcionar correctamente para los usuarios finales.')).issues,
      [],
    );
  });

  it('reports structural mistakes with their line numbers', () => {
    const spec =
      `# w\n\n### Requirement: Early\nThe system SHALL.\n\n## Purpose\n${PURPOSE}\n\n## Requirements\n${spinRequirement}\n` +
      `### Requirement: Spin ##\nThe system SHALL spin.\n\n${scenario('Again')}\n## ADDED Requirements\n`;
    assert.deepEqual(validate(spec).issues, [
      {
        level: 'ERROR',
        path: 'file',
        line: 3,
        message:
          'Requirement header "### Requirement: Early" appears outside the main ## Requirements section. Main specs only parse requirements inside that section, so this requirement is currently invisible to validate, list, and archive.',
      },
      {
        level: 'ERROR',
        path: 'file',
        line: 17,
        message:
          'Requirement header "### Requirement: Spin ##" duplicates the requirement declared on line 10. Requirement names must be unique so spec updates cannot discard one block while updating another.',
      },
      {
        level: 'ERROR',
        path: 'file',
        line: 24,
        message:
          'Main spec contains delta header "## ADDED Requirements". Delta headers are only valid inside openspec/changes/<name>/specs/<capability-path>/spec.md and truncate the parsed ## Requirements section.',
      },
    ]);
  });

  it('counts lines the same for CRLF text with a BOM', () => {
    const spec =
      `\uFEFF## Purpose\n${PURPOSE}\n\n## Requirements\n${spinRequirement}\n## MODIFIED Requirements\n`.replace(
        /\n/g,
        '\r\n',
      );
    assert.deepEqual(
      validate(spec).issues.map((found) => [found.level, found.line]),
      [['ERROR', 12]],
    );
  });

  it('checks scenarios, requirement length and where SHALL/MUST is written', () => {
    const spec =
      `# w\n\n## Purpose\n${PURPOSE}\n\n## Requirements\n` +
      '### Requirement: Bare\nThe system SHALL x.\n\n#### Scenario: empty\n\n' +
      `### Requirement: The system SHALL fly\n\n${scenario('Flies')}\n` +
      `### Requirement: Quiet\nNo keyword here.\n\n${scenario('Hush')}\n` +
      `### Requirement: Long\nThe system SHALL ${'x'.repeat(500)}\n\n${scenario('L')}`;
    const report = validate(spec);
    assert.deepEqual(report.issues, [
      { level: 'ERROR', path: 'requirements.0.scenarios', message: 'Requirement must have at least one scenario' },
      {
        level: 'WARNING',
        path: 'requirements[0].scenarios',
        message: `Requirement must have at least one scenario. ${VALIDATION_MESSAGES.GUIDE_SCENARIO_FORMAT}`,
      },
      {
        level: 'INFO',
        path: 'requirements[3]',
        message: 'Requirement text is very long (>500 characters). Consider breaking it down.',
      },
      {
        level: 'ERROR',
        path: 'requirements[1]',
        message:
          'Requirement "The system SHALL fly" must contain SHALL or MUST in the requirement body, not only in the header. Move the SHALL/MUST statement to the line immediately after the "### Requirement: ..." header.',
      },
      {
        level: 'WARNING',
        path: 'requirements[2]',
        message: 'Requirement "Quiet" should contain SHALL or MUST (RFC 2119 best practice for English specs)',
      },
    ]);
    assert.deepEqual(report.summary, { errors: 2, warnings: 2, info: 1 });
  });

  it('ignores requirement and delta headers inside fenced code', () => {
    const spec = `${clean}\n\`\`\`md\n### Requirement: Fake\n## ADDED Requirements\n\`\`\`\n`;
    assert.deepEqual(validate(spec).issues, []);
  });
});

describe('Validator.validateSpec', () => {
  it('reads the file through the injected file system', async () => {
    const fs = new MemoryFileSystem({ '/p/openspec/specs/widgets/spec.md': clean.replace(PURPOSE, 'Short.') });
    const report = await new Validator(fs).validateSpec('/p/openspec/specs/widgets/spec.md');
    assert.deepEqual(
      report.issues.map((found) => found.path),
      ['overview'],
    );
  });

  it('reports an unreadable file instead of throwing', async () => {
    const report = await new Validator(new MemoryFileSystem()).validateSpec('/p/openspec/specs/missing/spec.md');
    assert.equal(report.valid, false);
    assert.deepEqual(
      report.issues.map((found) => [found.level, found.path]),
      [['ERROR', 'file']],
    );
  });
});
