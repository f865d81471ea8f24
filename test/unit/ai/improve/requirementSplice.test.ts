import * as assert from 'node:assert/strict';
import { parseDeltaSpec } from '../../../../src/core/openspec/specDocuments';
import { conformToBase, detectLineEnding, stripWrappingFence } from '../../../../src/core/ai/improve/documentText';
import { requirementBlockFromAnswer, spliceLines } from '../../../../src/core/ai/improve/requirementSplice';

const DELTA = [
  '## ADDED Requirements',
  '',
  '### Requirement: Link expiry',
  'The system SHALL stop serving a shared link after its expiry date.',
  '',
  '#### Scenario: Link expired',
  '- **WHEN** someone opens a link after its expiry date',
  '- **THEN** they see "This link has expired"',
  '',
  '### Requirement: Expiry choice',
  'Owners choose how long a link lasts, quickly.  ',
  '',
  '## REMOVED Requirements',
  '### Requirement: Old',
  '**Reason**: gone',
  '',
].join('\n');

const NEW_BLOCK =
  '### Requirement: Expiry choice\nThe system SHALL let the owner pick 1, 7 or 30 days.\n\n#### Scenario: Owner picks 7 days\n- **WHEN** the owner picks 7 days\n- **THEN** the link expires 7 days later';

function splice(text: string, name: string, block: string): string {
  const requirement = parseDeltaSpec('/x/spec.md', 'x', text)
    .deltaSections.flatMap((section) => section.requirements)
    .find((r) => r.name === name);
  assert.ok(requirement, name);
  return spliceLines(text, requirement.range.start.line, requirement.range.end.line, block);
}

describe('requirement splicing', () => {
  it('replaces exactly the requirement block and keeps every other byte', () => {
    const result = splice(DELTA, 'Expiry choice', NEW_BLOCK);
    const start = DELTA.indexOf('### Requirement: Expiry choice');
    const end = DELTA.indexOf('quickly.  ') + 'quickly.  '.length;
    assert.equal(result, DELTA.slice(0, start) + NEW_BLOCK + DELTA.slice(end));
    assert.ok(result.endsWith('\n\n## REMOVED Requirements\n### Requirement: Old\n**Reason**: gone\n'));
  });

  it('keeps CRLF files CRLF, including the spliced lines', () => {
    const crlf = DELTA.replace(/\n/g, '\r\n');
    const result = splice(crlf, 'Link expiry', NEW_BLOCK.replace('Expiry choice', 'Link expiry'));
    assert.equal(detectLineEnding(result), '\r\n');
    assert.doesNotMatch(result.replace(/\r\n/g, ''), /[\r\n]/);
    assert.ok(
      result.startsWith(
        '## ADDED Requirements\r\n\r\n### Requirement: Link expiry\r\nThe system SHALL let the owner pick',
      ),
    );
    assert.ok(result.endsWith(crlf.slice(crlf.indexOf('\r\n\r\n### Requirement: Expiry choice'))));
  });

  it('splices the last block of a file without a final newline', () => {
    assert.equal(spliceLines('a\nb\nc', 2, 2, 'C1\nC2'), 'a\nb\nC1\nC2');
    assert.equal(spliceLines('a\r\nb\r\nc\r\n', 0, 1, 'x'), 'x\r\nc\r\n');
    assert.throws(() => spliceLines('a', 3, 3, 'x'), RangeError);
  });

  it('cleans up the block a model answers with', () => {
    const header = '### Requirement: Expiry choice';
    const body = 'The system SHALL let the owner pick.\n\n#### Scenario: S\n- **WHEN** a\n- **THEN** b';
    assert.equal(requirementBlockFromAnswer(`${header}\n${body}\n\n`, header), `${header}\n${body}`);
    assert.equal(
      requirementBlockFromAnswer(`\`\`\`markdown\n${header}\n${body}\n\`\`\``, header),
      `${header}\n${body}`,
    );
    assert.equal(
      requirementBlockFromAnswer(`## MODIFIED Requirements\n\n${header}\n${body}`, header),
      `${header}\n${body}`,
    );
    assert.equal(
      requirementBlockFromAnswer(`${header}\n${body}\n\n## REMOVED Requirements\n- x`, header),
      `${header}\n${body}`,
    );
    assert.equal(requirementBlockFromAnswer(`#### Requirement: Expiry choice\n${body}`, header), `${header}\n${body}`);
    assert.equal(requirementBlockFromAnswer(`Requirement: Expiry choice\n${body}`, header), `${header}\n${body}`);
    assert.equal(requirementBlockFromAnswer(body, header), `${header}\n${body}`);
  });
});

describe('document text shape', () => {
  it('strips only a fence wrapped around the whole answer', () => {
    assert.equal(stripWrappingFence('```markdown\n# T\n\ntext\n```'), '# T\n\ntext');
    assert.equal(stripWrappingFence('```\n# T\n```\n'), '# T');
    assert.equal(stripWrappingFence('~~~md\n# T\n~~~'), '# T');
    const inner = '# T\n\n```ts\ncode\n```';
    assert.equal(stripWrappingFence(inner), inner);
    assert.equal(stripWrappingFence('```json\n{}\n```'), '```json\n{}\n```');
  });

  it("gives the proposal the base file's line ending, BOM and final newlines", () => {
    assert.equal(conformToBase('a\nb\n\n\n', 'x\r\ny\r\n'), 'a\r\nb\r\n');
    assert.equal(conformToBase('a\nb\n', 'x\ny'), 'a\nb');
    assert.equal(conformToBase('a', '\uFEFFx\n\n'), '\uFEFFa\n\n');
  });
});
