/**
 * The common `.openspec.yaml` (`schema: spec-driven`, `created: 2026-01-01`, ...) and `config.yaml` read
 * without the YAML library, which costs a large project about 0.1 ms a file, and a command about 10 ms to load.
 * Only a flat mapping is read here: one `key: value` a line, values that the YAML 1.2 core schema reads as
 * strings (no booleans, nulls or numbers), no quotes, flow, anchors, tags, comments after a value or repeated
 * keys; and literal blocks (`context: |`) of printable ASCII with one indentation and no blank line of spaces.
 * Anything else returns undefined and goes to the library, so the answer is always what `yaml.parse` gives.
 */
const LINE = /^([A-Za-z_][A-Za-z0-9_-]*): +([A-Za-z0-9](?:[A-Za-z0-9 _./-]*[A-Za-z0-9_./-])?) *$/;
const LITERAL_BLOCK = /^([A-Za-z_][A-Za-z0-9_-]*): +\| *$/;
const NOT_A_STRING =
  /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+)$/;
/** A block line the library would read otherwise than its characters: tabs, control and non-ASCII characters. */
const NOT_PLAIN_BLOCK_TEXT = /[^\x20-\x7e]/;

export function parsePlainMapping(text: string): Record<string, string> | undefined {
  if (text.includes('\r')) return undefined;
  const mapping: Record<string, string> = {};
  let keys = 0;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line) ?? LITERAL_BLOCK.exec(line);
    if (!match) return undefined;
    const key = match[1]!;
    if (Object.hasOwn(mapping, key) || key === '__proto__') return undefined;
    let value = match[2];
    if (value === undefined) {
      const block = literalBlock(lines, index + 1);
      if (block === undefined) return undefined;
      value = block.value;
      index = block.end - 1;
    } else if (NOT_A_STRING.test(value)) return undefined;
    mapping[key] = value;
    keys++;
  }
  return keys > 0 ? mapping : undefined;
}

/**
 * The text of a literal block starting at `lines[start]`, with the default (clip) chomping: its lines without
 * their common indentation, trailing empty lines dropped, and one line break. `end` is the first line after it.
 * Undefined for the layouts left to the library: no content, leading empty lines, a line of spaces, a line
 * indented less than the first, a block that ends the text without a line break.
 */
function literalBlock(lines: readonly string[], start: number): { value: string; end: number } | undefined {
  const first = lines[start];
  const indent = first === undefined ? 0 : first.length - first.trimStart().length;
  if (indent === 0 || first!.trimStart() === '') return undefined;
  const margin = ' '.repeat(indent);
  const content: string[] = [];
  let end = start;
  for (; end < lines.length; end++) {
    const line = lines[end]!;
    if (line !== '' && !line.startsWith(' ')) break;
    if (line === '') {
      content.push('');
      continue;
    }
    if (!line.startsWith(margin) || line.trim() === '' || NOT_PLAIN_BLOCK_TEXT.test(line)) return undefined;
    content.push(line.slice(indent));
  }
  // The last line of the text has no line break after it: left to the library, which decides that case.
  if (end === lines.length && lines[lines.length - 1] !== '') return undefined;
  while (content.at(-1) === '') content.pop();
  return { value: `${content.join('\n')}\n`, end };
}
