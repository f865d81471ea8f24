import { buildCodeFenceMask, startsWithHash } from './codeFence';
import {
  REQUIREMENT_HEADER_REGEX,
  TOP_LEVEL_HEADER,
  isHeader,
  normalizeLineEndings,
  type RequirementBlock,
} from './requirementBlocks';
import { normalizeRequirementName } from './requirementNames';
import { rememberedByText } from './textMemo';

/**
 * A change's delta spec as `openspec validate` and `openspec archive` read it: the four delta sections, found
 * by title whatever their case, and everything the reader steps over, kept so validation can point at it.
 */

/** A level-3 header inside ADDED/MODIFIED that is not a `### Requirement:` header and is skipped. */
export interface SkippedHeader {
  header: string;
  /** The section title as the author spelled it. */
  section: string;
  line: number;
}

/** A RENAMED `FROM:` or `TO:` line that never formed a pair. */
export interface UnpairedRename {
  side: 'FROM' | 'TO';
  name: string;
  line: number;
}

/** A `### Requirement:` block outside every delta section (null section: above the first `## ` header). */
export interface OrphanedRequirement {
  name: string;
  section: string | null;
  line: number;
}

export interface DeltaPlan {
  added: RequirementBlock[];
  modified: RequirementBlock[];
  removed: string[];
  removedBlocks: RequirementBlock[];
  renamed: Array<{ from: string; to: string }>;
  unpairedRenames: UnpairedRename[];
  orphanedRequirements: OrphanedRequirement[];
  skippedHeaders: SkippedHeader[];
  sectionPresence: { added: boolean; modified: boolean; removed: boolean; renamed: boolean };
}

const LEVEL_3_HEADER = /^###\s+(.+?)\s*$/;
const SECTION_HEADER = /^(##)\s+(.+)$/;

function matchHeader(pattern: RegExp, line: string | undefined): RegExpExecArray | null {
  return line !== undefined && startsWithHash(line) ? pattern.exec(line) : null;
}

interface SectionBody {
  lines: string[];
  fenceMask: boolean[];
  /** 1-based line of the body's first line. */
  bodyStartLine: number;
}

/** Parses a delta spec into its plan: blocks per section plus everything the reader stepped over. */
// Remembered by text (textMemo): callers share each result and must not change it.
export const parseDeltaSpec: (content: string) => DeltaPlan = rememberedByText(computeParseDeltaSpec);

function computeParseDeltaSpec(content: string): DeltaPlan {
  const lines = normalizeLineEndings(content).split('\n');
  const fenceMask = buildCodeFenceMask(lines);
  const sections = splitTopLevelSections(lines, fenceMask);
  const addedLookup = getSectionsCaseInsensitive(sections, 'ADDED Requirements');
  const modifiedLookup = getSectionsCaseInsensitive(sections, 'MODIFIED Requirements');
  const removedLookup = getSectionsCaseInsensitive(sections, 'REMOVED Requirements');
  const renamedLookup = getSectionsCaseInsensitive(sections, 'RENAMED Requirements');
  const skippedHeaders: SkippedHeader[] = [];
  const added = addedLookup.bodies.flatMap((body) =>
    parseRequirementBlocksFromSection(body, { section: addedLookup.title, sink: skippedHeaders }),
  );
  const modified = modifiedLookup.bodies.flatMap((body) =>
    parseRequirementBlocksFromSection(body, { section: modifiedLookup.title, sink: skippedHeaders }),
  );
  const removed = removedLookup.bodies.flatMap(parseRemovedNames);
  const removedBlocks = removedLookup.bodies.flatMap((body) => parseRequirementBlocksFromSection(body));
  // Pairs are read per copy of the section, so a FROM in one copy never pairs with a TO in another.
  const unpairedRenames: UnpairedRename[] = [];
  const renamed = renamedLookup.bodies.flatMap((body) => parseRenamedPairs(body, unpairedRenames));
  unpairedRenames.sort((a, b) => a.line - b.line);
  skippedHeaders.sort((a, b) => a.line - b.line);
  return {
    added,
    modified,
    removed,
    removedBlocks,
    renamed,
    unpairedRenames,
    orphanedRequirements: findOrphanedRequirements(lines, fenceMask),
    skippedHeaders,
    sectionPresence: {
      added: addedLookup.found,
      modified: modifiedLookup.found,
      removed: removedLookup.found,
      renamed: renamedLookup.found,
    },
  };
}

/** The four delta section titles, folded as the section lookup folds them (single spaces only). */
const DELTA_SECTION_TITLES = new Set(
  ['ADDED Requirements', 'MODIFIED Requirements', 'REMOVED Requirements', 'RENAMED Requirements'].map((t) =>
    t.toLowerCase(),
  ),
);

/** Every `### Requirement:` header outside the delta sections, above the first `## ` header included. */
function findOrphanedRequirements(lines: readonly string[], fenceMask: readonly boolean[]): OrphanedRequirement[] {
  const orphans: OrphanedRequirement[] = [];
  let section: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    if (fenceMask[i]) continue;
    const line = lines[i] ?? '';
    const sectionMatch = matchHeader(SECTION_HEADER, line);
    if (sectionMatch) {
      section = (sectionMatch[2] ?? '').trim();
      continue;
    }
    if (section !== null && DELTA_SECTION_TITLES.has(section.toLowerCase())) continue;
    const header = matchHeader(REQUIREMENT_HEADER_REGEX, line);
    if (header) orphans.push({ name: normalizeRequirementName(header[1] ?? ''), section, line: i + 1 });
  }
  return orphans;
}

