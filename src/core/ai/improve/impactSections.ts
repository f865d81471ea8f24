import { indexLines } from '../../openspec/markdownLines';
import { impactEntry, nameKey, sharesWord, type ImpactEntry } from './impactEntries';
import { alignLines, contentLines, keptShare } from './impactLines';

/** A `#` or `##` heading with the non-blank lines it owns (up to the next heading of its level or higher). */
interface HeadingBlock {
  readonly level: number;
  readonly title: string;
  readonly body: readonly string[];
}

/**
 * The `#` and `##` sections the proposal no longer has, or has under another title. Headings are aligned in
 * order; one that only moved is neither; an unmatched one is a rename when a new heading of the same level
 * took its place and looks like it (a shared title word, or most of its lines kept), else a removal.
 */
export function sectionChanges(base: string, proposed: string): ImpactEntry[] {
  const before = headingBlocks(base);
  const after = headingBlocks(proposed);
  const key = (block: HeadingBlock) => `${block.level}\u0000${nameKey(block.title)}`;
  const pairs = alignLines(before.map(key), after.map(key));
  const matchedBefore = new Set(pairs.map(([index]) => index));
  const matchedAfter = new Set(pairs.map(([, index]) => index));
  // A heading that only moved is matched to its copy elsewhere, so a reorder is not reported as a loss.
  for (let index = 0; index < before.length; index++) {
    if (matchedBefore.has(index)) continue;
    const block = before[index];
    const moved = after.findIndex(
      (candidate, at) => !matchedAfter.has(at) && block !== undefined && key(candidate) === key(block),
    );
    if (moved < 0) continue;
    matchedBefore.add(index);
    matchedAfter.add(moved);
  }
  const entries: ImpactEntry[] = [];
  let from = 0;
  let afterFrom = 0;
  for (const [stop, afterStop] of [...pairs, [before.length, after.length] as const]) {
    // Only a heading in the same gap between aligned headings can have taken a lost one's place.
    const candidates = range(afterFrom, afterStop).filter((at) => !matchedAfter.has(at));
    for (let index = from; index < stop; index++) {
      const block = before[index];
      if (!block || matchedBefore.has(index)) continue;
      const partner = candidates.find((at) => {
        const candidate = after[at];
        return candidate !== undefined && candidate.level === block.level && looksAlike(block, candidate);
      });
      const subject = headingLabel(block);
      if (partner === undefined) {
        entries.push(impactEntry('sectionRemoved', subject, { name: block.title }));
        continue;
      }
      candidates.splice(candidates.indexOf(partner), 1);
      const renamed = after[partner];
      entries.push(
        impactEntry('sectionRenamed', subject, {
          name: block.title,
          ...(renamed ? { detail: `renamed to ${headingLabel(renamed)}` } : {}),
        }),
      );
    }
    from = stop + 1;
    afterFrom = afterStop + 1;
  }
  return entries;
}

export function headingLabel(block: { readonly level: number; readonly title: string }): string {
  return `${'#'.repeat(block.level)} ${block.title}`;
}

function headingBlocks(text: string): HeadingBlock[] {
  const index = indexLines(text);
  const headings = index.headings.filter((heading) => heading.level <= 2);
  return headings.map((heading, position) => {
    let end = index.lines.length;
    for (let next = position + 1; next < headings.length; next++) {
      const candidate = headings[next];
      if (candidate && candidate.level <= heading.level) {
        end = candidate.line;
        break;
      }
    }
    return { level: heading.level, title: heading.text, body: contentLines(index.lines.slice(heading.line + 1, end)) };
  });
}

function looksAlike(block: HeadingBlock, candidate: HeadingBlock): boolean {
  if (sharesWord(block.title, candidate.title)) return true;
  if (block.body.length === 0) return candidate.body.length === 0;
  return keptShare(block.body, candidate.body) >= 0.5;
}

function range(start: number, end: number): number[] {
  const out: number[] = [];
  for (let index = start; index < end; index++) out.push(index);
  return out;
}
