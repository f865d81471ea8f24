import * as assert from 'node:assert/strict';
import { quickFixesFor, type QuickFix } from '../../../src/core/quickfix/specQuickFixes';
import { checkDeltaSpecContent } from '../../../src/core/validation/deltaSpecChecks';
import { checkSpecContent } from '../../../src/core/validation/mainSpecChecks';

function apply(text: string, fix: QuickFix): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  const offsetOf = (line: number, character: number): number =>
    lines.slice(0, line).reduce((sum, current) => sum + current.length + eol.length, 0) + character;
  const sorted = [...fix.edits].sort(
    (a, b) =>
      offsetOf(b.range.start.line, b.range.start.character) - offsetOf(a.range.start.line, a.range.start.character),
  );
  let result = text;
  for (const edit of sorted) {
    const start = offsetOf(edit.range.start.line, edit.range.start.character);
    const end = offsetOf(edit.range.end.line, edit.range.end.character);
    result = result.slice(0, start) + edit.newText + result.slice(end);
  }
  return result;
}

function deltaMessages(text: string): string[] {
  return checkDeltaSpecContent(text, 'spec.md').issues.map((issue) => issue.message);
}

const NO_SCENARIO_DELTA = [
  '## ADDED Requirements',
  '',
  '### Requirement: Expiry choice',
  'The owner SHALL choose when a link expires.',
  '',
  '### Requirement: Revocation',
  'The owner SHALL revoke a link.',
  '',
  '#### Scenario: Revoke',
  '- **WHEN** the owner revokes',
  '- **THEN** the link stops working',
  '',
].join('\n');

describe('spec quick fixes', () => {
  it('adds a scenario skeleton after the requirement text, which clears the missing-scenario error', () => {
    const message = 'ADDED "Expiry choice" must include at least one scenario';
    assert.ok(deltaMessages(NO_SCENARIO_DELTA).includes(message));
    const [fix] = quickFixesFor(NO_SCENARIO_DELTA, { line: 2, message });
    assert.ok(fix);
    assert.equal(fix.kind, 'addScenario');
    const fixed = apply(NO_SCENARIO_DELTA, fix);
    assert.deepEqual(deltaMessages(fixed), []);
    const lines = fixed.split('\n');
    assert.equal(
      lines[5],
      '#### Scenario: Expiry choice',
      'the scenario follows the requirement text, before the next requirement',
    );
    assert.equal(lines[8], '', 'a blank line still separates it from the next requirement');
    assert.equal(lines[9], '### Requirement: Revocation');
  });

  it('keeps CRLF line endings in what it inserts', () => {
    const crlf = NO_SCENARIO_DELTA.replace(/\n/g, '\r\n');
    const [fix] = quickFixesFor(crlf, { line: 2, message: 'ADDED "Expiry choice" must include at least one scenario' });
    assert.ok(fix);
    const fixed = apply(crlf, fix);
    assert.equal(fixed.replace(/\r\n/g, '').includes('\n'), false, 'no bare LF was introduced');
  });

  it('adds a scenario to a main-spec requirement found by the finding line', () => {
    const spec = [
      '# notes Specification',
      '',
      '## Purpose',
      'Notes let people keep short texts and find them again later, by title or tag.',
      '',
      '## Requirements',
      '',
      '### Requirement: Create note',
      'The system SHALL create a note.',
      '',
    ].join('\n');
    assert.ok(
      checkSpecContent('notes', spec).some((issue) =>
        issue.message.startsWith('Requirement must have at least one scenario'),
      ),
    );
    const [fix] = quickFixesFor(spec, {
      line: 7,
      message: 'Requirement must have at least one scenario. Scenarios must use level-4 headers.',
    });
    assert.ok(fix);
    assert.deepEqual(
      checkSpecContent('notes', apply(spec, fix)).filter((issue) => issue.level !== 'INFO'),
      [],
    );
  });

  it('writes the header SHALL statement as the body when the body is empty', () => {
    const delta = [
      '## ADDED Requirements',
      '',
      '### Requirement: The system SHALL log out idle users',
      '',
      '#### Scenario: Idle',
      '- **WHEN** idle for 30 minutes',
      '- **THEN** the user is logged out',
      '',
    ].join('\n');
    const [message] = deltaMessages(delta);
    assert.match(message ?? '', /not only in the header/);
    const [fix] = quickFixesFor(delta, { line: 2, message: message ?? '' });
    assert.ok(fix);
    assert.equal(fix.kind, 'shallIntoBody');
    const fixed = apply(delta, fix);
    assert.deepEqual(deltaMessages(fixed), []);
    assert.equal(fixed.split('\n')[3], 'The system SHALL log out idle users.');
  });

  it('renames the second of two same-named requirements to a free name', () => {
    const delta = [
      '## ADDED Requirements',
      '### Requirement: Tag a note',
      'The user SHALL tag a note.',
      '#### Scenario: Tag',
      '- **WHEN** tagging',
      '- **THEN** the tag shows',
      '### Requirement: Tag a note (2)',
      'The user SHALL tag again.',
      '#### Scenario: Again',
      '- **WHEN** tagging',
      '- **THEN** the tag shows',
      '### Requirement: Tag a note',
      'The user SHALL tag twice.',
      '#### Scenario: Twice',
      '- **WHEN** tagging',
      '- **THEN** the tag shows',
    ].join('\n');
    const message = 'Duplicate requirement in ADDED: "Tag a note"';
    assert.ok(deltaMessages(delta).includes(message));
    const [fix] = quickFixesFor(delta, { line: 11, message });
    assert.ok(fix);
    assert.equal(fix.title, 'Rename the duplicate to "Tag a note (3)"');
    const fixed = apply(delta, fix);
    assert.deepEqual(deltaMessages(fixed), []);
    assert.equal(fixed.split('\n')[1], '### Requirement: Tag a note', 'the first one keeps its name');
  });

  it('offers nothing for a finding without a mechanical fix', () => {
    const delta = [
      '## ADDED Requirements',
      '### Requirement: Vague',
      'Things happen.',
      '#### Scenario: S',
      '- **WHEN** a',
      '- **THEN** b',
    ].join('\n');
    const [message] = deltaMessages(delta);
    assert.ok(message);
    assert.deepEqual(quickFixesFor(delta, { line: 1, message }), []);
  });
});
