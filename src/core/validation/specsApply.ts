import { posix as path } from 'node:path';
import { FsError, type FileSystem } from '../fs/fileSystem';
import { buildCodeFenceMask } from './codeFence';
import {
  describeScenarioBalance,
  diffScenarioNames,
  extractRequirementsSection,
  foldRequirementName,
  normalizeRequirementName,
  parseDeltaSpec,
  type DeltaPlan,
  type RequirementBlock,
} from './requirementBlocks';
import { MarkdownParser } from './markdownParser';
import { discoverSpecFiles, isWithin } from './specDiscovery';
import { findMainSpecStructureIssues } from './specStructure';
import { MIN_PURPOSE_LENGTH, PURPOSE_PLACEHOLDER_PREFIX, PURPOSE_PLACEHOLDER_SUFFIX } from './messages';

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

export interface SpecMergeCounts {
  added: number;
  modified: number;
  removed: number;
  renamed: number;
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

/** Why archive refuses a delta. The message is archive's own, word for word. */
export type SpecMergeRefusal =
  | 'unpaired-rename'
  | 'duplicate'
  | 'conflict'
  | 'no-operations'
  | 'missing-main-spec'
  | 'invalid-main-spec'
  | 'rename-failed'
  | 'remove-failed'
  | 'modify-failed'
  | 'add-failed';

export class SpecMergeError extends Error {
  constructor(
    readonly reason: SpecMergeRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'SpecMergeError';
  }

  static is(error: unknown, reason?: SpecMergeRefusal): error is SpecMergeError {
    return error instanceof SpecMergeError && (reason === undefined || error.reason === reason);
  }
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
 * Reads both sides of an update and merges them. File-system failures reject with their FsError (which
 * carries a code); archive's refusals reject with a SpecMergeError (which does not).
 */
export async function buildUpdatedSpec(fs: FileSystem, update: SpecUpdate, changeName: string): Promise<SpecMergeResult> {
  const deltaContent = await fs.readFile(update.source);
  let mainContent: string | undefined;
  try {
    mainContent = await fs.readFile(update.target);
  } catch (error) {
    // Only a missing spec is a new capability; an unreadable one stays an error.
    if (!FsError.is(error, 'ENOENT', 'ENOTDIR')) throw error;
  }
  return buildUpdatedSpecText({ specId: update.id, changeName, deltaContent, mainContent, targetFile: update.target });
}

/** The merged main spec, or a SpecMergeError with the message `openspec archive` would stop with. */
export function buildUpdatedSpecText(input: SpecMergeInput): SpecMergeResult {
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
      warnings.push(`${specId} - delta Purpose ignored; ${specId} already has one. Edit ${input.targetFile} directly to change it.`);
    }
  } else {
    mainContent = newSpecSkeleton(plan, specId, changeName, deltaPurpose, warnings);
  }

  const structureIssues = findMainSpecStructureIssues(mainContent);
  if (structureIssues.length > 0) {
    const details = structureIssues.map((issue) => `line ${issue.line}: ${issue.message}`).join('\n');
    throw new SpecMergeError('invalid-main-spec', `${specId}: target spec is structurally invalid and cannot be updated until fixed:\n${details}`);
  }

  const parts = extractRequirementsSection(mainContent);
  const merge = new RequirementMerge(specId, parts.bodyBlocks, isNewSpec, warnings);
  const counts = merge.apply(plan);
  const kept = merge.keptInOrder(parts.bodyBlocks);
  const requirementsBody = [parts.preamble.trim() ? parts.preamble.trimEnd() : '']
    .filter(Boolean)
    .concat(kept.map((block) => block.raw))
    .join('\n\n')
    .trimEnd();
  const joined = [parts.before.trimEnd(), parts.headerLine, requirementsBody, parts.after.trim()].filter((s) => s !== '').join('\n\n');
  return {
    rebuilt: collapseBlankRunsOutsideFences(joined).trimEnd() + '\n',
    counts,
    warnings,
    isNewSpec,
    noRequirementBlocks: kept.length === 0,
  };
}

