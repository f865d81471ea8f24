import { posix as path } from 'node:path';
import { FsError, type FileSystem } from '../fs/fileSystem';
import { buildCodeFenceMask } from './codeFence';
import { assertPlanIsConsistent } from './deltaPlanConsistency';
import { parseDeltaSpec } from './deltaSpecParser';
import { newSpecSkeleton } from './newSpecSkeleton';
import { extractPurposeSection } from './purposeSection';
import { RequirementMerge, type SpecMergeCounts } from './requirementMerge';
import { extractRequirementsSection } from './requirementsSection';
import { discoverSpecFiles } from './specDiscovery';
import { SpecMergeError } from './specMergeError';
import { resolveTrustedSpecPath } from './specPathGuards';
import { findMainSpecStructureIssues } from './specStructure';

/**
 * How `openspec archive` merges one delta spec into its main spec: RENAMED, then REMOVED, then MODIFIED,
 * then ADDED, all or nothing. The merge itself (`buildUpdatedSpecText`) is pure, so it serves both the
 * archive dry run in `validate` and a preview of the main spec an archive would write.
 */

/** One delta spec of a change and the main spec it merges into. */
export interface SpecUpdate {
  /** Capability path below specs/ (`audit/log`). */
  id: string;
  /** The change's delta spec file. */
  source: string;
  /** The main spec file, existing or not. */
  target: string;
  exists: boolean;
}

export interface SpecMergeInput {
  /** Capability path (`audit/log`); prefixes every message, as in the CLI. */
  specId: string;
  /** Only reaches the placeholder Purpose of a newly created main spec. */
  changeName: string;
  deltaContent: string;
  /** The current main spec, or undefined when the capability has none yet. */
  mainContent: string | undefined;
  /** The main spec's path, named in one warning. */
  targetFile: string;
}

export interface SpecMergeResult {
  /** The main spec text archive would write (LF line endings, one trailing newline). */
  rebuilt: string;
  /** Operations that change the spec; already-synced ones are not counted. */
  counts: SpecMergeCounts;
  /** Non-fatal notes archive prints, in archive's wording. */
  warnings: string[];
  isNewSpec: boolean;
  noRequirementBlocks: boolean;
}

/** Every delta spec of a change, paired with its main spec. Refuses a link that leaves its folder, as archive does. */
export async function findSpecUpdates(fs: FileSystem, changeDir: string, mainSpecsDir: string): Promise<SpecUpdate[]> {
  const updates: SpecUpdate[] = [];
  const changeSpecsDir = path.join(changeDir, 'specs');
  for (const { id, specFile } of await discoverSpecFiles(fs, changeSpecsDir)) {
    const targetFile = path.join(mainSpecsDir, ...id.split('/'), 'spec.md');
    const source = await resolveTrustedSpecPath(fs, changeSpecsDir, specFile);
    const target = await resolveTrustedSpecPath(fs, mainSpecsDir, targetFile);
    updates.push({ id, source, target, exists: (await fs.stat(target)) !== undefined });
  }
  return updates;
}

/**
 * Reads both sides of an update and makes archive's checks of their merge (see checkSpecMerge). File-system
 * failures reject with their FsError (which carries a code); archive's refusals reject with a SpecMergeError
 * (which does not).
 */
export async function checkUpdatedSpec(fs: FileSystem, update: SpecUpdate, changeName: string): Promise<void> {
  checkSpecMerge(await readSpecMergeInput(fs, update, changeName));
}

/** Both sides of an update, read once: a caller that writes the result checks its base against this main text. */
export async function readSpecMergeInput(
  fs: FileSystem,
  update: SpecUpdate,
  changeName: string,
): Promise<SpecMergeInput> {
  const deltaContent = await fs.readFile(update.source);
  let mainContent: string | undefined;
  try {
    mainContent = await fs.readFile(update.target);
  } catch (error) {
    // Only a missing spec is a new capability; an unreadable one stays an error.
    if (!FsError.is(error, 'ENOENT', 'ENOTDIR')) throw error;
  }
  return { specId: update.id, changeName, deltaContent, mainContent, targetFile: update.target };
}

