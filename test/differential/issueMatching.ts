/** An issue as `openspec validate --json` prints it. */
export interface JsonIssue {
  level: string;
  path: string;
  line?: number;
  message: string;
}

export interface IssueDiff {
  matched: number;
  onlyReference: JsonIssue[];
  onlyOurs: JsonIssue[];
  /** Same level, path and message on both sides, but a different (or missing) line. */
  lineDiffers: Array<{ reference: JsonIssue; ours: JsonIssue }>;
}

const SEP = '\u0000';

function withoutLine(issue: JsonIssue): string {
  return [issue.level, issue.path, issue.message].join(SEP);
}

function withLine(issue: JsonIssue): string {
  return withoutLine(issue) + SEP + (issue.line === undefined ? '' : String(issue.line));
}

/** Removes from `pool` one entry per element of `wanted` that has the same key; returns what was not found. */
function subtract(wanted: JsonIssue[], pool: JsonIssue[], key: (issue: JsonIssue) => string): JsonIssue[] {
  const available = new Map<string, JsonIssue[]>();
  for (const issue of pool) {
    const bucket = available.get(key(issue)) ?? [];
    bucket.push(issue);
    available.set(key(issue), bucket);
  }
  const missing: JsonIssue[] = [];
  for (const issue of wanted) {
    const bucket = available.get(key(issue));
    if (bucket && bucket.length > 0) bucket.pop();
    else missing.push(issue);
  }
  pool.length = 0;
  for (const bucket of available.values()) pool.push(...bucket);
  return missing;
}

/** Multiset comparison: order never matters, multiplicity and `line` do. */
export function diffIssues(reference: JsonIssue[], ours: JsonIssue[]): IssueDiff {
  const oursLeft = [...ours];
  const referenceLeft = subtract(reference, oursLeft, withLine);
  const matched = reference.length - referenceLeft.length;
  const lineDiffers: IssueDiff['lineDiffers'] = [];
  const onlyReference: JsonIssue[] = [];
  for (const issue of referenceLeft) {
    const twin = oursLeft.findIndex((candidate) => withoutLine(candidate) === withoutLine(issue));
    if (twin === -1) {
      onlyReference.push(issue);
    } else {
      lineDiffers.push({ reference: issue, ours: oursLeft[twin] as JsonIssue });
      oursLeft.splice(twin, 1);
    }
  }
  return { matched, onlyReference, onlyOurs: oursLeft, lineDiffers };
}

export function isCleanDiff(diff: IssueDiff): boolean {
  return diff.onlyReference.length === 0 && diff.onlyOurs.length === 0 && diff.lineDiffers.length === 0;
}

const MAX_MESSAGE = 240;

export function describeIssue(issue: JsonIssue): string {
  const where = issue.line === undefined ? issue.path : `${issue.path}:${issue.line}`;
  const flat = issue.message.replace(/\r?\n/g, '\\n');
  const message = flat.length > MAX_MESSAGE ? `${flat.slice(0, MAX_MESSAGE)}…` : flat;
  return `${issue.level} ${where} ${message}`;
}

/** Lines such as `- only in openspec: ERROR specs/x.md ...`, one per difference. */
export function describeIssueDiff(diff: IssueDiff): string[] {
  return [
    ...diff.onlyReference.map((issue) => `- only in openspec:      ${describeIssue(issue)}`),
    ...diff.onlyOurs.map((issue) => `+ only in openspec-loop: ${describeIssue(issue)}`),
    ...diff.lineDiffers.map(
      ({ reference, ours }) =>
        `~ line differs (openspec ${reference.line ?? 'none'}, openspec-loop ${ours.line ?? 'none'}): ${describeIssue(reference)}`,
    ),
  ];
}
