import { posix as path } from 'node:path';
import { FsError, type FileSystem } from '../fs/fileSystem';
import { resolveArtifactOutputs } from './artifactOutputs';
import { resolveSchemaForChange } from './changeMetadata';
import { findMissingTaskCheckboxIssues, type TaskDocument, type TaskFileFinding } from './taskCheckboxes';
import { findTaskNumberingIssues } from './taskNumbering';
import { type ValidationIssue } from './types';
import { BUILT_IN_SCHEMA_DIR, getSchemaDir, resolveSchema } from './workflowSchemas';
import { type WorkflowSchema } from './workflowSchemaFormat';
import { compareText } from '../compareText';

/**
 * The warnings `openspec validate <change>` adds for a change's task files: a tracked set with no checkbox
 * at all, and (only under the built-in `spec-driven` schema, whose template defines the numbering) task
 * numbers that point at the wrong group or repeat. Which files are tracked is decided by the change's schema.
 */
export async function collectTaskFileIssues(
  fs: FileSystem,
  changeDir: string,
  projectRoot: string,
): Promise<ValidationIssue[]> {
  let tracked: string[];
  try {
    tracked = await resolveTaskFilesForChange(fs, changeDir, projectRoot);
  } catch {
    return [];
  }
  const files = tracked.length > 0 ? tracked : [path.join(changeDir, 'tasks.md')];
  const { documents, unreadable } = await readTaskDocuments(fs, changeDir, files);
  const issues: ValidationIssue[] = [];
  // An unreadable file may hold the checkboxes, so "none anywhere" cannot be claimed.
  if (tracked.length > 0 && unreadable === 0) issues.push(...findMissingTaskCheckboxIssues(documents).map(toWarning));
  if (await usesBuiltInSpecDrivenSchema(fs, changeDir, projectRoot))
    issues.push(...findTaskNumberingIssues(documents).map(toWarning));
  return issues;
}

function toWarning(finding: TaskFileFinding): ValidationIssue {
  return { level: 'WARNING', path: finding.path, line: finding.line, message: finding.message };
}

/**
 * The files matched by the tracked-tasks artifact (the one whose `generates` equals `apply.tracks`, else the
 * artifact with id `tasks`); empty when the schema cannot be resolved or declares no such artifact.
 */
export async function resolveTaskFilesForChange(
  fs: FileSystem,
  changeDir: string,
  projectRoot: string,
): Promise<string[]> {
  const generates = await resolveTrackedTasksGlob(fs, changeDir, projectRoot);
  return generates ? resolveArtifactOutputs(fs, changeDir, generates) : [];
}

async function resolveTrackedTasksGlob(
  fs: FileSystem,
  changeDir: string,
  projectRoot: string,
): Promise<string | undefined> {
  try {
    const schema = await resolveSchema(fs, await resolveSchemaForChange(fs, changeDir, projectRoot), projectRoot);
    return findTrackedTasksArtifact(schema)?.generates;
  } catch {
    return undefined;
  }
}

function findTrackedTasksArtifact(schema: WorkflowSchema) {
  const tracks = schema.apply?.tracks;
  if (tracks !== undefined && tracks !== null)
    return schema.artifacts.find((artifact) => artifact.generates === tracks);
  return schema.artifacts.find((artifact) => artifact.id === 'tasks');
}

async function readTaskDocuments(
  fs: FileSystem,
  changeDir: string,
  files: readonly string[],
): Promise<{ documents: TaskDocument[]; unreadable: number }> {
  const documents: TaskDocument[] = [];
  let unreadable = 0;
  for (const file of files) {
    let content: string;
    try {
      content = await fs.readFile(file);
    } catch (error) {
      if (!FsError.is(error, 'ENOENT')) unreadable++;
      continue;
    }
    documents.push({ path: await taskDocumentPath(fs, changeDir, file), content });
  }
  documents.sort((left, right) => compareText(left.path, right.path));
  return { documents, unreadable };
}

/** Change-relative and POSIX; a path that would escape the change is reported by its file name instead. */
async function taskDocumentPath(fs: FileSystem, changeDir: string, file: string): Promise<string> {
  const relative = path.relative(await fs.realPath(changeDir), await fs.realPath(file));
  const escapes = relative === '' || relative.startsWith('..') || path.isAbsolute(relative);
  return escapes ? path.basename(file) : relative;
}

/** True only for the CLI's own `spec-driven`: a project schema that reuses the name is someone else's format. */
async function usesBuiltInSpecDrivenSchema(fs: FileSystem, changeDir: string, projectRoot: string): Promise<boolean> {
  try {
    const schemaName = (await resolveSchemaForChange(fs, changeDir, projectRoot)).replace(/\.ya?ml$/, '');
    if (schemaName !== 'spec-driven') return false;
    return (await getSchemaDir(fs, schemaName, projectRoot)) === BUILT_IN_SCHEMA_DIR;
  } catch {
    return false;
  }
}
