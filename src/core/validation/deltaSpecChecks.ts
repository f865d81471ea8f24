import { parseDeltaSpec, type DeltaPlan } from './deltaSpecParser';
import { foldRequirementName, normalizeRequirementName } from './requirementNames';
import { containsShallOrMust, countEmptyScenarios, countScenarios, extractRequirementBody } from './requirementText';
import { missingShallOrMustMessage } from './shallOrMustMessage';
import type { ValidationIssue } from './types';
import { issue } from './validationReport';

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
            issue: issue(
              'ERROR',
              entryPath,
              'No delta sections found. Add headers such as "## ADDED Requirements" or move non-delta notes outside specs/.',
            ),
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
    if (names.has(key))
      issues.push(issue('ERROR', entryPath, `Duplicate requirement in ${operation}: "${block.name}"`));
    else names.add(key);
    const label = `${operation} "${block.name}"`;
    const bodyLines = block.raw.split('\n').slice(1);
    const requirementText = extractRequirementBody(bodyLines);
    if (!requirementText) {
      issues.push(
        issue(
          'ERROR',
          entryPath,
          containsShallOrMust(block.name)
            ? missingShallOrMustMessage(label, block.name)
            : `${label} is missing requirement text`,
        ),
      );
    } else if (!containsShallOrMust(requirementText)) {
      issues.push(issue('WARNING', entryPath, missingShallOrMustMessage(label, block.name, true)));
    }
    if (countScenarios(bodyLines) < 1) {
      issues.push(
        issue('ERROR', entryPath, `${label} must include at least one scenario${emptyScenarioHint(bodyLines)}`),
      );
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
    if (removedNames.has(n))
      issues.push(issue('ERROR', entryPath, `Requirement present in both MODIFIED and REMOVED: "${n}"`));
    if (addedNames.has(n))
      issues.push(issue('ERROR', entryPath, `Requirement present in both MODIFIED and ADDED: "${n}"`));
  }
  for (const n of addedNames) {
    if (removedNames.has(n))
      issues.push(issue('ERROR', entryPath, `Requirement present in both ADDED and REMOVED: "${n}"`));
  }
  for (const { from, to } of plan.renamed) {
    const fromKey = normalizeRequirementName(from);
    const toKey = normalizeRequirementName(to);
    if (modifiedNames.has(fromKey))
      issues.push(issue('ERROR', entryPath, `MODIFIED references old name from RENAMED. Use new header for "${to}"`));
    if (addedNames.has(toKey)) issues.push(issue('ERROR', entryPath, `RENAMED TO collides with ADDED for "${to}"`));
    // Folded: a case or whitespace variant of the FROM header in REMOVED is the same contradiction.
    const removedFoldMatch = [...removedNames].find((r) => foldRequirementName(r) === foldRequirementName(fromKey));
    if (removedFoldMatch !== undefined) {
      issues.push(
        issue(
          'ERROR',
          entryPath,
          `Requirement present in both RENAMED and REMOVED: "${from}"` +
            (removedFoldMatch === fromKey ? '' : ` (REMOVED spells it "${removedFoldMatch}")`),
        ),
      );
    }
  }
  return issues;
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
