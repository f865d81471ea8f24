import * as assert from 'node:assert/strict';

/** Applies a unified diff to `text`, checking every context and removed line against it. */
export function applyPatch(text: string, patch: string): string {
  const source = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let cursor = 0;
  let finalNewline = text === '' || text.endsWith('\n');
  const lines = patch.split('\n').slice(2, -1);
  let previous = '';
  for (const line of lines) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(line);
    if (header) {
      const start = Number(header[1]) - (header[2] === '0' ? 0 : 1);
      while (cursor < start) out.push(source[cursor++]!);
    } else if (line === '\\ No newline at end of file') {
      finalNewline = previous === '-';
    } else if (line[0] === ' ' || line[0] === '-') {
      assert.equal(source[cursor], line.slice(1), `patch line ${line}`);
      cursor++;
      if (line[0] === ' ') out.push(line.slice(1));
    } else if (line[0] === '+') {
      out.push(line.slice(1));
      finalNewline = true;
    }
    previous = line[0] ?? '';
  }
  while (cursor < source.length) out.push(source[cursor++]!);
  return out.length === 0 ? '' : out.join('\n') + (finalNewline ? '\n' : '');
}
