import * as assert from 'node:assert/strict';
import { parse } from 'yaml';
import { parsePlainMapping } from '../../../src/core/validation/plainYaml';

describe('parsePlainMapping', () => {
  it('reads the usual change metadata as yaml.parse does', () => {
    const text = 'schema: spec-driven\ncreated: 2026-01-01\ngoal: Deliver change 0\n';
    assert.deepEqual(parsePlainMapping(text), parse(text));
  });

  it('agrees with yaml.parse whenever it answers, and leaves everything else to it', () => {
    const values = [
      'spec-driven',
      '2026-01-01',
      'true',
      'True',
      'FALSE',
      'null',
      'Null',
      '~',
      'yes',
      'no',
      'on',
      '1',
      '-1',
      '+1',
      '1.5',
      '.5',
      '1e3',
      '1E-3',
      '0o17',
      '0x1F',
      '0b1',
      '.inf',
      '-.inf',
      '.nan',
      'a b',
      'a  b',
      'a #b',
      'a#b',
      'a: b',
      "'quoted'",
      '"quoted"',
      '[a]',
      '{a: b}',
      '&a x',
      '*a',
      '!tag x',
      '- item',
      '? x',
      '| x',
      '> x',
      '%x',
      '@x',
      '`x`',
      'x.',
      '1.2.3',
      'v1',
      '12:30',
      'x ',
      'a/b',
      '_x',
      'x_',
      '0',
      '00',
      '1_000',
    ];
    const layouts = [
      (v: string) => `schema: ${v}\n`,
      (v: string) => `schema: ${v}`,
      (v: string) => `# comment\nschema: spec-driven\n\ngoal: ${v}\n`,
      (v: string) => `schema:  ${v}  \n`,
      (v: string) => `schema:\t${v}\n`,
      (v: string) => ` schema: ${v}\n`,
      (v: string) => `schema: ${v}\r\n`,
      (v: string) => `schema: ${v}\nschema: other\n`,
      (v: string) => `---\nschema: ${v}\n`,
      (v: string) => `schema: ${v}\n  more: x\n`,
      (v: string) => `schema: ${v} # trailing\n`,
      (v: string) => `__proto__: ${v}\n`,
      (v: string) => `skip-specs: ${v}\n`,
    ];
    let answered = 0;
    for (const layout of layouts) {
      for (const value of values) {
        const text = layout(value);
        const plain = parsePlainMapping(text);
        if (plain === undefined) continue;
        answered++;
        assert.deepEqual(plain, parse(text), JSON.stringify(text));
      }
    }
    assert.ok(answered > 20, `only ${answered} answered`);
  });

  it('leaves empty and comment-only texts to the library', () => {
    for (const text of ['', '\n', '# only a comment\n']) assert.equal(parsePlainMapping(text), undefined);
  });
});
