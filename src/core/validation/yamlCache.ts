import { parse } from 'yaml';
import { parsePlainMapping } from './plainYaml';
import { rememberedByText } from './textMemo';

/**
 * `yaml.parse` remembered by text. A validation run reads each change's `.openspec.yaml` and the project's
 * config from several checks, and the YAML library costs far more than the rest of those checks. Results
 * are frozen, because every caller shares them; failures are remembered and thrown again. Metadata files
 * are small and many, so the bound is a count of texts.
 */
export const parseYamlCached: (text: string) => unknown = rememberedByText(
  (text): unknown => deepFreeze<unknown>(parsePlainMapping(text) ?? parse(text)),
  { maxEntries: 2048, maxChars: Infinity, failures: true },
);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