/** Checks that need only the delta: archive refuses these before it reads the main spec. */
function assertPlanIsConsistent(plan: DeltaPlan, specId: string): void {
  const failed = (reason: SpecMergeRefusal, detail: string): SpecMergeError =>
    new SpecMergeError(reason, `${specId} validation failed - ${detail}`);
  const first = plan.unpairedRenames[0];
  if (first) {
    const missing = first.side === 'FROM' ? 'TO' : 'FROM';
    throw failed(
      'unpaired-rename',
      `RENAMED entry on line ${first.line} has no matching ${missing}: for header "### Requirement: ${first.name}". ` +
        'Write each rename as a FROM: line followed immediately by its TO: line.',
    );
  }
  const uniqueNames = (names: string[], section: string): Set<string> => {
    const seen = new Set<string>();
    for (const name of names) {
      const key = normalizeRequirementName(name);
      if (seen.has(key)) throw failed('duplicate', `duplicate requirement in ${section} for header "### Requirement: ${name}"`);
      seen.add(key);
    }
    return seen;
  };
  const added = uniqueNames(plan.added.map((block) => block.name), 'ADDED');
  const modified = uniqueNames(plan.modified.map((block) => block.name), 'MODIFIED');
  const removed = uniqueNames(plan.removed, 'REMOVED');
  const renamedFrom = new Set<string>();
  const renamedTo = new Set<string>();
  for (const { from, to } of plan.renamed) {
    const fromKey = normalizeRequirementName(from);
    const toKey = normalizeRequirementName(to);
    if (renamedFrom.has(fromKey)) throw failed('duplicate', `duplicate FROM in RENAMED for header "### Requirement: ${from}"`);
    if (renamedTo.has(toKey)) throw failed('duplicate', `duplicate TO in RENAMED for header "### Requirement: ${to}"`);
    renamedFrom.add(fromKey);
    renamedTo.add(toKey);
  }

  const conflicts: Array<{ name: string; a: string; b: string }> = [];
  for (const name of modified) {
    if (removed.has(name)) conflicts.push({ name, a: 'MODIFIED', b: 'REMOVED' });
    if (added.has(name)) conflicts.push({ name, a: 'MODIFIED', b: 'ADDED' });
  }
  for (const name of added) if (removed.has(name)) conflicts.push({ name, a: 'ADDED', b: 'REMOVED' });
  for (const { from, to } of plan.renamed) {
    const fromKey = normalizeRequirementName(from);
    // Folded, so a case or spacing variant of the FROM header in REMOVED is still the same contradiction.
    const removedMatch = [...removed].find((name) => foldRequirementName(name) === foldRequirementName(fromKey));
    if (removedMatch !== undefined) {
      throw failed(
        'conflict',
        `requirement present in multiple sections (RENAMED and REMOVED) for header "### Requirement: ${from}"` +
          (removedMatch === fromKey ? '' : ` (REMOVED spells it "${removedMatch}")`),
      );
    }
    if (modified.has(fromKey)) throw failed('conflict', `when a rename exists, MODIFIED must reference the NEW header "### Requirement: ${to}"`);
    if (added.has(normalizeRequirementName(to))) throw failed('conflict', `RENAMED TO header collides with ADDED for "### Requirement: ${to}"`);
  }
  const conflict = conflicts[0];
  if (conflict) {
    throw failed('conflict', `requirement present in multiple sections (${conflict.a} and ${conflict.b}) for header "### Requirement: ${conflict.name}"`);
  }
  if (plan.added.length + plan.modified.length + plan.removed.length + plan.renamed.length === 0) {
    throw new SpecMergeError(
      'no-operations',
      `Delta parsing found no operations for ${specId}. Provide ADDED/MODIFIED/REMOVED/RENAMED sections in change spec.`,
    );
  }
}

/** The main spec archive creates for a new capability: the delta's Purpose when it reads cleanly, else a placeholder. */
function newSpecSkeleton(plan: DeltaPlan, specId: string, changeName: string, deltaPurpose: string | undefined, warnings: string[]): string {
  if (plan.modified.length > 0 || plan.renamed.length > 0) {
    throw new SpecMergeError(
      'missing-main-spec',
      `${specId}: target spec does not exist; only ADDED requirements are allowed for new specs. MODIFIED and RENAMED operations require an existing spec.`,
    );
  }
  if (plan.removed.length > 0) {
    warnings.push(`${specId} - ${plan.removed.length} REMOVED requirement(s) ignored for new spec (nothing to remove).`);
  }
  const skeleton = buildSpecSkeleton(specId, changeName, deltaPurpose);
  if (!deltaPurpose) return skeleton;
  const overview = readableOverview(skeleton, specId);
  if (overview === undefined) {
    warnings.push(`${specId} - delta Purpose ignored (it would leave the new spec unreadable); wrote the placeholder Purpose instead.`);
    return buildSpecSkeleton(specId, changeName);
  }
  if (overview.length < MIN_PURPOSE_LENGTH) {
    warnings.push(
      `${specId} - carried Purpose is under ${MIN_PURPOSE_LENGTH} characters; openspec validate --strict reports it as too brief.`,
    );
  }
  return skeleton;
}

