import type * as Yaml from 'yaml';
import { parsePlainMapping } from './plainYaml';
import { rememberedByText } from './textMemo';

let yaml: typeof Yaml | undefined;

/**
 * The YAML library, loaded at the first text that needs it: most projects' metadata and config are read
 * without it (plainYaml.ts), and loading it costs a command about 10 ms.
 */
export function yamlLibrary(): typeof Yaml {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a static import would load it at start
  return (yaml ??= require('yaml') as typeof Yaml);
}

/**
 * `yaml.parse` remembered by text. A validation run reads each change's `.openspec.yaml` and the project's
 * config from several checks, and the YAML library costs far more than the rest of those checks. Results
 * are frozen, because every caller shares them; failures are remembered and thrown again. Metadata files
 * are small and many, so the bound is a count of texts.
 */
export const parseYamlCached: (text: string) => unknown = rememberedByText(
  (text): unknown => deepFreeze<unknown>(parsePlainMapping(text) ?? yamlLibrary().parse(text)),
  { maxEntries: 2048, maxChars: Infinity, failures: true },
);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
