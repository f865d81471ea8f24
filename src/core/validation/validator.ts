import { posix as path } from 'node:path';
import type { FileSystem } from '../fs/fileSystem';
import { findArchiveBlockers, findScenarioLossIssues } from './archiveChecks';
import { METADATA_FILENAME, readSkipSpecsMarker } from './changeMetadata';
import { MarkdownParser, type ParsedSpec } from './markdownParser';
import { MAX_REQUIREMENT_TEXT_LENGTH, MIN_PURPOSE_LENGTH, VALIDATION_MESSAGES } from './messages';
import { findPurposePlaceholderIssue } from './purposePlaceholder';
import { extractRequirementsSection, foldRequirementName, normalizeRequirementName, parseDeltaSpec, type DeltaPlan } from './requirementBlocks';
import { containsShallOrMust, countEmptyScenarios, countScenarios, extractRequirementBody } from './requirementText';
import { discoverSpecFiles, findUnreadDeltaFiles, hasAnyFileUnder } from './specDiscovery';
import { SpecSchema } from './specSchema';
import { findMainSpecStructureIssues } from './specStructure';
import { collectTaskFileIssues } from './taskFileChecks';
import type { IssueLevel, ValidationIssue, ValidationReport } from './types';

/**
 * `openspec validate` for main specs and for a change's delta specs, with the same verdicts, levels,
 * messages, paths and lines. The per-document checks are synchronous and pure (`checkSpecContent`,
 * `checkDeltaSpecContent`), so an editor can run them on every keystroke; the Validator adds what needs
 * other files (discovery under specs/, the main specs, the change's metadata and task files).
 */
export class Validator {
  constructor(
    private readonly fs: FileSystem,
    private readonly strictMode = false,
  ) {}

  /** Validates the main spec at `filePath`; a read failure is reported, never thrown. */
  async validateSpec(filePath: string): Promise<ValidationReport> {
    const specName = extractNameFromPath(filePath);
    let content: string;
    try {
      content = await this.fs.readFile(filePath);
    } catch (error) {
      return buildReport([issue('ERROR', 'file', enrichTopLevelError(errorMessage(error)))], this.strictMode);
    }
    return this.validateSpecContent(specName, content);
  }

  /** Validates main-spec text; synchronous and pure. */
  validateSpecContent(specName: string, content: string): ValidationReport {
    return buildReport(checkSpecContent(specName, content), this.strictMode);
  }

