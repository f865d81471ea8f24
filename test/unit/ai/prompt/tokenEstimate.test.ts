import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { estimateTokens } from '../../../../src/core/ai/tokenEstimate';

const SAMPLE = resolve(__dirname, '..', '..', '..', '..', '..', 'examples', 'sample-project');

/** Token counts of the Llama 3 tokenizer (the o200k counts differ by at most 2), measured once. */
const MEASURED: ReadonlyArray<readonly [string, number]> = [
  ['openspec/specs/notes/spec.md', 311],
  ['openspec/changes/add-note-tags/proposal.md', 122],
  ['openspec/changes/add-note-tags/tasks.md', 106],
  ['openspec/changes/add-note-tags/design.md', 91],
  ['openspec/config.yaml', 67],
];

describe('estimateTokens', () => {
  it('is zero for nothing and grows with the text', () => {
    assert.equal(estimateTokens(''), 0);
    assert.ok(estimateTokens('one two three') < estimateTokens('one two three four five six'));
  });

  it('stays at or above the real count of the sample documents, by less than 60%', () => {
    for (const [file, real] of MEASURED) {
      const estimate = estimateTokens(readFileSync(join(SAMPLE, file), 'utf8'));
      assert.ok(estimate >= real && estimate <= real * 1.6, `${file}: estimated ${estimate}, real ${real}`);
    }
  });

  it('does not undercount punctuation-heavy lists or non-ASCII text', () => {
    assert.ok(estimateTokens('- [ ] 1.1 Add the tags table\n- [x] 1.2 Add 2.3.4') >= 27);
    assert.ok(estimateTokens('Grüße aus Köln, schöne Straße') >= 10);
    assert.ok(estimateTokens('日本語のテキストです') >= 7);
    assert.equal(estimateTokens('😀😀'), estimateTokens('éé'));
  });
});
