import { parse } from 'yaml';
import { parsePlainMapping } from './plainYaml';

/**
 * `yaml.parse` remembered by text. A validation run reads each change's `.openspec.yaml` and the project's
 * config from several checks, and the YAML library costs far more than the rest of those checks. Results
 * are frozen, because every caller shares them; failures are remembered and thrown again.
 */
const MAX_ENTRIES = 2048;
const cache = new Map<string, { value: unknown } | { error: unknown }>();

export function parseYamlCached(text: string): unknown {
  let entry = cache.get(text);
  if (!entry) {
    try {
      entry = { value: deepFreeze(parsePlainMapping(text) ?? parse(text)) };
    } catch (error) {
      entry = { error };
    }
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(text, entry);
  }
  if ('error' in entry) throw entry.error;
  return entry.value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
