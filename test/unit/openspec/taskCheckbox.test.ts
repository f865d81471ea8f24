import * as assert from 'node:assert/strict';
import { matchCheckbox } from '../../../src/core/openspec/taskCheckbox';
import { Random } from '../../fuzz/generators';

/** OpenSpec's own pattern; the linear matcher must agree with it on every line. */
const OPENSPEC_CHECKBOX = /^\s*(?:[-*+]|\d{1,9}[.)])\s*\[(?:\s*([^\]\s]?)\s*\](?![([])|\s+\])\s*(.*)/;
const ALPHABET = [
  '-',
  '*',
  '+',
  '1',
  '9',
  '.',
  ')',
  '[',
  ']',
  '(',
  ' ',
  '\t',
  '\u00A0',
  'x',
  'X',
  'a',
  '😀',
  '\u2028',
  '0123456789',
];

describe('task checkbox matcher', () => {
  it('agrees with OpenSpec pattern on 50,000 random short lines', () => {
    const random = new Random(7);
    for (let index = 0; index < 50_000; index++) {
      const line = Array.from({ length: random.int(12) }, () => random.pick(ALPHABET)).join('');
      const expected = OPENSPEC_CHECKBOX.exec(line);
      const actual = matchCheckbox(line);
      assert.equal(Boolean(actual), Boolean(expected), `disagree on ${JSON.stringify(line)}`);
      if (expected && actual) {
        assert.equal(actual.mark, expected[1] ?? '', `mark of ${JSON.stringify(line)}`);
        assert.equal(actual.rest, expected[2], `rest of ${JSON.stringify(line)}`);
      }
    }
  });

  it('agrees on the common forms', () => {
    for (const line of [
      '- [ ] 1.1 a',
      '- [x] done',
      '* [X] done',
      '1. [ ] numbered',
      '- [] empty',
      '- [ x ] spaced',
      '- [ ](link)',
      '- [](link)',
      '- [x](link)',
      '  + [ ]',
    ]) {
      assert.equal(Boolean(matchCheckbox(line)), OPENSPEC_CHECKBOX.test(line), line);
    }
  });

  it('stays linear on a long run of spaces inside the brackets', () => {
    assert.equal(matchCheckbox('- [' + ' '.repeat(200_000)), undefined);
    assert.equal(matchCheckbox('- [' + ' '.repeat(200_000) + 'ab]'), undefined);
  });
});