export function buildSpecSkeleton(specId: string, changeName: string, purpose?: string): string {
  const purposeBody = purpose?.trim() || `${PURPOSE_PLACEHOLDER_PREFIX}${changeName}${PURPOSE_PLACEHOLDER_SUFFIX}`;
  return `# ${specId} Specification\n\n## Purpose\n${purposeBody}\n\n## Requirements\n`;
}

/**
 * Applies the four operations to the main spec's requirements, keyed by normalized name. Each step sees
 * the spec as the earlier steps left it, which is what lets an already-synced delta apply as a no-op.
 */
class RequirementMerge {
  private readonly byName = new Map<string, RequirementBlock>();
  /** Original positions, carrying each block's current key as renames change it. */
  private readonly orderedKeys: string[];

  constructor(
    private readonly specId: string,
    original: RequirementBlock[],
    private readonly isNewSpec: boolean,
    private readonly warnings: string[],
  ) {
    for (const block of original) this.byName.set(normalizeRequirementName(block.name), block);
    this.orderedKeys = original.map((block) => normalizeRequirementName(block.name));
  }

  apply(plan: DeltaPlan): SpecMergeCounts {
    const renamed = plan.renamed.filter((pair) => this.rename(pair.from, pair.to)).length;
    const removed = plan.removed.filter((name) => this.remove(name)).length;
    const modified = plan.modified.filter((block) => this.modify(block)).length;
    const added = plan.added.filter((block) => this.add(block)).length;
    return { added, modified, removed, renamed };
  }

  private fail(reason: SpecMergeRefusal, operation: string, header: string, detail: string): SpecMergeError {
    return new SpecMergeError(reason, `${this.specId} ${operation} failed for header "### Requirement: ${header}" - ${detail}`);
  }

  /** A key other than `except` that differs from `name` only in case or spacing. */
  private nearMiss(name: string, except?: string): RequirementBlock | undefined {
    const key = [...this.byName.keys()].find((k) => k !== except && foldRequirementName(k) === foldRequirementName(name));
    return key === undefined ? undefined : this.byName.get(key);
  }

  private rename(rawFrom: string, rawTo: string): boolean {
    const from = normalizeRequirementName(rawFrom);
    const to = normalizeRequirementName(rawTo);
    const block = this.byName.get(from);
    if (!block) {
      if (!this.byName.has(to)) throw this.fail('rename-failed', 'RENAMED', rawFrom, 'source not found');
      // Target present and source gone: the rename was synced already, unless the source is only misspelled.
      const typo = this.nearMiss(from, to);
      if (typo) {
        throw this.fail('rename-failed', 'RENAMED', rawFrom, `source not found, but "### Requirement: ${typo.name}" exists; fix the header to match it exactly`);
      }
      return false;
    }
    if (this.byName.has(to)) throw this.fail('rename-failed', 'RENAMED', rawTo, 'target already exists');
    const twin = this.nearMiss(to, from);
    if (twin) {
      throw this.fail(
        'rename-failed',
        'RENAMED',
        rawTo,
        `"### Requirement: ${twin.name}" already exists and differs only in case or spacing; choose a distinct name`,
      );
    }
    const header = `### Requirement: ${to}`;
    const lines = block.raw.split('\n');
    lines[0] = header;
    this.byName.delete(from);
    this.byName.set(to, { headerLine: header, name: to, raw: lines.join('\n') });
    const index = this.orderedKeys.indexOf(from);
    if (index >= 0) this.orderedKeys[index] = to;
    return true;
  }

  private remove(name: string): boolean {
    const key = normalizeRequirementName(name);
    if (this.byName.delete(key)) return true;
    // Already gone means already synced; a case or spacing variant still present means a typo.
    if (!this.isNewSpec) {
      const typo = this.nearMiss(key);
      if (typo) {
        throw this.fail('remove-failed', 'REMOVED', name, `not found, but "### Requirement: ${typo.name}" exists; fix the header to match it exactly`);
      }
      this.warnings.push(`${this.specId} - REMOVED requirement "${name}" is not in the current spec; treating it as already removed.`);
    }
    return false;
  }