  /**
   * Validates every delta spec under `<changeDir>/specs`. With `mainSpecsDir`, MODIFIED blocks are also
   * checked for scenario loss against the main specs, and archive's merge is dry-run (its refusals are INFO).
   * With `projectRoot`, the change's task files are checked too. `openspec validate <change>` passes both.
   */
  async validateChangeDeltaSpecs(changeDir: string, options: { mainSpecsDir?: string; projectRoot?: string } = {}): Promise<ValidationReport> {
    const issues: ValidationIssue[] = [];
    const specsDir = path.join(changeDir, 'specs');
    let totalDeltas = 0;
    let hasRootLevelSpec = false;
    const emptinessIssues: Record<DeltaEmptiness['kind'], ValidationIssue[]> = { emptySections: [], noSections: [] };
    try {
      const discoveredSpecs = await discoverSpecFiles(this.fs, specsDir);
      // A spec.md right in specs/ has no capability, so archive drops it; a directory of that name is a capability.
      hasRootLevelSpec = (await this.fs.stat(path.join(specsDir, 'spec.md'))) === 'file';
      if (hasRootLevelSpec) issues.push(issue('ERROR', 'spec.md', ROOT_LEVEL_SPEC_MESSAGE));
      for (const { id: specId, specFile } of discoveredSpecs) {
        let content: string;
        try {
          content = await this.fs.readFile(specFile);
        } catch {
          continue;
        }
        const entryPath = path.relative(specsDir, specFile);
        const check = checkDeltaSpecContent(content, entryPath);
        totalDeltas += check.deltaCount;
        if (check.emptiness) emptinessIssues[check.emptiness.kind].push(check.emptiness.issue);
        issues.push(...check.issues.slice(0, check.scenarioLossIndex));
        if (options.mainSpecsDir && check.plan.modified.length > 0) {
          const mainSpecFile = path.join(options.mainSpecsDir, ...specId.split('/'), 'spec.md');
          issues.push(...(await findScenarioLossIssues(this.fs, check.plan.modified, check.plan.renamed, mainSpecFile, entryPath)));
        }
        issues.push(...check.issues.slice(check.scenarioLossIndex));
      }
      if (options.mainSpecsDir) {
        // A delta already rejected (or with nothing to merge) would be reported again in archive's wording.
        const alreadyReported = [
          ...issues.filter((found) => found.level === 'ERROR').map((found) => found.path),
          ...emptinessIssues.noSections.map((found) => found.path),
          ...emptinessIssues.emptySections.map((found) => found.path),
        ];
        issues.push(...(await findArchiveBlockers(this.fs, changeDir, options.mainSpecsDir, alreadyReported)));
      }
    } catch (error) {
      // A missing specs/ (or a file in its place) means no deltas; anything else stays loud.
      const code = errorCode(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }

    const unreadDeltaFiles = await findUnreadDeltaFiles(this.fs, specsDir);
    for (const file of unreadDeltaFiles) {
      issues.push(
        issue(
          'ERROR',
          file.path,
          `Delta spec found at specs/${file.path}. Delta specs must be a spec.md inside a capability folder — this file is ignored when the change is applied or archived. Move its requirements into specs/${file.expected}.`,
        ),
      );
    }
    issues.push(...emptinessIssues.emptySections, ...emptinessIssues.noSections);

    const marker = await readSkipSpecsMarker(this.fs, changeDir);
    if (marker.invalidReason) issues.push(issue('ERROR', METADATA_FILENAME, formatInvalidMarkerMessage(marker.invalidReason)));
    // Any file under specs/ contradicts the marker, parsed or not; an unreadable specs/ fails closed.
    const skipSpecs = marker.declared;
    let specsDirHasFiles = false;
    if (skipSpecs) {
      try {
        specsDirHasFiles = await hasAnyFileUnder(this.fs, specsDir);
      } catch {
        specsDirHasFiles = true;
      }
    }
    if (skipSpecs && specsDirHasFiles) issues.push(issue('ERROR', 'file', VALIDATION_MESSAGES.CHANGE_SKIP_SPECS_CONFLICT));
    // The root-level and unread-file errors already say where the deltas are; "no deltas" would contradict them.
    if (totalDeltas === 0 && !hasRootLevelSpec && unreadDeltaFiles.length === 0) {
      if (skipSpecs && !specsDirHasFiles) issues.push(issue('INFO', 'file', VALIDATION_MESSAGES.CHANGE_SKIP_SPECS_ACCEPTED));
      else if (!skipSpecs) issues.push(issue('ERROR', 'file', enrichTopLevelError(VALIDATION_MESSAGES.CHANGE_NO_DELTAS)));
    }
    if (options.projectRoot) issues.push(...(await collectTaskFileIssues(this.fs, changeDir, options.projectRoot)));
    return buildReport(issues, this.strictMode);
  }
}

const ROOT_LEVEL_SPEC_MESSAGE =
  'Delta spec found at specs/spec.md. Delta specs must live under a capability path (e.g. specs/<capability-path>/spec.md) — a file at the specs/ root is ignored when the change is applied or archived.';

/** Why a delta spec contributes no entries; the CLI lists these after every file's own findings. */
export interface DeltaEmptiness {
  /** `emptySections`: delta headers with nothing parsed under them; `noSections`: no delta header at all. */
  kind: 'emptySections' | 'noSections';
  issue: ValidationIssue;
}

export interface DeltaSpecCheck {
  plan: DeltaPlan;
  /** The file's own findings, in the order `openspec validate` lists them (without `emptiness`). */
  issues: ValidationIssue[];
  /** Where in `issues` the scenario-loss findings against the main spec go: right after the MODIFIED checks. */
  scenarioLossIndex: number;
  /** Entries counted toward "a change must have at least one delta". */
  deltaCount: number;
  /** The delta section headers present, in canonical spelling. */
  sectionNames: string[];
  emptiness?: DeltaEmptiness;
}

/** Every check `openspec validate <change>` derives from one delta spec's text alone. Synchronous and pure. */
export function checkDeltaSpecContent(content: string, entryPath: string): DeltaSpecCheck {
  const plan = parseDeltaSpec(content);
  const issues: ValidationIssue[] = [];
  for (const stray of plan.skippedHeaders) {
    const nameless = /^requirement:?$/i.test(stray.header);
    issues.push(
      issue(
        'INFO',
        entryPath,
        nameless
          ? `Header "### ${stray.header}" in ${stray.section} is missing a requirement name and is ignored by validation. Add a name, e.g. "### Requirement: <name>".`
          : `Header "### ${stray.header}" in ${stray.section} is not a "### Requirement:" header and is ignored by validation. Use "### Requirement: ${stray.header}" if it should be validated as a requirement.`,
        stray.line,
      ),
    );
  }
  for (const unpaired of plan.unpairedRenames) {
    const missing = unpaired.side === 'FROM' ? 'TO' : 'FROM';
    issues.push(
      issue(
        'ERROR',
        entryPath,
        `RENAMED ${unpaired.side}: "${unpaired.name}" has no matching ${missing}: line. Write each rename as a FROM: line followed immediately by its TO: line.`,
        unpaired.line,
      ),
    );
  }
  // A WARNING, not an ERROR: some older archived changes have this shape, and the fix is to move the block.
  for (const orphan of plan.orphanedRequirements) {
    const where = orphan.section !== null ? `under "## ${orphan.section}"` : 'above the first "## " section';
    issues.push(
      issue(
        'WARNING',
        entryPath,
        `Requirement "${orphan.name}" is ${where}, which is not a delta section, so it is ignored. Move it under "## ADDED Requirements", "## MODIFIED Requirements", "## REMOVED Requirements", or "## RENAMED Requirements".`,
        orphan.line,
      ),
    );
  }

  const sectionNames: string[] = [];
  if (plan.sectionPresence.added) sectionNames.push('## ADDED Requirements');
  if (plan.sectionPresence.modified) sectionNames.push('## MODIFIED Requirements');
  if (plan.sectionPresence.removed) sectionNames.push('## REMOVED Requirements');
  if (plan.sectionPresence.renamed) sectionNames.push('## RENAMED Requirements');
  const deltaCount = plan.added.length + plan.modified.length + plan.removed.length + plan.renamed.length;
  let emptiness: DeltaEmptiness | undefined;
  if (deltaCount === 0) {
    emptiness =
      sectionNames.length > 0
        ? {
            kind: 'emptySections',
            issue: issue(
              'ERROR',
              entryPath,
              `Delta sections ${formatSectionList(sectionNames)} were found, but no requirement entries parsed. Ensure each section includes at least one "### Requirement:" block (REMOVED may use bullet list syntax).`,
            ),
          }
        : {
            kind: 'noSections',
            issue: issue('ERROR', entryPath, 'No delta sections found. Add headers such as "## ADDED Requirements" or move non-delta notes outside specs/.'),
          };
  }

  const addedNames = checkRequirementBlocks('ADDED', plan.added, entryPath, issues);
  const modifiedNames = checkRequirementBlocks('MODIFIED', plan.modified, entryPath, issues);
  const scenarioLossIndex = issues.length;
  const removedNames = new Set<string>();
  for (const name of plan.removed) {
    const key = normalizeRequirementName(name);
    if (removedNames.has(key)) issues.push(issue('ERROR', entryPath, `Duplicate requirement in REMOVED: "${name}"`));
    else removedNames.add(key);
  }
  const renamedFrom = new Set<string>();
  const renamedTo = new Set<string>();
  for (const { from, to } of plan.renamed) {
    const fromKey = normalizeRequirementName(from);
    const toKey = normalizeRequirementName(to);
    if (renamedFrom.has(fromKey)) issues.push(issue('ERROR', entryPath, `Duplicate FROM in RENAMED: "${from}"`));
    else renamedFrom.add(fromKey);
    if (renamedTo.has(toKey)) issues.push(issue('ERROR', entryPath, `Duplicate TO in RENAMED: "${to}"`));
    else renamedTo.add(toKey);
  }
  issues.push(...crossSectionConflicts(plan, addedNames, modifiedNames, removedNames, entryPath));
  return { plan, issues, scenarioLossIndex, deltaCount, sectionNames, ...(emptiness ? { emptiness } : {}) };
}

/** ADDED/MODIFIED checks: duplicates, requirement text and its SHALL/MUST, at least one scenario. */
function checkRequirementBlocks(
  operation: 'ADDED' | 'MODIFIED',
  blocks: DeltaPlan['added'],
  entryPath: string,
  issues: ValidationIssue[],
): Set<string> {
  const names = new Set<string>();
  for (const block of blocks) {
    const key = normalizeRequirementName(block.name);
    if (names.has(key)) issues.push(issue('ERROR', entryPath, `Duplicate requirement in ${operation}: "${block.name}"`));
    else names.add(key);
    const label = `${operation} "${block.name}"`;
    const bodyLines = block.raw.split('\n').slice(1);
    const requirementText = extractRequirementBody(bodyLines);
    if (!requirementText) {
      issues.push(
        issue('ERROR', entryPath, containsShallOrMust(block.name) ? missingShallOrMustMessage(label, block.name) : `${label} is missing requirement text`),
      );
    } else if (!containsShallOrMust(requirementText)) {
      issues.push(issue('WARNING', entryPath, missingShallOrMustMessage(label, block.name, true)));
    }
    if (countScenarios(bodyLines) < 1) {
      issues.push(issue('ERROR', entryPath, `${label} must include at least one scenario${emptyScenarioHint(bodyLines)}`));
    }
  }
  return names;
}

function crossSectionConflicts(
  plan: DeltaPlan,
  addedNames: Set<string>,
  modifiedNames: Set<string>,
  removedNames: Set<string>,
  entryPath: string,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const n of modifiedNames) {
    if (removedNames.has(n)) issues.push(issue('ERROR', entryPath, `Requirement present in both MODIFIED and REMOVED: "${n}"`));
    if (addedNames.has(n)) issues.push(issue('ERROR', entryPath, `Requirement present in both MODIFIED and ADDED: "${n}"`));
  }
  for (const n of addedNames) {
    if (removedNames.has(n)) issues.push(issue('ERROR', entryPath, `Requirement present in both ADDED and REMOVED: "${n}"`));
  }
  for (const { from, to } of plan.renamed) {
    const fromKey = normalizeRequirementName(from);
    const toKey = normalizeRequirementName(to);
    if (modifiedNames.has(fromKey)) issues.push(issue('ERROR', entryPath, `MODIFIED references old name from RENAMED. Use new header for "${to}"`));
    if (addedNames.has(toKey)) issues.push(issue('ERROR', entryPath, `RENAMED TO collides with ADDED for "${to}"`));
    // Folded: a case or whitespace variant of the FROM header in REMOVED is the same contradiction.
    const removedFoldMatch = [...removedNames].find((r) => foldRequirementName(r) === foldRequirementName(fromKey));
    if (removedFoldMatch !== undefined) {
      issues.push(
        issue(
          'ERROR',
          entryPath,
          `Requirement present in both RENAMED and REMOVED: "${from}"` + (removedFoldMatch === fromKey ? '' : ` (REMOVED spells it "${removedFoldMatch}")`),
        ),
      );
    }
  }
  return issues;
}

