import { buildCodeFenceMask, startsWithHash } from './codeFence';

/**
 * Fence-aware reading of one requirement's body: its text, its scenarios, and the SHALL/MUST test. Main specs,
 * delta specs and archive all read requirements through these, so they accept and reject the same text.
 */

/** `**ID**: ...`-style metadata lines. */
const METADATA_LINE = /^\*\*[^*]+\*\*:/;
/** Any Markdown header: where a requirement body ends. */
const HEADER_LINE = /^#{1,6}\s/;
/**
 * Any level-4 header counts as a scenario, not only `#### Scenario:`: the main-spec reader treats every
 * level-4 child of a requirement as one, and the delta readers must agree with it.
 */
export const SCENARIO_HEADER = /^####\s+/;
/** A header at scenario level or above: where a scenario body ends. */
const SCENARIO_BODY_END = /^#{1,4}\s/;

/** A scenario header with nothing under it is not a scenario (the main-spec reader drops it too). */
export function hasScenarioBody(body: string): boolean {
  return body.trim().length > 0;
}

/** `SHALL` or `MUST` as whole words. */
export function containsShallOrMust(text: string): boolean {
  return /\b(SHALL|MUST)\b/.test(text);
}

/**
 * The requirement text in the lines after its header: every non-blank, non-fenced line up to the first
 * header, trimmed and joined with newlines. `**metadata**:` lines are dropped unless nothing else is there,
 * in which case they are the body.
 */
export function extractRequirementBody(bodyLines: readonly string[]): string {
  const mask = buildCodeFenceMask(bodyLines);
  const captured: string[] = [];
  const metadata: string[] = [];
  for (let i = 0; i < bodyLines.length; i++) {
    if (mask[i]) continue;
    const line = bodyLines[i] ?? '';
    if (startsWithHash(line) && HEADER_LINE.test(line)) break;
    const trimmed = line.trim();
    if (trimmed.length === 0) continue;
    if (METADATA_LINE.test(trimmed)) {
      metadata.push(trimmed);
      continue;
    }
    captured.push(trimmed);
  }
  if (captured.length > 0) return captured.join('\n');
  return metadata.join('\n');
}

/** The body, or the header title when there is none (how a bare `### The system SHALL ...` stays readable). */
export function extractRequirementText(headerTitle: string, bodyLines: readonly string[]): string {
  return extractRequirementBody(bodyLines) || headerTitle.trim();
}

/** Level-4 headers outside fences that have a body. */
export function countScenarios(bodyLines: readonly string[]): number {
  return readScenarioBodies(bodyLines).filter(hasScenarioBody).length;
}

/** Level-4 headers outside fences with nothing under them. */
export function countEmptyScenarios(bodyLines: readonly string[]): number {
  return readScenarioBodies(bodyLines).filter((body) => !hasScenarioBody(body)).length;
}

/** Each scenario's body runs to the next non-fenced header of level 4 or above. */
function readScenarioBodies(bodyLines: readonly string[]): string[] {
  const mask = buildCodeFenceMask(bodyLines);
  const bodies: string[] = [];
  for (let i = 0; i < bodyLines.length; i++) {
    if (mask[i] || !isHeader(SCENARIO_HEADER, bodyLines[i])) continue;
    let end = i + 1;
    while (end < bodyLines.length && (mask[end] || !isHeader(SCENARIO_BODY_END, bodyLines[end]))) end++;
    bodies.push(bodyLines.slice(i + 1, end).join('\n'));
  }
  return bodies;
}

function isHeader(pattern: RegExp, line: string | undefined): boolean {
  return line !== undefined && startsWithHash(line) && pattern.test(line);
}