  private modify(block: RequirementBlock): boolean {
    const key = normalizeRequirementName(block.name);
    const current = this.byName.get(key);
    if (!current) throw this.fail('modify-failed', 'MODIFIED', block.name, 'not found');
    const header = (block.raw.split('\n')[0] ?? '').match(/^###\s*Requirement:\s*(.+)\s*$/i);
    if (!header?.[1] || normalizeRequirementName(header[1]) !== key) {
      throw this.fail('modify-failed', 'MODIFIED', block.name, 'header mismatch in content');
    }
    const diff = diffScenarioNames(current, block);
    if (diff.missing.length > 0) {
      throw this.fail(
        'modify-failed',
        'MODIFIED',
        block.name,
        `current spec contains scenario(s) not present in the modified block: ${diff.missing.map((name) => `"${name}"`).join(', ')}. ` +
          `${describeScenarioBalance(diff)} Refresh the change spec before archiving to avoid dropping scenarios.`,
      );
    }
    this.byName.set(key, block);
    return normalizeBlockRaw(current.raw) !== normalizeBlockRaw(block.raw);
  }

  private add(block: RequirementBlock): boolean {
    const key = normalizeRequirementName(block.name);
    const existing = this.byName.get(key);
    if (existing) {
      if (normalizeBlockRaw(existing.raw) === normalizeBlockRaw(block.raw)) return false;
      throw this.fail('add-failed', 'ADDED', block.name, 'already exists');
    }
    const twin = this.nearMiss(key);
    if (twin) {
      throw this.fail(
        'add-failed',
        'ADDED',
        block.name,
        `"### Requirement: ${twin.name}" already exists and differs only in case or spacing; use MODIFIED with that exact header to change it, or choose a distinct name`,
      );
    }
    this.byName.set(key, block);
    return true;
  }

  /** Surviving blocks in their original places, then new ones in the order they were added. */
  keptInOrder(original: RequirementBlock[]): RequirementBlock[] {
    const kept: RequirementBlock[] = [];
    const seen = new Set<string>();
    original.forEach((block, index) => {
      const key = this.orderedKeys[index] ?? '';
      const replacement = this.byName.get(key);
      if (replacement) {
        kept.push(replacement);
        seen.add(key);
      }
      if (replacement !== block) this.warnIfForeignTailDropped(block, replacement);
    });
    for (const [key, block] of this.byName) if (!seen.has(key)) kept.push(block);
    return kept;
  }

  /** A note under an unrecognized heading rides inside the block above it and goes when that block is replaced. */
  private warnIfForeignTailDropped(block: RequirementBlock, replacement: RequirementBlock | undefined): void {
    const foreign = firstForeignTail(block.raw);
    if (!foreign) return;
    const tail = normalizeBlockRaw(foreign.raw);
    const keeps =
      replacement !== undefined && countOccurrences(normalizeBlockRaw(replacement.raw), tail) >= countOccurrences(normalizeBlockRaw(block.raw), tail);
    if (keeps) return;
    this.warnings.push(
      `${this.specId} - "${foreign.heading}" sits inside requirement "${block.name}" and goes with it. ` +
        'Move it under its own requirement, or above `## Requirements`, to keep it.',
    );
  }
}

/** The part of a block from its first unfenced `#`..`###` heading after its own header. */
function firstForeignTail(raw: string): { heading: string; raw: string } | undefined {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  const mask = buildCodeFenceMask(lines);
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (!mask[index] && /^ {0,3}#{1,3}(?:[ \t]|$)/.test(line)) {
      return { heading: line.trim(), raw: lines.slice(index).join('\n').trimEnd() };
    }
  }
  return undefined;
}

function countOccurrences(haystack: string, needle: string): number {
  if (!needle) return 0;
  let count = 0;
  for (let start = haystack.indexOf(needle); start !== -1; start = haystack.indexOf(needle, start + needle.length)) count++;
  return count;
}

