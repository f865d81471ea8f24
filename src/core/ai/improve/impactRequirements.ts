import type { DeltaOperation, Rename, Requirement, Scenario } from '../../openspec/model';
import { parseDeltaSpec, parseMainSpec } from '../../openspec/specDocuments';
import { foldRequirementName } from '../../validation/requirementNames';
import { findRequirement } from '../review/anchorFindings';
import { impactEntry, type ImpactEntry } from './impactEntries';
import { contentLines, keptShare, linesChangedOutside, textLines } from './impactLines';

/** A spec document to compare: a change's delta spec or a main spec, by its path and capability. */
export interface SpecFile {
  readonly kind: 'delta' | 'spec';
  readonly file: string;
  readonly capability: string;
}

interface Placed {
  /** The delta section it stands in; undefined in a main spec. */
  readonly operation?: DeltaOperation;
  readonly requirement: Requirement;
  /** Its lines below the header, for telling a rename from a removal. */
  readonly content: readonly string[];
}

/**
 * Requirements and scenarios the proposal loses, renames or moves. A requirement is looked for by name in
 * the same delta section, then by name in another section (moved: ADDED ↔ MODIFIED changes what archive
 * does), then as a renamed requirement of the same section that keeps most of its text.
 */
export function requirementChanges(spec: SpecFile, base: string, proposed: string): ImpactEntry[] {
  const before = placed(spec, base);
  const after = placed(spec, proposed);
  const partners = new Map<Placed, Placed>();
  const used = new Set<Placed>();
  const claim = (was: Placed, test: (is: Placed) => boolean) => {
    if (partners.has(was)) return;
    const is = after.find((candidate) => !used.has(candidate) && test(candidate));
    if (!is) return;
    partners.set(was, is);
    used.add(is);
  };
  const sameName = (was: Placed, is: Placed) =>
    foldRequirementName(was.requirement.name) === foldRequirementName(is.requirement.name);
  for (const was of before) claim(was, (is) => is.operation === was.operation && sameName(was, is));
  for (const was of before) claim(was, (is) => sameName(was, is));
  for (const was of before) claim(was, (is) => is.operation === was.operation && sameContent(was, is));
  const entries: ImpactEntry[] = [];
  for (const was of before) {
    const name = was.requirement.name;
    const is = partners.get(was);
    const extra = { name, requirement: name };
    if (!is) {
      entries.push(
        impactEntry('requirementRemoved', name, {
          ...extra,
          ...(was.operation ? { detail: `from ${was.operation}` } : {}),
        }),
      );
      continue;
    }
    if (is.operation !== was.operation && was.operation && is.operation) {
      entries.push(
        impactEntry('requirementMoved', name, {
          ...extra,
          from: was.operation,
          to: is.operation,
          detail: `${was.operation} → ${is.operation}`,
        }),
      );
    } else if (!sameName(was, is)) {
      entries.push(
        impactEntry('requirementRenamed', name, { ...extra, detail: `renamed to "${is.requirement.name}"` }),
      );
    }
    for (const scenario of lostScenarios(was.requirement, is.requirement)) {
      entries.push(
        impactEntry('scenarioRemoved', scenario.name, {
          name: scenario.name,
          requirement: name,
          detail: `from requirement "${name}"`,
        }),
      );
    }
  }
  if (spec.kind === 'delta') entries.push(...lostRenames(spec, base, proposed));
  return entries;
}

/** The base's requirement named `name` (matched loosely, as findings name it), when the document has one. */
export function findTargetRequirement(spec: SpecFile, base: string, name: string): Requirement | undefined {
  return name.trim() === ''
    ? undefined
    : findRequirement(
        placed(spec, base).map((entry) => entry.requirement),
        name,
      );
}

/** When only `target` (a requirement of the base) was to change: text outside it that did not stay. */
export function outsideTargetChanges(
  spec: SpecFile,
  base: string,
  proposed: string,
  target: Requirement,
): ImpactEntry[] {
  const counterpart = findRequirement(
    placed(spec, proposed).map((entry) => entry.requirement),
    target.name,
  );
  const keep = counterpart ? { start: counterpart.range.start.line, end: counterpart.range.end.line } : undefined;
  const changed = linesChangedOutside(
    textLines(base),
    textLines(proposed),
    target.range.start.line,
    target.range.end.line,
    keep,
  );
  if (changed === 0) return [];
  const detail = `${changed} ${changed === 1 ? 'line' : 'lines'} changed`;
  return [impactEntry('outsideTarget', target.name, { name: target.name, requirement: target.name, detail })];
}

function placed(spec: SpecFile, text: string): Placed[] {
  const lines = textLines(text);
  const content = (requirement: Requirement) =>
    contentLines(lines.slice(requirement.headerLine + 1, requirement.range.end.line + 1));
  if (spec.kind === 'spec') {
    return parseMainSpec(spec.file, spec.capability, text).requirements.map((requirement) => ({
      requirement,
      content: content(requirement),
    }));
  }
  return parseDeltaSpec(spec.file, spec.capability, text).deltaSections.flatMap((section) =>
    section.requirements.map((requirement) => ({
      operation: section.operation,
      requirement,
      content: content(requirement),
    })),
  );
}

/** A renamed requirement keeps most of its lines; one with no lines (a REMOVED bullet) is only known by name. */
function sameContent(was: Placed, is: Placed): boolean {
  return was.content.length > 0 && keptShare(was.content, is.content) >= 0.5;
}

/** Scenarios looked for by name, then (renamed) by most of their lines. */
function lostScenarios(was: Requirement, is: Requirement): Scenario[] {
  const used = new Set<Scenario>();
  const lost: Scenario[] = [];
  const unmatched = was.scenarios.filter((scenario) => {
    const partner = is.scenarios.find(
      (candidate) => !used.has(candidate) && foldRequirementName(candidate.name) === foldRequirementName(scenario.name),
    );
    if (partner) used.add(partner);
    return !partner;
  });
  for (const scenario of unmatched) {
    const lines = contentLines(scenario.text.split('\n'));
    const partner = is.scenarios.find(
      (candidate) =>
        !used.has(candidate) && lines.length > 0 && keptShare(lines, contentLines(candidate.text.split('\n'))) >= 0.5,
    );
    if (partner) used.add(partner);
    else lost.push(scenario);
  }
  return lost;
}

/** A RENAMED entry the proposal dropped: the rename would silently not happen at archive. */
function lostRenames(spec: SpecFile, base: string, proposed: string): ImpactEntry[] {
  const renames = (text: string): Rename[] =>
    parseDeltaSpec(spec.file, spec.capability, text).deltaSections.flatMap((section) => section.renames);
  const kept = new Set(renames(proposed).map((rename) => foldRequirementName(rename.from)));
  return renames(base)
    .filter((rename) => rename.from !== '' && !kept.has(foldRequirementName(rename.from)))
    .map((rename) =>
      impactEntry('requirementRemoved', rename.from, {
        name: rename.from,
        requirement: rename.from,
        detail: rename.to ? `its RENAMED entry (to "${rename.to}") is gone` : 'its RENAMED entry is gone',
      }),
    );
}
