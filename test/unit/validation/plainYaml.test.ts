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

  it('reads the literal context block that openspec init writes, as yaml.parse does', () => {
    const text =
      'schema: spec-driven\n\ncontext: |\n  Tech stack: TypeScript\n\n  - "quoted" # kept\n    indented more\n\n# Per-artifact rules (optional)\n';
    assert.deepEqual(parsePlainMapping(text), parse(text));
    assert.equal(
      parsePlainMapping(text)?.['context'],
      'Tech stack: TypeScript\n\n- "quoted" # kept\n  indented more\n',
    );
  });

  it('agrees with yaml.parse on every literal block it answers, and leaves the others to it', () => {
    const bodies = [
      ['  a'],
      ['  a', '  b'],
      ['  a', '', '  b'],
      ['  a', '', ''],
      ['    a', '      b', '    c'],
      ['  a', ' b'],
      ['  a', '   '],
      ['   ', '  a'],
      ['', '  a'],
      ['  a', '\tb'],
      ['  \ta'],
      ['  a\tb'],
      ['  caf\u00e9'],
      ['  a', '# comment', '  b'],
      ['  a', '---'],
      ['  # not a comment', '  key: value'],
      ['  a', 'next: b'],
      ['  a', 'next: |', '    b'],
      ['  a', 'context: b'],
      [],
      ['  a\u0007'],
      ['  a', '  ...'],
    ];
    const headers = [
      'context: |',
      'context: |  ',
      'context: |-',
      'context: |+',
      'context: |2',
      'context: >',
      'context:  |',
    ];
    const ends = ['\n', '', '\n\n', '\n# trailing comment\n', '\nschema: spec-driven\n'];
    let answered = 0;
    for (const header of headers) {
      for (const body of bodies) {
        for (const end of ends) {
          const text = ['schema: spec-driven', header, ...body].join('\n') + end;
          let expected: unknown;
          try {
            expected = parse(text);
          } catch {
            expected = 'an error';
          }
          const plain = parsePlainMapping(text);
          if (plain === undefined) continue;
          answered++;
          assert.deepEqual(plain, expected, JSON.stringify(text));
        }
      }
    }
    assert.ok(answered > 30, `only ${answered} answered`);
  });

  it('leaves empty and comment-only texts to the library', () => {
    for (const text of ['', '\n', '# only a comment\n']) assert.equal(parsePlainMapping(text), undefined);
  });
});
