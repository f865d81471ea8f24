import type { Requirement } from '../../openspec/model';
import { foldRequirementName, normalizeRequirementName } from '../../validation/requirementNames';
import { documentLines } from '../prompt/documentListing';
import type { KnownDocument } from './findingPaths';
import { resolveFindingPath } from './findingPaths';
import type { ModelFinding, ReviewFinding } from './findingSchema';

export interface DiscardedFinding {
  readonly finding: ModelFinding;
  readonly reason: string;
}

export interface AnchoredFindings {
  readonly findings: ReviewFinding[];
  /** Findings about files outside the change and the specs it touches: logged, never shown as anchored. */
  readonly discarded: DiscardedFinding[];
}

/**
 * Turns what the model wrote into findings an editor can place: the path becomes a known workspace-relative
 * file; a named requirement supplies the line when the model gave none, or one outside that requirement;
 * the line is clamped to the file.
 */
export function anchorFindings(
  findings: readonly ModelFinding[],
  root: string,
  changeId: string,
  known: ReadonlyMap<string, KnownDocument>,
): AnchoredFindings {
  const anchored: ReviewFinding[] = [];
  const discarded: DiscardedFinding[] = [];
  for (const finding of findings) {
    const resolved = resolveFindingPath(finding.file, root, changeId, known);
    const document = resolved ? known.get(resolved.file) : undefined;
    if (!resolved || !document) {
      discarded.push({
        finding,
        reason: `"${finding.file}" is not a file of change ${changeId} or a main spec it touches`,
      });
      continue;
    }
    const requirement = finding.requirement ? findRequirement(document.requirements, finding.requirement) : undefined;
    let line = finding.line ?? resolved.line ?? undefined;
    if (
      requirement &&
      (line === undefined || line - 1 < requirement.range.start.line || line - 1 > requirement.range.end.line)
    ) {
      line = requirement.headerLine + 1;
    }
    const requirementName = requirement?.name ?? finding.requirement?.trim();
    const suggestion = finding.suggestion?.trim();
    anchored.push({
      severity: finding.severity,
      category: finding.category,
      file: resolved.file,
      ...(line !== undefined ? { line: clampLine(line, document.text) } : {}),
      ...(requirementName ? { requirement: requirementName } : {}),
      message: finding.message.trim(),
      ...(suggestion ? { suggestion } : {}),
    });
  }
  return { findings: anchored, discarded };
}

/** Matched as archive matches names, then ignoring case and spacing (models retype names loosely). */
export function findRequirement(requirements: readonly Requirement[], name: string): Requirement | undefined {
  const wanted = normalizeRequirementName(name.replace(/^#*\s*Requirement:\s*/i, ''));
  const exact = requirements.find((requirement) => normalizeRequirementName(requirement.name) === wanted);
  if (exact) return exact;
  const folded = foldRequirementName(wanted);
  return requirements.find((requirement) => foldRequirementName(normalizeRequirementName(requirement.name)) === folded);
}

function clampLine(line: number, text: string): number {
  return Math.min(Math.max(1, Math.round(line)), Math.max(1, documentLines(text).length));
}
