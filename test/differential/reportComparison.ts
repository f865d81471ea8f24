import { isDeepStrictEqual } from 'node:util';
import { CliResult } from './cliRunner';
import { describeIssueDiff, diffIssues, IssueDiff, isCleanDiff, JsonIssue } from './issueMatching';

interface JsonItem {
  id: string;
  type: string;
  valid: boolean;
  issues: JsonIssue[];
}

export interface ItemComparison {
  key: string;
  referenceValid: boolean;
  oursValid: boolean;
  errorsAndWarnings: IssueDiff;
  info: IssueDiff;
}

/** Everything learned from one pair of runs with the same arguments in the same folder. */
export interface InvocationComparison {
  /** Exit code, output shape, error envelope, summary/root/version, missing or extra items. */
  envelopeProblems: string[];
  items: ItemComparison[];
  missingItems: string[];
  extraItems: string[];
  /** Set when both sides list the same items with their ids in a different order (a soft difference). */
  orderProblem?: string;
  /** Reference issues of each kind, for agreement figures. */
  referenceCounts: { errorsAndWarnings: number; info: number };
}

const HARD_LEVELS = new Set(['ERROR', 'WARNING']);

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function readItems(report: Record<string, unknown>): Map<string, JsonItem> {
  const items = new Map<string, JsonItem>();
  const list = report['items'];
  if (!Array.isArray(list)) return items;
  for (const entry of list as JsonItem[]) items.set(`${entry.type}/${entry.id}`, entry);
  return items;
}

function compareItem(key: string, reference: JsonItem, ours: JsonItem): ItemComparison {
  const issuesOf = (item: JsonItem): JsonIssue[] => (Array.isArray(item.issues) ? item.issues : []);
  const hard = (issues: JsonIssue[]): JsonIssue[] => issues.filter((issue) => HARD_LEVELS.has(issue.level));
  const soft = (issues: JsonIssue[]): JsonIssue[] => issues.filter((issue) => !HARD_LEVELS.has(issue.level));
  return {
    key,
    referenceValid: reference.valid,
    oursValid: ours.valid,
    errorsAndWarnings: diffIssues(hard(issuesOf(reference)), hard(issuesOf(ours))),
    info: diffIssues(soft(issuesOf(reference)), soft(issuesOf(ours))),
  };
}

function compareSection(name: string, reference: Record<string, unknown>, ours: Record<string, unknown>): string[] {
  if (isDeepStrictEqual(reference[name], ours[name])) return [];
  return [
    `"${name}" differs: openspec ${JSON.stringify(reference[name])}, openspec-loop ${JSON.stringify(ours[name])}`,
  ];
}

export function compareInvocation(reference: CliResult, ours: CliResult): InvocationComparison {
  const result: InvocationComparison = {
    envelopeProblems: [],
    items: [],
    missingItems: [],
    extraItems: [],
    referenceCounts: { errorsAndWarnings: 0, info: 0 },
  };
  const problems = result.envelopeProblems;
  if (reference.failure) problems.push(`openspec run failed: ${reference.failure}`);
  if (ours.failure) problems.push(`openspec-loop run failed: ${ours.failure}`);
  if (reference.exitCode !== ours.exitCode) {
    problems.push(`exit code: openspec ${reference.exitCode}, openspec-loop ${ours.exitCode}`);
  }
  const referenceJson = asRecord(parseJson(reference.stdout));
  const oursJson = asRecord(parseJson(ours.stdout));
  if (!referenceJson) {
    if (reference.stdout.trim() !== ours.stdout.trim()) {
      problems.push(
        `stdout differs: openspec ${JSON.stringify(reference.stdout.trim())}, openspec-loop ${JSON.stringify(ours.stdout.trim().slice(0, 400))}`,
      );
    }
    return result;
  }
  if (!oursJson) {
    problems.push(
      `openspec-loop did not print a JSON object: ${JSON.stringify(ours.stdout.slice(0, 300))}${ours.stderr ? ` (stderr: ${JSON.stringify(ours.stderr.slice(0, 300))})` : ''}`,
    );
    return result;
  }
  const referenceKeys = Object.keys(referenceJson).sort();
  const oursKeys = Object.keys(oursJson).sort();
  if (!isDeepStrictEqual(referenceKeys, oursKeys)) {
    problems.push(`top-level keys: openspec [${referenceKeys.join(', ')}], openspec-loop [${oursKeys.join(', ')}]`);
  }
  if ('status' in referenceJson || 'status' in oursJson)
    problems.push(...compareSection('status', referenceJson, oursJson));
  if (!('items' in referenceJson)) return result;
  for (const section of ['summary', 'version', 'root'])
    problems.push(...compareSection(section, referenceJson, oursJson));

  const referenceItems = readItems(referenceJson);
  const oursItems = readItems(oursJson);
  for (const [key, item] of referenceItems) {
    result.referenceCounts.errorsAndWarnings += item.issues.filter((issue) => HARD_LEVELS.has(issue.level)).length;
    result.referenceCounts.info += item.issues.filter((issue) => !HARD_LEVELS.has(issue.level)).length;
    const twin = oursItems.get(key);
    if (twin) result.items.push(compareItem(key, item, twin));
    else result.missingItems.push(key);
  }
  result.extraItems = [...oursItems.keys()].filter((key) => !referenceItems.has(key));
  // Ids only: a change and a spec with the same id tie, and the reference lists tied items in completion order.
  const referenceOrder = [...referenceItems.values()].map((item) => item.id);
  const oursOrder = [...oursItems.values()].map((item) => item.id);
  if (result.missingItems.length + result.extraItems.length === 0 && !isDeepStrictEqual(referenceOrder, oursOrder)) {
    result.orderProblem = `item order differs: openspec [${referenceOrder.join(', ')}], openspec-loop [${oursOrder.join(', ')}]`;
  }
  return result;
}

export function itemAgrees(item: ItemComparison): boolean {
  return item.referenceValid === item.oursValid && isCleanDiff(item.errorsAndWarnings);
}

/** The ERROR/WARNING-level differences, one line each, ready for an assertion message. */
export function describeHardMismatches(comparison: InvocationComparison): string[] {
  const lines = [...comparison.envelopeProblems];
  lines.push(...comparison.missingItems.map((key) => `${key}: only in openspec`));
  lines.push(...comparison.extraItems.map((key) => `${key}: only in openspec-loop`));
  for (const item of comparison.items) {
    if (item.referenceValid !== item.oursValid) {
      lines.push(`${item.key}: valid is ${item.referenceValid} in openspec, ${item.oursValid} in openspec-loop`);
    }
    lines.push(...describeIssueDiff(item.errorsAndWarnings).map((line) => `${item.key}: ${line}`));
  }
  return lines;
}

/** The soft differences: INFO issues, and the order items are listed in. */
export function describeSoftMismatches(comparison: InvocationComparison): string[] {
  const lines = comparison.items.flatMap((item) => describeIssueDiff(item.info).map((line) => `${item.key}: ${line}`));
  return comparison.orderProblem ? [comparison.orderProblem, ...lines] : lines;
}
