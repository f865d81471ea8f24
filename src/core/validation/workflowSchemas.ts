import { posix as path, win32 } from 'node:path';
import { type FileSystem } from '../fs/fileSystem';
import { isWithin } from './specDiscovery';
import {
  BUILT_IN_SPEC_DRIVEN,
  parseWorkflowSchema,
  SchemaValidationError,
  type WorkflowSchema,
} from './workflowSchemaFormat';
import { errorMessage } from '../errorMessage';

/**
 * Where workflow schemas come from, as `openspec validate` resolves them: a project-local
 * `openspec/schemas/<name>/schema.yaml` wins over the built-in `spec-driven`. The CLI also reads a per-user
 * schema folder; this project has no view of it.
 */
export const BUILT_IN_SCHEMA_NAMES: readonly string[] = ['spec-driven'];

/** Marks the built-in schema's location, which has no folder on the user's disk. */
export const BUILT_IN_SCHEMA_DIR = '<built-in>/spec-driven';

export function projectSchemasDir(projectRoot: string): string {
  return path.join(projectRoot, 'openspec', 'schemas');
}

/** Folders the CLI's own schema commands leave behind while swapping a schema in; never schemas. */
function isTransientSchemaFolder(name: string): boolean {
  return (
    name.startsWith('.fork-staging-') ||
    name.includes('.fork-backup-') ||
    name.startsWith('.init-staging-') ||
    name.includes('.init-backup-')
  );
}

/** Every schema name a change may declare, sorted. */
export async function listSchemas(fs: FileSystem, projectRoot: string): Promise<string[]> {
  const names = new Set(BUILT_IN_SCHEMA_NAMES);
  const dir = projectSchemasDir(projectRoot);
  if ((await fs.stat(dir)) === 'directory') {
    for (const entry of await fs.readDirectory(dir)) {
      if (isTransientSchemaFolder(entry.name)) continue;
      if (entry.kind !== 'directory' && entry.kind !== 'symlink') continue;
      if ((await fs.stat(path.join(dir, entry.name))) !== 'directory') continue;
      if ((await fs.stat(path.join(dir, entry.name, 'schema.yaml'))) !== undefined) names.add(entry.name);
    }
  }
  return [...names].sort();
}

function isUnsafeSchemaName(name: string): boolean {
  return (
    name.length === 0 ||
    name === '.' ||
    name === '..' ||
    /[\\/]/u.test(name) ||
    /^[A-Za-z]:/u.test(name) ||
    path.isAbsolute(name) ||
    win32.isAbsolute(name)
  );
}

/** The folder a schema name resolves to (BUILT_IN_SCHEMA_DIR for the built-in one), or undefined. */
export async function getSchemaDir(fs: FileSystem, name: string, projectRoot: string): Promise<string | undefined> {
  if (isUnsafeSchemaName(name)) return undefined;
  const projectDir = path.join(projectSchemasDir(projectRoot), name);
  const schemaFile = path.join(projectDir, 'schema.yaml');
  if (
    (await fs.stat(schemaFile)) !== undefined &&
    isWithin(await fs.realPath(projectDir), await fs.realPath(schemaFile))
  ) {
    return projectDir;
  }
  return BUILT_IN_SCHEMA_NAMES.includes(name) ? BUILT_IN_SCHEMA_DIR : undefined;
}

/** Loads a schema by name (a trailing `.yaml`/`.yml` is ignored); throws with the CLI's messages. */
export async function resolveSchema(fs: FileSystem, name: string, projectRoot: string): Promise<WorkflowSchema> {
  const normalized = name.replace(/\.ya?ml$/, '');
  const dir = await getSchemaDir(fs, normalized, projectRoot);
  if (dir === undefined) {
    const available = await listSchemas(fs, projectRoot);
    throw new Error(`Schema '${normalized}' not found. Available schemas: ${available.join(', ')}`);
  }
  if (dir === BUILT_IN_SCHEMA_DIR) return BUILT_IN_SPEC_DRIVEN;
  const schemaPath = path.join(dir, 'schema.yaml');
  let text: string;
  try {
    text = await fs.readFile(schemaPath);
  } catch (error) {
    throw new Error(`Failed to read schema at '${schemaPath}': ${errorMessage(error)}`);
  }
  try {
    return parseWorkflowSchema(text);
  } catch (error) {
    if (error instanceof SchemaValidationError) throw new Error(`Invalid schema at '${schemaPath}': ${error.message}`);
    throw new Error(`Failed to parse schema at '${schemaPath}': ${errorMessage(error)}`);
  }
}
