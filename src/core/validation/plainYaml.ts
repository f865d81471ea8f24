/**
 * The common `.openspec.yaml` (`schema: spec-driven`, `created: 2026-01-01`, ...) read without the YAML
 * library, which costs a large project about 0.1 ms a file. Only a flat mapping of plain words is read here:
 * one `key: value` a line, values that the YAML 1.2 core schema reads as strings (no booleans, nulls or
 * numbers), no quotes, flow, anchors, tags, comments after a value or repeated keys. Anything else returns
 * undefined and goes to the library, so the answer is always what `yaml.parse` gives.
 */
const LINE = /^([A-Za-z_][A-Za-z0-9_-]*): +([A-Za-z0-9](?:[A-Za-z0-9 _./-]*[A-Za-z0-9_./-])?) *$/;
const NOT_A_STRING =
  /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+)$/;

export function parsePlainMapping(text: string): Record<string, string> | undefined {
  if (text.includes('\r')) return undefined;
  const mapping: Record<string, string> = {};
  let keys = 0;
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match) return undefined;
    const key = match[1]!;
    const value = match[2]!;
    if (NOT_A_STRING.test(value) || Object.hasOwn(mapping, key) || key === '__proto__') return undefined;
    mapping[key] = value;
    keys++;
  }
  return keys > 0 ? mapping : undefined;
}
