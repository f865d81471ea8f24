import { rememberedFor } from '../../weakMemo';
import type { Change, DeltaOperation, OpenSpecWorkspace, Requirement, MainSpecDocument } from '../../openspec/model';
import { compareText } from '../../compareText';

export interface RequirementHit {
  /** 'spec' for a main spec, 'delta' for a change's delta spec. */
  readonly source: 'spec' | 'delta';
  /** Project-relative. */
  readonly file: string;
  readonly capability: string;
  readonly change?: string;
  readonly operation?: DeltaOperation;
  readonly requirement: string;
  /** 1-based line of the requirement header. */
  readonly line: number;
  readonly score: number;
  /** The body line that matched best (or the body's start). */
  readonly excerpt: string;
  /** Scenarios whose name or steps matched. */
  readonly scenarios: readonly string[];
}

export interface SearchOptions {
  readonly limit: number;
  /** 'all': every word of the query must occur; 'any': one is enough (for questions in prose). */
  readonly mode: 'all' | 'any';
  readonly relative: (file: string) => string;
}

interface Candidate {
  readonly source: RequirementHit['source'];
  readonly file: string;
  readonly capability: string;
  readonly change?: string;
  readonly operation?: DeltaOperation;
  readonly requirement: Requirement;
}

const STOP_WORDS = new Set(
  'a an and are as at be by can do does for from has have how i in is it its of on or shall should that the this to was what when where which who why will with must may'.split(
    ' ',
  ),
);

/** The words a query is matched by: lowercased letter and digit runs, common English glue words left out. */
export function queryTerms(query: string): string[] {
  const words = query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 2 && !STOP_WORDS.has(word));
  const unique = [...new Set(words)];
  const whole = query.trim().toLowerCase();
  return unique.length > 0 ? unique : whole !== '' ? [whole] : [];
}

/**
 * Case-insensitive search over requirement names, bodies and scenarios of main specs and change deltas,
 * ranked: a match in the name weighs most, then the body, then scenarios; the whole query as a phrase adds more.
 */
export function searchRequirements(
  workspace: OpenSpecWorkspace,
  query: string,
  options: SearchOptions,
): RequirementHit[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  const phrase = query.trim().toLowerCase();
  const hits: RequirementHit[] = [];
  const consider = (entries: readonly IndexedRequirement[]) => {
    for (const { all, candidate } of entries) {
      // Most requirements lack a term: one look at their whole text turns them away before any scoring.
      if (!mayMatch(all, terms, options.mode)) continue;
      const hit = scoreCandidate(candidate, terms, phrase, options);
      if (hit) hits.push(hit);
    }
  };
  for (const spec of workspace.specs) consider(rememberedFor(specEntries, spec, indexSpec));
  for (const change of workspace.changes) consider(rememberedFor(changeEntries, change, indexChange));
  hits.sort(compareHits);
  return hits.slice(0, Math.max(0, options.limit));
}

/** Best first: score, then main specs before deltas, then file and line; hits of several folders merge by it. */
export function compareHits(a: RequirementHit, b: RequirementHit): number {
  return (
    b.score - a.score ||
    (a.source === b.source ? 0 : a.source === 'spec' ? -1 : 1) ||
    compareText(a.file, b.file) ||
    a.line - b.line
  );
}

function scoreCandidate(
  candidate: Candidate,
  terms: readonly string[],
  phrase: string,
  options: SearchOptions,
): RequirementHit | undefined {
  const { requirement } = candidate;
  const { name, body, scenarios } = searchableText(requirement);
  let score = 0;
  let matchedTerms = 0;
  for (const term of terms) {
    const inName = name.includes(term);
    const inBody = occurrences(body, term);
    const inScenarios = scenarios.filter((scenario) => scenario.text.includes(term)).length;
    if (inName || inBody > 0 || inScenarios > 0) matchedTerms++;
    score += (inName ? 6 : 0) + Math.min(inBody, 3) * 2 + Math.min(inScenarios, 3);
  }
  if (options.mode === 'all' ? matchedTerms < terms.length : matchedTerms === 0) return undefined;
  if (phrase.length > 0)
    score +=
      (name.includes(phrase) ? 20 : 0) +
      (body.includes(phrase) ? 8 : 0) +
      (scenarios.some((scenario) => scenario.text.includes(phrase)) ? 4 : 0);
  return {
    source: candidate.source,
    file: options.relative(candidate.file),
    capability: candidate.capability,
    ...(candidate.change !== undefined ? { change: candidate.change } : {}),
    ...(candidate.operation !== undefined ? { operation: candidate.operation } : {}),
    requirement: requirement.name,
    line: requirement.headerLine + 1,
    score,
    excerpt: excerpt(requirement.body, terms),
    scenarios: scenarios
      .filter((scenario) => terms.some((term) => scenario.text.includes(term)))
      .map((scenario) => scenario.name),
  };
}

interface SearchableText {
  readonly name: string;
  readonly body: string;
  readonly scenarios: ReadonlyArray<{ readonly name: string; readonly text: string }>;
}

interface IndexedRequirement {
  /** Name, body and scenarios together, lowercased. */
  readonly all: string;
  readonly candidate: Candidate;
}

/**
 * Each spec's and change's requirements, lowercased once: a document that did not change keeps its parsed
 * objects, so a search over a large project prepares only what changed since the last one.
 */
const specEntries = new WeakMap<MainSpecDocument, readonly IndexedRequirement[]>();
const changeEntries = new WeakMap<Change, readonly IndexedRequirement[]>();
const searchable = new WeakMap<Requirement, SearchableText>();

function indexSpec(spec: MainSpecDocument): IndexedRequirement[] {
  return spec.requirements.map((requirement) =>
    indexed({ source: 'spec', file: spec.path, capability: spec.capability, requirement }),
  );
}

function indexChange(change: Change): IndexedRequirement[] {
  return change.deltas.flatMap((delta) =>
    delta.deltaSections.flatMap((section) =>
      section.requirements.map((requirement) =>
        indexed({
          source: 'delta',
          file: delta.path,
          capability: delta.capability,
          change: change.id,
          operation: section.operation,
          requirement,
        }),
      ),
    ),
  );
}

function indexed(candidate: Candidate): IndexedRequirement {
  const { name, body, scenarios } = searchableText(candidate.requirement);
  return { all: [name, body, ...scenarios.map((scenario) => scenario.text)].join('\n'), candidate };
}

function searchableText(requirement: Requirement): SearchableText {
  return rememberedFor(searchable, requirement, () => ({
    name: requirement.name.toLowerCase(),
    body: requirement.body.toLowerCase(),
    scenarios: requirement.scenarios.map((scenario) => ({
      name: scenario.name,
      text: `${scenario.name}\n${scenario.text}`.toLowerCase(),
    })),
  }));
}

function mayMatch(all: string, terms: readonly string[], mode: SearchOptions['mode']): boolean {
  return mode === 'all' ? terms.every((term) => all.includes(term)) : terms.some((term) => all.includes(term));
}

function occurrences(text: string, term: string): number {
  let count = 0;
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + term.length)) count++;
  return count;
}

function excerpt(body: string, terms: readonly string[]): string {
  const lines = body.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '');
  const best = lines.find((line) => terms.some((term) => line.toLowerCase().includes(term))) ?? lines[0] ?? '';
  return best.length > 300 ? `${best.slice(0, 297)}...` : best;
}
