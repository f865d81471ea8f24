import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the launcher needs from the command line that @vscode/test-electron gives to Code. */
export interface CodeArguments {
  readonly extensionDevelopmentPaths: readonly string[];
  readonly extensionTestsPath?: string;
  readonly userDataDir?: string;
  readonly extensionsDir?: string;
  readonly folder?: string;
}

const VALUE_OPTIONS = new Set([
  'extensionDevelopmentPath',
  'extensionTestsPath',
  'user-data-dir',
  'extensions-dir',
  'folder-uri',
]);

/**
 * Accepts `--name=value` and `--name value` for the options above and a positional folder; every other
 * flag (`--no-sandbox`, `--disable-updates`, ...) means nothing to code-server and is ignored.
 */
export function parseCodeArguments(argv: readonly string[]): CodeArguments {
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (!VALUE_OPTIONS.has(name)) continue;
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new Error(`${arg} needs a value`);
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  const last = (name: string): string | undefined => values.get(name)?.at(-1);
  const folderUri = last('folder-uri');
  const folder = positionals.at(-1) ?? (folderUri === undefined ? undefined : fileURLToPath(folderUri));
  return {
    extensionDevelopmentPaths: (values.get('extensionDevelopmentPath') ?? []).map((path) => resolve(path)),
    ...optional('extensionTestsPath', last('extensionTestsPath')),
    ...optional('userDataDir', last('user-data-dir')),
    ...optional('extensionsDir', last('extensions-dir')),
    ...optional('folder', folder),
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: resolve(value) } as Record<K, string>);
}