/** Every check `openspec validate <spec>` runs on a main spec's text. Synchronous and pure. */
export function checkSpecContent(specName: string, content: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  try {
    const spec = new MarkdownParser(content).parseSpec(specName);
    const result = SpecSchema.safeParse(spec);
    if (!result.success) {
      for (const zodIssue of result.error.issues) issues.push(issue('ERROR', zodIssue.path.map(String).join('.'), zodIssue.message));
    }
    issues.push(...specRuleIssues(spec, content));
  } catch (error) {
    issues.push(issue('ERROR', 'file', enrichTopLevelError(errorMessage(error))));
  }
  return issues;
}

function specRuleIssues(spec: ParsedSpec, content: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const structural of findMainSpecStructureIssues(content)) issues.push(issue('ERROR', 'file', structural.message, structural.line));
  // Checked before brevity: a hand-written "TBD" is both, and only the placeholder finding says what to do.
  const placeholder = findPurposePlaceholderIssue(spec.overview, content);
  if (placeholder) issues.push(issue('WARNING', 'overview', VALIDATION_MESSAGES.PURPOSE_IS_PLACEHOLDER, placeholder.line));
  else if (spec.overview.length < MIN_PURPOSE_LENGTH) issues.push(issue('WARNING', 'overview', VALIDATION_MESSAGES.PURPOSE_TOO_BRIEF));
  spec.requirements.forEach((requirement, index) => {
    if (requirement.text.length > MAX_REQUIREMENT_TEXT_LENGTH) {
      issues.push(issue('INFO', `requirements[${index}]`, VALIDATION_MESSAGES.REQUIREMENT_TOO_LONG));
    }
    if (requirement.scenarios.length === 0) {
      issues.push(
        issue('WARNING', `requirements[${index}].scenarios`, `${VALIDATION_MESSAGES.REQUIREMENT_NO_SCENARIOS}. ${VALIDATION_MESSAGES.GUIDE_SCENARIO_FORMAT}`),
      );
    }
  });
  // The section reader folds the header into the text, so header and body are recovered from the blocks,
  // which is what lets a SHALL written only in the header get its own hint.
  extractRequirementsSection(content).bodyBlocks.forEach((block, index) => {
    const label = `Requirement "${block.name}"`;
    const requirementText = extractRequirementBody(block.raw.split('\n').slice(1));
    if (!requirementText) issues.push(issue('ERROR', `requirements[${index}]`, missingShallOrMustMessage(label, block.name)));
    else if (!containsShallOrMust(requirementText)) {
      issues.push(issue('WARNING', `requirements[${index}]`, missingShallOrMustMessage(label, block.name, true)));
    }
  });
  return issues;
}

