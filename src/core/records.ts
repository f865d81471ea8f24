/** A value that is an object of named fields: not null, not an array. What parsed JSON and YAML mappings are. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
