import * as assert from 'node:assert/strict';
import { checkDeltaSpecContent } from '../../../src/core/validation/deltaSpecChecks';

// Expected messages were taken from `openspec validate <change> --json` (1.13.2) on the same text.
const ENTRY = 'widgets/spec.md';
const scenario = (name: string) => `#### Scenario: ${name}\n- **WHEN** a user acts\n- **THEN** it works\n`;
const requirement = (name: string, body = 'The system SHALL work.', scenarios = [name]) =>
  `### Requirement: ${name}\n${body}\n\n${scenarios.map(scenario).join('\n')}\n`;

function summary(content: string): Array<[string, number | undefined, string]> {
  return checkDeltaSpecContent(content, ENTRY).issues.map((found) => {
    assert.equal(found.path, ENTRY);
    return [found.level, found.line, found.message];
  });
}

describe('checkDeltaSpecContent', () => {
  it('accepts a clean ADDED requirement and counts it as one delta', () => {
    const check = checkDeltaSpecContent(`## ADDED Requirements\n${requirement('Spin')}`, ENTRY);
    assert.deepEqual(check.issues, []);
    assert.equal(check.deltaCount, 1);
    assert.deepEqual(check.sectionNames, ['## ADDED Requirements']);
    assert.equal(check.emptiness, undefined);
  });

  it('notes stray level-3 headers and warns about requirements outside delta sections, with lines', () => {
    const content = `## ADDED Requirements\n\n### Requirement:\n${requirement('Spin')}### Scenario: Spins\n\n## Notes\n### Requirement: Lost\nThe system SHALL.\n`;
    assert.deepEqual(summary(content), [
      [
        'INFO',
        3,
        'Header "### Requirement:" in ADDED Requirements is missing a requirement name and is ignored by validation. Add a name, e.g. "### Requirement: <name>".',
      ],
      [
        'INFO',
        11,
        'Header "### Scenario: Spins" in ADDED Requirements is not a "### Requirement:" header and is ignored by validation. Use "### Requirement: Scenario: Spins" if it should be validated as a requirement.',
      ],
      [
        'WARNING',
        14,
        'Requirement "Lost" is under "## Notes", which is not a delta section, so it is ignored. Move it under "## ADDED Requirements", "## MODIFIED Requirements", "## REMOVED Requirements", or "## RENAMED Requirements".',
      ],
    ]);
  });

  it('quotes the section title as the author spelled it and keeps lines right for repeated sections', () => {
    const content = `## added requirements\n${requirement('One')}\n## ADDED Requirements\n### Stray\n${requirement('Two')}`;
    const check = checkDeltaSpecContent(content, ENTRY);
    assert.deepEqual(
      check.issues.map((found) => [found.line, found.message.slice(0, 40)]),
      [[11, 'Header "### Stray" in added requirements']],
    );
    assert.equal(check.deltaCount, 2);
  });

  it('reports FROM/TO lines that never pair, on their lines', () => {
    const content =
      '## RENAMED Requirements\n- FROM: `### Requirement: A`\n- FROM: `### Requirement: B`\n- TO: `### Requirement: C`\n- TO: `### Requirement: D`\n';
    const hint = 'Write each rename as a FROM: line followed immediately by its TO: line.';
    assert.deepEqual(summary(content), [
      ['ERROR', 2, `RENAMED FROM: "A" has no matching TO: line. ${hint}`],
      ['ERROR', 5, `RENAMED TO: "D" has no matching FROM: line. ${hint}`],
    ]);
  });

  it('checks ADDED and MODIFIED text, keywords, duplicates and scenarios', () => {
    const content =
      `## ADDED Requirements\n${requirement('Quiet', 'no keyword')}${requirement('Quiet', 'no keyword')}` +
      `### Requirement: The system MUST fly\n\n${scenario('Flies')}\n### Requirement: Empty\n\n` +
      '## MODIFIED Requirements\n### Requirement: Bare\nThe system SHALL x.\n\n#### Scenario: bare\n';
    const quiet = 'ADDED "Quiet" should contain SHALL or MUST (RFC 2119 best practice for English specs)';
    assert.deepEqual(summary(content), [
      ['WARNING', undefined, quiet],
      ['ERROR', undefined, 'Duplicate requirement in ADDED: "Quiet"'],
      ['WARNING', undefined, quiet],
      [
        'ERROR',
        undefined,
        'ADDED "The system MUST fly" must contain SHALL or MUST in the requirement body, not only in the header. Move the SHALL/MUST statement to the line immediately after the "### Requirement: ..." header.',
      ],
      ['ERROR', undefined, 'ADDED "Empty" is missing requirement text'],
      ['ERROR', undefined, 'ADDED "Empty" must include at least one scenario'],
      [
        'ERROR',
        undefined,
        'MODIFIED "Bare" must include at least one scenario (a scenario header with no body under it does not count; add its steps, e.g. "- **WHEN** ..." and "- **THEN** ...")',
      ],
    ]);
  });

  it('reports duplicates and conflicts across sections, after the point where scenario loss is inserted', () => {
    const content =
      `## ADDED Requirements\n${requirement('New')}${requirement('Gone')}\n## MODIFIED Requirements\n${requirement('Old')}${requirement('Gone')}\n` +
      '## REMOVED Requirements\n- `### Requirement: Gone`\n- `### Requirement: gone`\n- `### Requirement: Gone`\n\n' +
      '## RENAMED Requirements\n- FROM: `### Requirement: Old`\n- TO: `### Requirement: New`\n- FROM: `### Requirement: Old`\n- TO: `### Requirement: Newer`\n';
    const check = checkDeltaSpecContent(content, ENTRY);
    assert.equal(check.scenarioLossIndex, 0);
    assert.equal(check.deltaCount, 9);
    assert.deepEqual(
      check.issues.map((found) => found.message),
      [
        'Duplicate requirement in REMOVED: "Gone"',
        'Duplicate FROM in RENAMED: "Old"',
        'Requirement present in both MODIFIED and REMOVED: "Gone"',
        'Requirement present in both MODIFIED and ADDED: "Gone"',
        'Requirement present in both ADDED and REMOVED: "Gone"',
        'MODIFIED references old name from RENAMED. Use new header for "New"',
        'RENAMED TO collides with ADDED for "New"',
        'MODIFIED references old name from RENAMED. Use new header for "Newer"',
      ],
    );
  });

  it('names a RENAMED+REMOVED conflict even when REMOVED spells the name differently', () => {
    const content =
      '## RENAMED Requirements\n- FROM: `### Requirement: Old Name`\n- TO: `### Requirement: New`\n\n## REMOVED Requirements\n- `### Requirement: old  name`\n';
    assert.deepEqual(
      summary(content).map(([, , message]) => message),
      ['Requirement present in both RENAMED and REMOVED: "Old Name" (REMOVED spells it "old  name")'],
    );
  });

  it('explains why a file contributes no deltas', () => {
    const empty = checkDeltaSpecContent(
      '## ADDED Requirements\n## REMOVED Requirements\n## RENAMED Requirements\n',
      'a/spec.md',
    );
    assert.deepEqual(empty.emptiness, {
      kind: 'emptySections',
      issue: {
        level: 'ERROR',
        path: 'a/spec.md',
        message:
          'Delta sections ## ADDED Requirements, ## REMOVED Requirements and ## RENAMED Requirements were found, but no requirement entries parsed. Ensure each section includes at least one "### Requirement:" block (REMOVED may use bullet list syntax).',
      },
    });
    const notes = checkDeltaSpecContent('# notes only\n```\n## ADDED Requirements\n```\n', 'b/spec.md');
    assert.deepEqual(notes.emptiness, {
      kind: 'noSections',
      issue: {
        level: 'ERROR',
        path: 'b/spec.md',
        message:
          'No delta sections found. Add headers such as "## ADDED Requirements" or move non-delta notes outside specs/.',
      },
    });
  });

  it('reads CRLF text with a BOM with the same lines', () => {
    const content = `\uFEFF## ADDED Requirements\n### Scenario: x\n${requirement('Spin')}`.replace(/\n/g, '\r\n');
    assert.deepEqual(
      summary(content).map(([level, line]) => [level, line]),
      [['INFO', 2]],
    );
  });

  it('checks a 2,000-line delta spec quickly', () => {
    let body = '';
    for (let i = 0; body.split('\n').length < 2000; i++)
      body += requirement(`R${i}`, `The system SHALL do ${i}.`, [`a${i}`, `b${i}`]);
    const content = `## ADDED Requirements\n${body}`;
    checkDeltaSpecContent(content, ENTRY);
    const started = process.hrtime.bigint();
    const check = checkDeltaSpecContent(content, ENTRY);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.deepEqual(check.issues, []);
    // Typically a few milliseconds; the bound is loose so a busy machine does not fail it, but a quadratic
    // reader would.
    assert.ok(elapsedMs < 100, `took ${elapsedMs} ms`);
  });
});
