import { posix as path } from 'node:path';
import { readFileIfExists, type FileSystem } from '../../fs/fileSystem';
import { classifyDocument } from '../../openspec/documentPaths';
import { parseMainSpec } from '../../openspec/specDocuments';
import type { DeltaSpecDocument, MainSpecDocument, MarkdownDocument, Requirement } from '../../openspec/model';
import type { ChangeContext } from '../prompt/changeContext';
import { workspacePath } from '../prompt/documentListing';
import { knownDocuments, resolveFindingPath } from '../review/findingPaths';
import type { ValidationTarget } from './proposalValidation';

/** The file (or requirement) asked for is not something improve can rewrite; the message says why. */
export class ImproveTargetError extends Error {
  override readonly name = 'ImproveTargetError';
}

export interface ImproveTarget {
  readonly document: MarkdownDocument;
  /** Workspace-relative. */
  readonly file: string;
  /** The requirements a single one can be picked from (every section of a delta spec). */
  readonly requirements: readonly Requirement[];
  readonly validation: ValidationTarget;
}

/**
 * The document `file` names, among the change's markdown files, its deltas and the main specs (touched or
 * not, so a spec can be tidied while a change is open). `file` may be absolute, workspace-relative or
 * relative to the change folder.
 */
export async function resolveImproveTarget(
  fs: FileSystem,
  context: ChangeContext,
  file: string,
): Promise<ImproveTarget> {
  const { change, root } = context;
  const openspecDir = path.join(root, 'openspec');
  const resolved = resolveFindingPath(file, root, change.id, knownDocuments(context));
  const absolute = resolved
    ? path.join(root, resolved.file)
    : path.isAbsolute(file)
      ? path.normalize(file)
      : path.join(root, file);
  const delta = change.deltas.find((candidate) => candidate.path === absolute);
  if (delta) return deltaTarget(root, change.dir, openspecDir, delta);
  const document = [change.proposal, change.design, change.tasks].find((candidate) => candidate?.path === absolute);
  if (document)
    return { document, file: workspacePath(root, absolute), requirements: [], validation: { kind: 'none' } };
  const spec =
    context.mainSpecs.find((candidate) => candidate.path === absolute) ??
    (await readMainSpec(fs, openspecDir, absolute));
  if (spec)
    return {
      document: spec,
      file: workspacePath(root, absolute),
      requirements: spec.requirements,
      validation: { kind: 'spec', file: spec.path },
    };
  throw new ImproveTargetError(`${file} is not a markdown document of change ${change.id} or a main spec.`);
}

function deltaTarget(root: string, changeDir: string, openspecDir: string, delta: DeltaSpecDocument): ImproveTarget {
  return {
    document: delta,
    file: workspacePath(root, delta.path),
    requirements: delta.deltaSections.flatMap((section) => section.requirements),
    validation: { kind: 'delta', file: delta.path, changeDir, capability: delta.capability, openspecDir },
  };
}

async function readMainSpec(fs: FileSystem, openspecDir: string, file: string): Promise<MainSpecDocument | undefined> {
  const role = classifyDocument(openspecDir, file);
  if (role.kind !== 'mainSpec') return undefined;
  const text = await readFileIfExists(fs, file);
  return text === undefined ? undefined : parseMainSpec(file, role.capability, text);
}
