import { parseDocument } from 'yaml';
import type { ChangeMetadata, ProjectConfig, YamlDocument } from './model';
import { errorMessage } from '../errorMessage';
import { isRecord } from '../records';

/** Reads `openspec/config.yaml`. Malformed YAML yields an error with its line, never an exception. */
export function parseProjectConfig(path: string, text: string): YamlDocument<ProjectConfig> {
  return parseYaml(path, text, (data) => {
    const rules: Record<string, string[]> = {};
    if (isMapping(data.rules)) {
      for (const [artifact, list] of Object.entries(data.rules)) {
        if (Array.isArray(list)) rules[artifact] = list.filter((rule): rule is string => typeof rule === 'string');
      }
    }
    return {
      ...(typeof data.schema === 'string' ? { schema: data.schema } : {}),
      ...(typeof data.context === 'string' ? { context: data.context } : {}),
      ...(Object.keys(rules).length > 0 ? { rules } : {}),
    };
  });
}

/** Reads a change's `.openspec.yaml`. */
export function parseChangeMetadata(path: string, text: string): YamlDocument<ChangeMetadata> {
  return parseYaml(path, text, (data) => ({
    ...(typeof data.schema === 'string' ? { schema: data.schema } : {}),
    ...(data.created !== undefined
      ? {
          created:
            data.created instanceof Date
              ? data.created.toISOString().slice(0, 10)
              : // Whatever else YAML produced is shown the way the CLI shows it: JavaScript's own String().
                // eslint-disable-next-line @typescript-eslint/no-base-to-string
                String(data.created),
        }
      : {}),
    ...(typeof data.goal === 'string' ? { goal: data.goal } : {}),
    ...(typeof data.skip_specs === 'boolean' ? { skipSpecs: data.skip_specs } : {}),
  }));
}

function parseYaml<T extends object>(
  path: string,
  text: string,
  read: (data: Record<string, unknown>) => T,
): YamlDocument<T> {
  try {
    const document = parseDocument(text, { prettyErrors: false });
    const first = document.errors[0];
    if (first) {
      const line = first.linePos?.[0]?.line;
      return {
        path,
        text,
        data: {} as T,
        error: { message: first.message, ...(line !== undefined ? { line: line - 1 } : {}) },
      };
    }
    const data: unknown = document.toJS();
    if (data !== null && data !== undefined && !isMapping(data)) {
      return { path, text, data: {} as T, error: { message: 'Expected a mapping of keys to values' } };
    }
    return { path, text, data: read(isMapping(data) ? data : {}) };
  } catch (error) {
    return { path, text, data: {} as T, error: { message: errorMessage(error) } };
  }
}

/** A YAML mapping; a timestamp the YAML library turned into a Date is a value, not a mapping. */
function isMapping(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && !(value instanceof Date);
}