/** Strict: warnings fail too. */
export function buildReport(issues: ValidationIssue[], strictMode: boolean): ValidationReport {
  const errors = issues.filter((found) => found.level === 'ERROR').length;
  const warnings = issues.filter((found) => found.level === 'WARNING').length;
  const info = issues.filter((found) => found.level === 'INFO').length;
  return { valid: strictMode ? errors === 0 && warnings === 0 : errors === 0, issues, summary: { errors, warnings, info } };
}

/** The item name for a spec or change file: the folder after `specs/` or `changes/`, else the file's stem. */
export function extractNameFromPath(filePath: string): string {
  const parts = filePath.replace(/\\/g, '/').split('/');
  for (let i = parts.length - 1; i >= 0; i--) {
    if ((parts[i] === 'specs' || parts[i] === 'changes') && i < parts.length - 1) return parts[i + 1] ?? '';
  }
  const fileName = parts[parts.length - 1] ?? '';
  const dotIndex = fileName.lastIndexOf('.');
  return dotIndex > 0 ? fileName.slice(0, dotIndex) : fileName;
}

/** Adds the remedy to the top-level errors that have one. */
export function enrichTopLevelError(baseMessage: string): string {
  const msg = baseMessage.trim();
  if (msg === VALIDATION_MESSAGES.CHANGE_NO_DELTAS) return `${msg}. ${VALIDATION_MESSAGES.GUIDE_NO_DELTAS}`;
  if (msg.includes('Spec must have a Purpose section') || msg.includes('Spec must have a Requirements section')) {
    return `${msg}. ${VALIDATION_MESSAGES.GUIDE_MISSING_SPEC_SECTIONS}`;
  }
  if (msg.includes('Change must have a Why section') || msg.includes('Change must have a What Changes section')) {
    return `${msg}. ${VALIDATION_MESSAGES.GUIDE_MISSING_CHANGE_SECTIONS}`;
  }
  return msg;
}