/** The merged main spec, or a SpecMergeError with the message `openspec archive` would stop with. */
export function buildUpdatedSpecText(input: SpecMergeInput): SpecMergeResult {
  const { parts, merge, counts, warnings, isNewSpec } = mergeRequirements(input);
  const kept = merge.keptInOrder(parts.bodyBlocks);
  const requirementsBody = [parts.preamble.trim() ? parts.preamble.trimEnd() : '']
    .filter(Boolean)
    .concat(kept.map((block) => block.raw))
    .join('\n\n')
    .trimEnd();
  const joined = [parts.before.trimEnd(), parts.headerLine, requirementsBody, parts.after.trim()]
    .filter((s) => s !== '')
    .join('\n\n');
  return {
    rebuilt: collapseBlankRunsOutsideFences(joined).trimEnd() + '\n',
    counts,
    warnings,
    isNewSpec,
    noRequirementBlocks: kept.length === 0,
  };
}

/**
 * Throws the SpecMergeError `openspec archive` would stop with, or returns: the archive dry run of `validate`,
 * which needs the refusal and not the merged text (every refusal comes before the text is put together).
 */
export function checkSpecMerge(input: SpecMergeInput): void {
  mergeRequirements(input);
}

/** The merge up to the merged requirements: every check archive makes, and the parts the text is made of. */
function mergeRequirements(input: SpecMergeInput) {
  const { specId, changeName, deltaContent } = input;
  const warnings: string[] = [];
  const plan = parseDeltaSpec(deltaContent);
  assertPlanIsConsistent(plan, specId);
  for (const orphan of plan.orphanedRequirements) {
    const where = orphan.section ? `under "## ${orphan.section}"` : 'above the first "## " section';
    warnings.push(
      `${specId} - requirement "${orphan.name}" (line ${orphan.line}) is ${where}, which is not a delta section, so it was not applied. ` +
        'Move it under ADDED/MODIFIED/REMOVED/RENAMED Requirements.',
    );
  }

  const deltaPurpose = extractPurposeSection(deltaContent);
  let mainContent = input.mainContent;
  const isNewSpec = mainContent === undefined;
  if (mainContent !== undefined) {
    const existingPurpose = deltaPurpose ? extractPurposeSection(mainContent) : undefined;
    if (existingPurpose && existingPurpose !== deltaPurpose) {
      warnings.push(
        `${specId} - delta Purpose ignored; ${specId} already has one. Edit ${input.targetFile} directly to change it.`,
      );
    }
  } else {
    mainContent = newSpecSkeleton(plan, specId, changeName, deltaPurpose, warnings);
  }

  const structureIssues = findMainSpecStructureIssues(mainContent);
  if (structureIssues.length > 0) {
    const details = structureIssues.map((issue) => `line ${issue.line}: ${issue.message}`).join('\n');
    throw new SpecMergeError(
      'invalid-main-spec',
      `${specId}: target spec is structurally invalid and cannot be updated until fixed:\n${details}`,
    );
  }

  const parts = extractRequirementsSection(mainContent);
  const merge = new RequirementMerge(specId, parts.bodyBlocks, isNewSpec, warnings);
  const counts = merge.apply(plan);
  return { parts, merge, counts, warnings, isNewSpec };
}

/** Collapses runs of empty lines to one, except inside fenced code, whose whitespace may matter. */
function collapseBlankRunsOutsideFences(content: string): string {
  const lines = content.split('\n');
  const mask = buildCodeFenceMask(lines);
  let blankRun = 0;
  return lines
    .filter((line, index) => {
      if (mask[index] || line !== '') {
        blankRun = 0;
        return true;
      }
      blankRun++;
      return blankRun === 1;
    })
    .join('\n');
}