/** Every `## ` section as a list: a repeated header keeps each of its bodies. */
function splitTopLevelSections(
  lines: readonly string[],
  fenceMask: readonly boolean[],
): Array<{ title: string; body: SectionBody }> {
  const headers: Array<{ title: string; index: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    if (fenceMask[i]) continue;
    const m = matchHeader(SECTION_HEADER, lines[i]);
    if (m) headers.push({ title: (m[2] ?? '').trim(), index: i });
  }
  return headers.map((current, k) => {
    const end = headers[k + 1]?.index ?? lines.length;
    return {
      title: current.title,
      body: {
        lines: lines.slice(current.index + 1, end),
        fenceMask: fenceMask.slice(current.index + 1, end),
        bodyStartLine: current.index + 2,
      },
    };
  });
}

/** All bodies whose title folds to `desired`; `title` is the first spelling used, which messages quote. */
function getSectionsCaseInsensitive(
  sections: ReadonlyArray<{ title: string; body: SectionBody }>,
  desired: string,
): { title: string; bodies: SectionBody[]; found: boolean } {
  const target = desired.toLowerCase();
  const matches = sections.filter((section) => section.title.toLowerCase() === target);
  const first = matches[0];
  if (!first) return { title: desired, bodies: [], found: false };
  return { title: first.title, bodies: matches.map((section) => section.body), found: true };
}

function parseRequirementBlocksFromSection(
  sectionBody: SectionBody,
  skipped?: { section: string; sink: SkippedHeader[] },
): RequirementBlock[] {
  const { lines, fenceMask, bodyStartLine } = sectionBody;
  const isRequirementHeader = (i: number) => !fenceMask[i] && isHeader(REQUIREMENT_HEADER_REGEX, lines[i]);
  const isTopLevelHeader = (i: number) => !fenceMask[i] && isHeader(TOP_LEVEL_HEADER, lines[i]);
  const recordIfSkippedHeader = (index: number) => {
    if (!skipped || fenceMask[index]) return;
    const line = lines[index] ?? '';
    const h3 = matchHeader(LEVEL_3_HEADER, line);
    if (h3 && !REQUIREMENT_HEADER_REGEX.test(line)) {
      skipped.sink.push({ header: (h3[1] ?? '').trim(), section: skipped.section, line: bodyStartLine + index });
    }
  };
  const blocks: RequirementBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    while (i < lines.length && !isRequirementHeader(i)) recordIfSkippedHeader(i++);
    if (i >= lines.length) break;
    const headerLine = lines[i] ?? '';
    const name = normalizeRequirementName(REQUIREMENT_HEADER_REGEX.exec(headerLine)?.[1] ?? '');
    const buf = [headerLine];
    i++;
    while (i < lines.length && !isRequirementHeader(i) && !isTopLevelHeader(i)) {
      recordIfSkippedHeader(i);
      buf.push(lines[i] ?? '');
      i++;
    }
    blocks.push({ headerLine, name, raw: buf.join('\n').trimEnd() });
  }
  return blocks;
}

/** Names in REMOVED: `### Requirement:` headers, or a bullet (`-`, `*` or `+`) carrying one. */
function parseRemovedNames(sectionBody: SectionBody): string[] {
  const { lines, fenceMask } = sectionBody;
  const names: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (fenceMask[i]) continue;
    const line = lines[i] ?? '';
    const header = REQUIREMENT_HEADER_REGEX.exec(line);
    if (header) {
      names.push(normalizeRequirementName(header[1] ?? ''));
      continue;
    }
    const bullet = /^\s*[-*+]\s*`?###\s*Requirement:\s*(.+?)`?\s*$/.exec(line);
    if (bullet) names.push(normalizeRequirementName(bullet[1] ?? ''));
  }
  return names;
}

const FROM_LINE = /^\s*[-*+]?\s*FROM:\s*`?###\s*Requirement:\s*(.+?)`?\s*$/;
const TO_LINE = /^\s*[-*+]?\s*TO:\s*`?###\s*Requirement:\s*(.+?)`?\s*$/;

/**
 * FROM:/TO: pairs: a FROM followed by a TO with no other FROM between. A displaced FROM, a TO with no FROM,
 * and a FROM left pending at the end are recorded as unpaired rather than guessed at.
 */
function parseRenamedPairs(sectionBody: SectionBody, unpaired: UnpairedRename[]): Array<{ from: string; to: string }> {
  const { lines, fenceMask, bodyStartLine } = sectionBody;
  const pairs: Array<{ from: string; to: string }> = [];
  let pending: { name: string; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    if (fenceMask[i]) continue;
    const line = lines[i] ?? '';
    const fromMatch = FROM_LINE.exec(line);
    if (fromMatch) {
      if (pending) unpaired.push({ side: 'FROM', name: pending.name, line: pending.line });
      pending = { name: normalizeRequirementName(fromMatch[1] ?? ''), line: bodyStartLine + i };
      continue;
    }
    const toMatch = TO_LINE.exec(line);
    if (!toMatch) continue;
    const to = normalizeRequirementName(toMatch[1] ?? '');
    if (!pending) {
      unpaired.push({ side: 'TO', name: to, line: bodyStartLine + i });
      continue;
    }
    pairs.push({ from: pending.name, to });
    pending = undefined;
  }
  if (pending) unpaired.push({ side: 'FROM', name: pending.name, line: pending.line });
  return pairs;
}
