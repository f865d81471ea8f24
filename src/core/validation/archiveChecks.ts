import { posix as path } from 'node:path';
import type { FileSystem } from '../fs/fileSystem';
import type { RequirementBlock } from './requirementBlocks';
import { normalizeRequirementName } from './requirementNames';
import { extractRequirementsSection } from './requirementsSection';
import { describeScenarioBalance, diffScenarioNames } from './scenarioNameDiff';
import { assertPathWithin } from './specPathGuards';
import { checkUpdatedSpec, findSpecUpdates, type SpecUpdate } from './specsApply';
import type { ValidationIssue } from './types';
import { errorMessage } from '../errorMessage';

/**
 * The two checks `openspec validate <change>` borrows from archive, so a change fails while it is being
 * written rather than when it is archived.
 */

/** Read failures that mean the main spec itself is unusable; anything else (a missing spec, EMFILE) stays silent. */
const UNUSABLE_FILE_CODES = new Set(['EACCES', 'EPERM', 'EISDIR', 'ELOOP', 'ENAMETOOLONG']);

/**
 * MODIFIED requirements that omit a scenario the main spec still has: a MODIFIED block replaces the whole
 * requirement, so archive refuses to drop them. Silent when the main spec or the requirement is absent;
 * archive is the gate for that (a sibling change may still be in flight).
 */
export async function findScenarioLossIssues(
  fs: FileSystem,
  modified: RequirementBlock[],
  renamed: Array<{ from: string; to: string }>,
  mainSpecFile: string,
  entryPath: string,
): Promise<ValidationIssue[]> {
  await assertPathWithin(fs, path.dirname(mainSpecFile), mainSpecFile);
  let mainContent: string;
  try {
    mainContent = await fs.readFile(mainSpecFile);
  } catch (error) {
    const code = errorCode(error);
    if (code === undefined || !UNUSABLE_FILE_CODES.has(code)) return [];
    return [
      {
        level: 'ERROR',
        path: entryPath,
        message:
          `Could not read ${mainSpecFile} to check the MODIFIED requirements against it (${code}). ` +
          'Archive reads the same file, so fix the file before archiving.',
      },
    ];
  }

  const currentBlocks = new Map<string, RequirementBlock>();
  for (const block of extractRequirementsSection(mainContent).bodyBlocks)
    currentBlocks.set(normalizeRequirementName(block.name), block);
  // Archive renames before it modifies, so a MODIFIED naming the new header is compared with the block the
  // rename (or chain of renames) carries over; the visited set keeps a rename cycle from looping.
  const renamedFrom = new Map(
    renamed.map(({ from, to }) => [normalizeRequirementName(to), normalizeRequirementName(from)]),
  );
  const currentBlockFor = (name: string): RequirementBlock | undefined => {
    const visited = new Set<string>();
    for (let key: string | undefined = name; key !== undefined && !visited.has(key); key = renamedFrom.get(key)) {
      const block = currentBlocks.get(key);
      if (block) return block;
      visited.add(key);
    }
    return undefined;
  };
  // A MODIFIED naming a header this delta renames away has its own error and would land on another block.
  const renamedAway = new Set(renamed.map(({ from }) => normalizeRequirementName(from)));

  const issues: ValidationIssue[] = [];
  for (const block of modified) {
    const key = normalizeRequirementName(block.name);
    if (renamedAway.has(key)) continue;
    const current = currentBlockFor(key);
    if (!current) continue;
    const diff = diffScenarioNames(current, block);
    if (diff.missing.length === 0) continue;
    issues.push({
      level: 'ERROR',
      path: entryPath,
      message:
        `MODIFIED "${block.name}" omits scenario(s) the current spec still has: ${diff.missing.map((name) => `"${name}"`).join(', ')}. ` +
        `${describeScenarioBalance(diff)} ` +
        'Copy the omitted scenarios into the MODIFIED block (a MODIFIED requirement replaces the whole block, so archive refuses to drop them).',
    });
  }
  return issues;
}

/**
 * Runs archive's merge for every delta spec of the change without writing anything, and reports each
 * refusal as INFO (the verdict is unchanged: a missing target may belong to a sibling change not yet
 * archived). Deltas whose path already has an ERROR are skipped, so a mistake is reported once, in the
 * wording that names it. File-system failures say nothing about the delta and are skipped too.
 */
export async function findArchiveBlockers(
  fs: FileSystem,
  changeDir: string,
  mainSpecsDir: string,
  alreadyReportedPaths: string[],
): Promise<ValidationIssue[]> {
  const alreadyReported = new Set(alreadyReportedPaths);
  const changeName = path.basename(changeDir);
  let updates: SpecUpdate[];
  try {
    updates = await findSpecUpdates(fs, changeDir, mainSpecsDir);
  } catch (error) {
    return [
      { level: 'INFO', path: 'specs', message: `Could not check archive merge conflicts: ${errorMessage(error)}` },
    ];
  }
  const issues: ValidationIssue[] = [];
  for (const update of updates) {
    const entryPath = `${update.id}/spec.md`;
    if (alreadyReported.has(entryPath)) continue;
    try {
      await checkUpdatedSpec(fs, update, changeName);
    } catch (error) {
      if (errorCode(error) !== undefined) continue;
      issues.push({
        level: 'INFO',
        path: entryPath,
        message: `Archive would refuse this delta: ${errorMessage(error)}`,
      });
    }
  }
  return issues;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : undefined;
}
