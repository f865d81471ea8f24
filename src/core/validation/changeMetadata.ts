import { posix as path } from 'node:path';
import { parseYamlCached as parseYaml } from './yamlCache';
import type { ChangeMetadataFields } from './fileSchemas';
import { checkChangeMetadata } from './plainSchemaChecks';
import { FsError, type FileSystem } from '../fs/fileSystem';
import { listSchemas, resolveSchema } from './workflowSchemas';
import { errorMessage } from '../errorMessage';

/**
 * A change's `.openspec.yaml` and the schema it resolves to, read the way `openspec validate` reads them.
 * The rules are strict on purpose: a marker is honored only when the rest of the CLI would load the metadata.
 */
export const METADATA_FILENAME = '.openspec.yaml';

export type { ChangeMetadataFields } from './fileSchemas';

export class ChangeMetadataError extends Error {
  constructor(
    message: string,
    readonly metadataPath: string,
  ) {
    super(message);
    this.name = 'ChangeMetadataError';
  }
}

/** `changes/<name>` sits at `<root>/openspec/changes/<name>`, which is how the CLI finds the root of a change. */
export function projectRootOfChange(changeDir: string): string {
  return path.resolve(changeDir, '../../..');
}

/** Parsed, checked metadata; undefined when the change has none. Throws ChangeMetadataError when invalid. */
export async function readChangeMetadata(
  fs: FileSystem,
  changeDir: string,
  projectRoot: string,
): Promise<ChangeMetadataFields | undefined> {
  const metaPath = path.join(changeDir, METADATA_FILENAME);
  if ((await fs.stat(metaPath)) === undefined) return undefined;
  let text: string;
  try {
    text = await fs.readFile(metaPath);
  } catch (error) {
    throw new ChangeMetadataError(`Failed to read metadata: ${errorMessage(error)}`, metaPath);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ChangeMetadataError(`Invalid YAML in metadata file: ${errorMessage(error)}`, metaPath);
  }
  const result = checkChangeMetadata(parsed);
  if (!result.success) throw new ChangeMetadataError(`Invalid metadata: ${result.error.message}`, metaPath);
  const available = await listSchemas(fs, projectRoot);
  if (!available.includes(result.data.schema)) {
    throw new ChangeMetadataError(
      `Unknown schema '${result.data.schema}'. Available: ${available.join(', ')}`,
      metaPath,
    );
  }
  return result.data;
}

/** The `schema:` of `openspec/config.yaml` (or `.yml`); undefined when absent or unreadable. */
export async function readProjectSchemaName(fs: FileSystem, projectRoot: string): Promise<string | undefined> {
  for (const name of ['config.yaml', 'config.yml']) {
    const file = path.join(projectRoot, 'openspec', name);
    if ((await fs.stat(file)) === undefined) continue;
    try {
      const raw: unknown = parseYaml(await fs.readFile(file));
      if (!raw || typeof raw !== 'object') return undefined;
      const schema = (raw as { schema?: unknown }).schema;
      return typeof schema === 'string' && schema.length > 0 ? schema : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The schema name a change uses: its metadata's, else the project's, else `spec-driven`. Invalid metadata
 * rejects (as in the CLI, where callers treat that as "schema unknown").
 */
export async function resolveSchemaForChange(
  fs: FileSystem,
  changeDir: string,
  projectRoot = projectRootOfChange(changeDir),
): Promise<string> {
  const metadata = await readChangeMetadata(fs, changeDir, projectRoot);
  if (metadata?.schema) return metadata.schema;
  return (await readProjectSchemaName(fs, projectRoot)) ?? 'spec-driven';
}

export interface MarkerState {
  declared: boolean;
  /** Why a marker that is present cannot be honored, safe to print. */
  invalidReason?: string;
}

/** Non-throwing read of the `skip_specs: true` marker; see readBooleanMarker. */
export function readSkipSpecsMarker(fs: FileSystem, changeDir: string): Promise<MarkerState> {
  return readBooleanMarker(fs, changeDir, 'skip_specs');
}

/** Non-throwing read of the `retire_capabilities: true` marker, with the same rules as skip_specs. */
export function readRetireCapabilitiesMarker(fs: FileSystem, changeDir: string): Promise<MarkerState> {
  return readBooleanMarker(fs, changeDir, 'retire_capabilities');
}

/** Every reason quotes author text, so control characters are neutralized before anyone prints it. */
function unhonorable(reason: string): MarkerState {
  // eslint-disable-next-line no-control-regex
  return { declared: false, invalidReason: reason.replace(/[\u0000-\u001f\u007f]/g, '?') };
}

/**
 * A marker counts only when the metadata would load everywhere else: it parses, passes the metadata schema,
 * names a known workflow schema, and that schema loads. A marker that is present but cannot be honored
 * yields invalidReason; an explicit `false` or an unrelated problem is simply "not declared".
 */
async function readBooleanMarker(
  fs: FileSystem,
  changeDir: string,
  key: 'skip_specs' | 'retire_capabilities',
): Promise<MarkerState> {
  let raw: string;
  try {
    raw = await fs.readFile(path.join(changeDir, METADATA_FILENAME));
  } catch (error) {
    if (FsError.is(error, 'ENOENT')) return { declared: false };
    return unhonorable(`the metadata file cannot be read (${errorMessage(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(raw);
  } catch {
    const mentioned = new RegExp(`^\\s*(['"]?)${key}\\1\\s*:`, 'm').test(raw);
    return mentioned ? unhonorable('the file is not valid YAML') : { declared: false };
  }
  const result = checkChangeMetadata(parsed);
  if (result.success) {
    if (result.data[key] !== true) return { declared: false };
    try {
      const projectRoot = projectRootOfChange(changeDir);
      if (!(await listSchemas(fs, projectRoot)).includes(result.data.schema)) {
        return unhonorable(`schema: unknown schema '${result.data.schema}'`);
      }
      await resolveSchema(fs, result.data.schema, projectRoot);
    } catch (error) {
      return unhonorable(errorMessage(error));
    }
    return { declared: true };
  }
  const mentioned =
    typeof parsed === 'object' &&
    parsed !== null &&
    key in parsed &&
    (parsed as Record<string, unknown>)[key] !== false;
  if (mentioned) {
    const first = result.error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    return unhonorable(`${where}${first?.message ?? ''}`);
  }
  return { declared: false };
}