function normalizeBlockRaw(raw: string): string {
  return raw.replace(/\r\n?/g, '\n').trim();
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

/** Blanks `<!-- ... -->` spans (an unclosed one runs to the end), keeping every newline so line numbers hold. */
function maskHtmlComments(content: string): string {
  const blank = (text: string): string => text.replace(/[^\n]/g, ' ');
  let out = '';
  let index = 0;
  for (;;) {
    const open = content.indexOf('<!--', index);
    if (open === -1) return out + content.slice(index);
    out += content.slice(index, open);
    let close = -1;
    for (let i = open + 4; i < content.length; i++) {
      if (content.startsWith('-->', i)) {
        close = i + 3;
        break;
      }
      if (content.startsWith('--!>', i)) {
        close = i + 4;
        break;
      }
    }
    if (close === -1) return out + blank(content.slice(open));
    out += blank(content.slice(open, close));
    index = close;
  }
}

/**
 * The body of a `## Purpose` section, or undefined when absent or empty. Structure is read with fences and
 * HTML comments masked; the body is returned as written.
 */
export function extractPurposeSection(content: string): string | undefined {
  const normalized = content.replace(/\r\n?/g, '\n');
  const lines = normalized.split('\n');
  const masked = maskHtmlComments(normalized).split('\n');
  const fenceMask = buildCodeFenceMask(masked);
  const structural = (i: number): boolean => !fenceMask[i];
  const start = masked.findIndex((line, i) => structural(i) && /^##\s+Purpose\s*$/i.test(line));
  if (start === -1) return undefined;
  let end = masked.length;
  for (let i = start + 1; i < masked.length; i++) {
    if (structural(i) && /^##\s+/.test(masked[i] ?? '')) {
      end = i;
      break;
    }
  }
  const prose = masked
    .slice(start + 1, end)
    .filter((_, offset) => structural(start + 1 + offset))
    .join('\n')
    .trim();
  if (!prose) return undefined;
  return lines.slice(start + 1, end).join('\n').trim() || undefined;
}

/**
 * The Purpose `validate` would read from a new main spec, or undefined when carrying the delta's Purpose
 * over would leave a spec the readers cannot handle (a comment opener, a stray header, no Requirements).
 */
function readableOverview(skeleton: string, specId: string): string | undefined {
  if (skeleton.includes('<!--')) return undefined;
  if (findMainSpecStructureIssues(skeleton).length > 0) return undefined;
  try {
    return new MarkdownParser(skeleton).parseSpec(specId).overview.trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Archive's path guard: a spec path must stay inside its specs root once links are resolved; failing
 * that (a capability folder linked from elsewhere), inside its own capability folder. Returns the path
 * rebased on the canonical root.
 */
async function resolveTrustedSpecPath(fs: FileSystem, specsRoot: string, specPath: string): Promise<string> {
  if (!isWithin(specsRoot, specPath)) throw new Error(`Path is outside the allowed directory: ${specPath}`);
  try {
    await assertPathWithin(fs, specsRoot, specPath);
    return path.join(await fs.realPath(specsRoot), path.relative(specsRoot, specPath));
  } catch {
    // Falls through: a capability folder may deliberately be a link out of the specs tree.
  }
  const root = await fs.realPath(path.dirname(specPath));
  const file = path.join(root, path.basename(specPath));
  await assertPathWithin(fs, root, file);
  return file;
}

/** Refuses `target` when it leaves `directory`, lexically or through a link. */
export async function assertPathWithin(fs: FileSystem, directory: string, target: string): Promise<void> {
  const inside =
    isWithin(directory, target) && isWithin(await canonicalizePotentialPath(fs, directory), await canonicalizePotentialPath(fs, target));
  if (!inside) throw new Error(`Path is outside the allowed directory: ${target}`);
}

/** The canonical form of a path that may not exist yet: its nearest existing ancestor resolved, the rest appended. */
async function canonicalizePotentialPath(fs: FileSystem, target: string): Promise<string> {
  const missing: string[] = [];
  let existing = target;
  while ((await fs.stat(existing)) === undefined) {
    const parent = path.dirname(existing);
    if (parent === existing) throw new Error(`Cannot resolve an existing parent for ${target}`);
    // A dangling link cannot be proven to stay inside anything.
    const entries = await fs.readDirectory(parent).catch(() => []);
    if (entries.some((entry) => entry.name === path.basename(existing) && entry.kind === 'symlink')) {
      throw new Error(`Cannot verify dangling symbolic link: ${existing}`);
    }
    missing.unshift(path.basename(existing));
    existing = parent;
  }
  return path.join(await fs.realPath(existing), ...missing);
}
