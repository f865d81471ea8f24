import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { cleanModelText } from '../../../../src/core/ai/improve/dirtyText';
import { listDocument } from '../../../../src/core/ai/prompt/documentListing';
import { DESIGN, PROPOSAL, TAGS_DELTA, TASKS } from './impactSamples';

/** The repository root, from the compiled location out/test/unit/ai/improve/. */
const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..', '..');

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The numbered lines of a listing as our prompts write them, without the <file> wrapper. */
function numberedAsListed(text: string): string {
  const listing = listDocument('x', text).split('\n');
  return `${listing.slice(1, -1).join('\n')}\n`;
}

describe('cleanModelText: what a model wraps around or writes into a document', () => {
  describe('cleans mechanically', () => {
    it('takes off listing numbers exactly as our listings write them', () => {
      const result = cleanModelText(numberedAsListed(TASKS), TASKS);
      assert.equal(result.text, TASKS);
      assert.deepEqual(result.cleaned, ['removed listing numbers from 14 of 14 lines']);
      assert.deepEqual(result.problems, []);
    });

    it('takes off numbers when blank lines were left unnumbered, keeping indentation', () => {
      const base =
        '## 1. Storage\n\n- [ ] 1.1 Add the table\n  - [ ] 1.1.1 Its migration\n\n## 2. API\n- [ ] 2.1 Endpoint\n';
      const numbered =
        '1: ## 1. Storage\n\n3: - [ ] 1.1 Add the table\n4:   - [ ] 1.1.1 Its migration\n\n6: ## 2. API\n7: - [ ] 2.1 Endpoint\n';
      assert.equal(cleanModelText(numbered, base).text, base);
    });

    it('takes off "12 | " and "  12  " prefixes models retype', () => {
      const lines = DESIGN.trimEnd().split('\n');
      const piped = lines.map((line, index) => `${index + 1} | ${line}`).join('\n');
      assert.equal(cleanModelText(piped, DESIGN).text, DESIGN.trimEnd());
      const padded = lines.map((line, index) => `${String(index + 1).padStart(4)}  ${line}`).join('\n');
      assert.equal(cleanModelText(padded, DESIGN).text, DESIGN.trimEnd());
    });

    it('keeps CRLF line endings while taking numbers off', () => {
      const crlf = TAGS_DELTA.replace(/\n/g, '\r\n');
      const result = cleanModelText(numberedAsListed(TAGS_DELTA).replace(/\n/g, '\r\n'), crlf);
      assert.equal(result.text, crlf);
    });

    it('leaves numbers that do not count lines (a numbered list of years)', () => {
      const text = '2019: founded\n2021: first office\n2020: moved\n2024: closed\n';
      assert.equal(cleanModelText(text, '# History\n').text, text);
    });

    it('leaves numbers on a few lines only', () => {
      const text = `${PROPOSAL}\n1: a note\n2: another\n`;
      const result = cleanModelText(text, PROPOSAL);
      assert.equal(result.text, text);
      assert.deepEqual(result.cleaned, []);
    });

    it('leaves a numbered document numbered when the base is written that way', () => {
      const base = '1: first\n2: second\n3: third\n';
      const result = cleanModelText('1: first\n2: second, sharper\n3: third\n', base);
      assert.equal(result.text, '1: first\n2: second, sharper\n3: third\n');
      assert.deepEqual(result.cleaned, []);
    });

    it('unwraps a code fence around the whole answer', () => {
      const result = cleanModelText('```markdown\n' + PROPOSAL + '```', PROPOSAL);
      assert.equal(result.text, PROPOSAL.trimEnd());
      assert.deepEqual(result.cleaned, ['removed a code fence around the whole answer']);
      assert.deepEqual(result.problems, []);
    });

    it('keeps the fence when the document itself opens with one', () => {
      const base = '```yaml\nschema: spec-driven\n```\n';
      assert.equal(cleanModelText(base, base).text, base);
      assert.equal(cleanModelText('```yaml\nschema: x\n```\n', base).text, '```yaml\nschema: x\n```\n');
    });

    it('unwraps a fence and then takes off the numbers inside it', () => {
      const result = cleanModelText('```\n' + numberedAsListed(TASKS) + '```\n', TASKS);
      assert.equal(result.text, TASKS.trimEnd());
      assert.equal(result.cleaned.length, 2);
    });
  });

  describe('reports what it cannot clean', () => {
    it('think tags', () => {
      const result = cleanModelText(`<think>The user wants tags.</think>\n${PROPOSAL}`, PROPOSAL);
      assert.equal(result.text, `<think>The user wants tags.</think>\n${PROPOSAL}`);
      assert.match(result.problems.join('\n'), /<think> tags/);
    });

    it('a closing think tag alone', () => {
      assert.match(cleanModelText(`reasoning</think>\n${PROPOSAL}`, PROPOSAL).problems.join('\n'), /<think> tags/);
    });

    it('reasoning at the start', () => {
      for (const opening of [
        'Okay, let me look at the proposal.',
        'Thinking Process:',
        'Let me analyze the findings first.',
        'The user wants me to fix the tasks.',
      ]) {
        const result = cleanModelText(`${opening}\n\n${TASKS}`, TASKS);
        assert.match(result.problems.join('\n'), /starts with reasoning/, opening);
      }
    });

    it('the instructions echoed', () => {
      const echoed = `${TASKS}\n- Keep the structure, the headings and every sentence that is already fine, word for word. Do not reorder.\n`;
      assert.match(
        cleanModelText(echoed, TASKS).problems.join('\n'),
        /repeats the instructions \("- Keep the structure/,
      );
      const task = `Fix these review findings:\n- [warning] Vague.\n\n${TASKS}`;
      assert.match(
        cleanModelText(task, TASKS).problems.join('\n'),
        /repeats the instructions \("Fix these review findings:"\)/,
      );
      const schema = `${TASKS}\nAnswer with exactly one JSON object and nothing else.\n`;
      assert.match(cleanModelText(schema, TASKS).problems.join('\n'), /Answer with exactly one JSON object/);
      const listing = `<file path="openspec/changes/add-note-tags/tasks.md" lines="1-14">\n${TASKS}</file>\n`;
      assert.match(
        cleanModelText(listing, TASKS).problems.join('\n'),
        /repeats the instructions \("<file path=".*and 1 more\)/,
      );
    });

    it('the JSON answer itself, or its fields, in the text', () => {
      const whole = JSON.stringify({ summary: 'Fixed.', document: PROPOSAL });
      assert.match(cleanModelText(whole, PROPOSAL).problems.join('\n'), /is JSON/);
      const fields = `"summary": "Fixed the wording",\n"document": "## Why\\n..."`;
      assert.match(cleanModelText(fields, PROPOSAL).problems.join('\n'), /is JSON/);
    });

    it('nothing for a clean improvement', () => {
      const improved = PROPOSAL.replace('more than a few dozen notes', 'more than 50 notes');
      assert.deepEqual(cleanModelText(improved, PROPOSAL), { text: improved, cleaned: [], problems: [] });
    });
  });

  // A catastrophic slowdown shows as mocha's test timeout; speed itself is npm run bench's to judge.
  it('never throws on inputs built to be slow', () => {
    const slow = [
      `${' '.repeat(100_000)}x`,
      `{${' '.repeat(100_000)}`,
      `1:${' '.repeat(100_000)}`,
      '1: a\n'.repeat(20_000),
      `${'```\n'.repeat(5000)}`,
      '\r'.repeat(50_000),
      '',
    ];
    for (const text of slow) {
      for (const base of ['', TASKS, text]) assert.equal(typeof cleanModelText(text, base).text, 'string');
    }
  });

  describe('never changes a clean text', () => {
    const roots = [join(REPO_ROOT, 'test', 'fixtures'), join(REPO_ROOT, 'examples')];
    const files = roots.flatMap(listFiles).filter((file) => /\.(md|ya?ml|json|txt)$/i.test(file));

    it('finds the fixture documents', () => {
      assert.ok(files.length > 100, `only ${files.length} fixture files found`);
    });

    it('passes every fixture document through unchanged, compared with itself', () => {
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        assert.deepEqual(cleanModelText(text, text), { text, cleaned: [], problems: [] }, relative(REPO_ROOT, file));
      }
    });

    it('passes every fixture markdown and YAML document through unchanged as a new file', () => {
      for (const file of files.filter((candidate) => /\.(md|ya?ml)$/i.test(candidate))) {
        const text = readFileSync(file, 'utf8');
        assert.deepEqual(cleanModelText(text, ''), { text, cleaned: [], problems: [] }, relative(REPO_ROOT, file));
      }
    });

    it('passes CRLF and BOM copies through unchanged', () => {
      for (const text of [PROPOSAL, TASKS, TAGS_DELTA, DESIGN]) {
        for (const variant of [text.replace(/\n/g, '\r\n'), `\uFEFF${text}`, `\uFEFF${text.replace(/\n/g, '\r\n')}`]) {
          assert.deepEqual(cleanModelText(variant, text), { text: variant, cleaned: [], problems: [] });
        }
      }
    });
  });
});
