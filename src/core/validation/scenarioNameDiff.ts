import { buildCodeFenceMask } from './codeFence';
import { isHeader, type RequirementBlock } from './requirementBlocks';
import { SCENARIO_HEADER } from './requirementText';

/**
 * Scenario names compared between a main spec's requirement and the MODIFIED block replacing it: archive
 * refuses, and validate reports, a MODIFIED block that would silently drop scenarios.
 */

/** Both directions of the scenario-name comparison, plus the two totals. */
export interface ScenarioNameDiff {
  missing: string[];
  added: string[];
  currentCount: number;
  incomingCount: number;
}

/**
 * Scenario names of a current block and an incoming (MODIFIED) one, both ways, counting duplicates: a name
 * present N times on one side and M on the other leaves max(0, N - M) unmatched.
 */
export function diffScenarioNames(current: RequirementBlock, incoming: RequirementBlock): ScenarioNameDiff {
  const currentNames = parseScenarioNames(current.raw);
  const incomingNames = parseScenarioNames(incoming.raw);
  const unmatched = (names: string[], against: string[]): string[] => {
    const remaining = new Map<string, number>();
    for (const name of against) remaining.set(name, (remaining.get(name) ?? 0) + 1);
    const out: string[] = [];
    for (const name of names) {
      const left = remaining.get(name) ?? 0;
      if (left > 0) remaining.set(name, left - 1);
      else out.push(name);
    }
    return out;
  };
  return {
    missing: unmatched(currentNames, incomingNames),
    added: unmatched(incomingNames, currentNames),
    currentCount: currentNames.length,
    incomingCount: incomingNames.length,
  };
}

/** Scenario names the current block has and the incoming one drops. */
export function findMissingCurrentScenarios(current: RequirementBlock, incoming: RequirementBlock): string[] {
  return diffScenarioNames(current, incoming).missing;
}

const MAX_LISTED_ADDED_SCENARIOS = 3;

/** The sentence archive and validate both append when a MODIFIED block drops scenarios. */
export function describeScenarioBalance(diff: ScenarioNameDiff): string {
  const count = (value: number) => `${value} ${value === 1 ? 'scenario' : 'scenarios'}`;
  const scale = `The modified block has ${count(diff.incomingCount)}; the current spec has ${count(diff.currentCount)}.`;
  if (diff.added.length === 0) return `${scale} It adds none.`;
  const listed = diff.added
    .slice(0, MAX_LISTED_ADDED_SCENARIOS)
    .map((name) => `"${name}"`)
    .join(', ');
  const rest = diff.added.length - MAX_LISTED_ADDED_SCENARIOS;
  const names = rest > 0 ? `${listed} and ${rest} more` : listed;
  return `${scale} It adds ${count(diff.added.length)} not in the current spec: ${names}.`;
}

/**
 * The label of each non-fenced level-4 header, as the author reads it: without `####`, a closing `#` run
 * (only after a space or tab, as CommonMark renders it) and a `Scenario:` prefix.
 */
function parseScenarioNames(requirementRaw: string): string[] {
  const lines = requirementRaw.replace(/\r\n?/g, '\n').split('\n');
  const mask = buildCodeFenceMask(lines);
  const names: string[] = [];
  lines.forEach((line, index) => {
    if (mask[index] || !isHeader(SCENARIO_HEADER, line)) return;
    names.push(
      line
        .replace(SCENARIO_HEADER, '')
        .replace(/[ \t]+#+[ \t]*$/, '')
        .replace(/^Scenario:\s*/i, '')
        .trim(),
    );
  });
  return names;
}
