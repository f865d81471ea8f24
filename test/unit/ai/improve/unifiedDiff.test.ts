import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unifiedDiff } from '../../../../src/core/ai/improve/unifiedDiff';
import { applyPatch } from './applyPatch';

function gnuDiff(oldText: string, newText: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'udiff-'));
  try {
    writeFileSync(join(dir, 'old'), oldText);
    writeFileSync(join(dir, 'new'), newText);
    try {
      return execFileSync(
        'diff',
        ['-u', '--label', 'a/f.md', '--label', 'b/f.md', join(dir, 'old'), join(dir, 'new')],
        { encoding: 'utf8' },
      );
    } catch (error) {
      return String((error as { stdout?: string }).stdout ?? '');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const changedLines = (patch: string) => patch.split('\n').filter((line) => /^[-+](?![-+]{2} [ab]\/)/.test(line)).length;

describe('unifiedDiff', () => {
  it('prints git-style headers and hunks with three lines of context', () => {
    const before = ['# T', '', '## A', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', ''].join('\n');
    const after = before.replace('four', 'FOUR');
    assert.equal(
      unifiedDiff(before, after, 'openspec/specs/x/spec.md'),
      [
        '--- a/openspec/specs/x/spec.md',
        '+++ b/openspec/specs/x/spec.md',
        '@@ -4,7 +4,7 @@',
        ' one',
        ' two',
        ' three',
        '-four',
        '+FOUR',
        ' five',
        ' six',
        ' seven',
        '',
      ].join('\n'),
    );
  });

  it('shows a file that does not exist yet against /dev/null, as git diff shows a new file', () => {
    assert.equal(
      unifiedDiff(undefined, '# tags\n\n## Purpose\n', 'openspec/specs/tags/spec.md'),
      ['--- /dev/null', '+++ b/openspec/specs/tags/spec.md', '@@ -0,0 +1,3 @@', '+# tags', '+', '+## Purpose', ''].join(
        '\n',
      ),
    );
    assert.equal(applyPatch('', unifiedDiff(undefined, 'a\nb\n', 'f.md')), 'a\nb\n');
  });

  it('is empty for equal texts, and ignores line-ending style', () => {
    assert.equal(unifiedDiff('a\nb\n', 'a\nb\n', 'f'), '');
    assert.equal(unifiedDiff('a\r\nb\r\n', 'a\nb\n', 'f'), '');
    assert.equal(unifiedDiff('', '', 'f'), '');
  });

  it('matches GNU diff -u on typical edits', () => {
    const base = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`);
    const cases: Array<[string[], string[]]> = [
      [base, base.map((line, index) => (index === 4 || index === 25 ? `${line} changed` : line))],
      [base, [...base.slice(0, 10), 'inserted', ...base.slice(10)]],
      [base, base.filter((_, index) => index < 3 || index > 6)],
      [base, base.map((line, index) => (index === 10 || index === 14 ? `${line}!` : line))],
      [[], ['new file']],
      [['only'], []],
    ];
    for (const [oldLines, newLines] of cases) {
      const oldText = oldLines.map((line) => `${line}\n`).join('');
      const newText = newLines.map((line) => `${line}\n`).join('');
      assert.equal(unifiedDiff(oldText, newText, 'f.md'), gnuDiff(oldText, newText));
    }
  });

  it('marks a missing final newline as diff does', () => {
    for (const [oldText, newText] of [
      ['a\nb', 'a\nb\n'],
      ['a\nb\n', 'a\nb'],
      ['a\nb', 'a\nc'],
      ['x\na\nb', 'y\na\nb'],
    ] as const) {
      assert.equal(
        unifiedDiff(oldText, newText, 'f.md'),
        gnuDiff(oldText, newText),
        JSON.stringify([oldText, newText]),
      );
    }
  });

  it('produces patches that apply and are as short as GNU diff, on random edits', () => {
    let seed = 7;
    const random = (limit: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % limit;
    };
    for (let round = 0; round < 200; round++) {
      const oldLines = Array.from({ length: random(25) }, () => `l${random(6)}`);
      const newLines = [...oldLines];
      for (let edit = random(6); edit > 0; edit--) {
        const at = random(newLines.length + 1);
        if (random(2) === 0) newLines.splice(at, 1);
        else newLines.splice(at, 0, `n${random(6)}`);
      }
      const oldText = oldLines.map((line) => `${line}\n`).join('');
      const newText = newLines.map((line) => `${line}\n`).join('');
      const patch = unifiedDiff(oldText, newText, 'f.md');
      assert.equal(applyPatch(oldText, patch), newText, patch);
      assert.equal(changedLines(patch), changedLines(gnuDiff(oldText, newText)), patch);
    }
  });

  it('diffs a long document quickly', () => {
    const lines = Array.from({ length: 5000 }, (_, index) => `line ${index}`);
    const changed = lines.map((line, index) => (index % 50 === 0 ? `${line} edited` : line));
    const start = Date.now();
    const patch = unifiedDiff(lines.join('\n'), changed.join('\n'), 'big.md');
    assert.ok(Date.now() - start < 1000);
    assert.equal(changedLines(patch), 200);
  });
});