export function formatInvalidMarkerMessage(invalidReason: string): string {
  return `${VALIDATION_MESSAGES.CHANGE_SKIP_SPECS_INVALID_METADATA} (${invalidReason})`;
}

/**
 * A body without SHALL/MUST. When the keyword sits in the header instead, the message says to move it to the
 * line after the header, since a generic "must contain SHALL" is confusing next to a visible SHALL.
 */
function missingShallOrMustMessage(prefix: string, blockName: string, guidanceOnly = false): string {
  const base = `${prefix} ${guidanceOnly ? 'should' : 'must'} contain SHALL or MUST`;
  const suffix = guidanceOnly ? ' (RFC 2119 best practice for English specs)' : '';
  if (containsShallOrMust(blockName)) {
    return `${base} in the requirement body, not only in the header. Move the SHALL/MUST statement to the line immediately after the "### Requirement: ..." header.${suffix}`;
  }
  return `${base}${suffix}`;
}

/** Why a requirement with a visible scenario header still counts none: the header has no body. */
function emptyScenarioHint(bodyLines: readonly string[]): string {
  if (countEmptyScenarios(bodyLines) === 0) return '';
  return ' (a scenario header with no body under it does not count; add its steps, e.g. "- **WHEN** ..." and "- **THEN** ...")';
}

function formatSectionList(sections: readonly string[]): string {
  if (sections.length <= 1) return sections[0] ?? '';
  return `${sections.slice(0, -1).join(', ')} and ${sections[sections.length - 1] ?? ''}`;
}

/** Key order as the CLI's JSON prints it; `line` only when there is one. */
function issue(level: IssueLevel, issuePath: string, message: string, line?: number): ValidationIssue {
  return line === undefined ? { level, path: issuePath, message } : { level, path: issuePath, line, message };
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'Unknown error';
}
