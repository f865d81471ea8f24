import { buildCodeFenceMask } from './codeFence';
import type { DeltaPlan } from './deltaSpecParser';
import type { RequirementBlock } from './requirementBlocks';
import { foldRequirementName, normalizeRequirementName } from './requirementNames';
import { describeScenarioBalance, diffScenarioNames } from './scenarioNameDiff';
import { SpecMergeError, type SpecMergeRefusal } from './specMergeError';

export interface SpecMergeCounts {
  added: number;
  modified: number;
  removed: number;
  renamed: number;
}

/**
 * Applies the four operations to the main spec's requirements, keyed by normalized name. Each step sees
 * the spec as the earlier steps left it, which is what lets an already-synced delta apply as a no-op.
 */
export class RequirementMerge {
  private readonly byName = new Map<string, RequirementBlock>();
  /** Original positions, carrying each block's current key as renames change it. */
  private readonly orderedKeys: string[];

  constructor(
    private readonly specId: string,
    original: RequirementBlock[],
    private readonly isNewSpec: boolean,
    private readonly warnings: string[],
  ) {
    for (const block of original) this.byName.set(normalizeRequirementName(block.name), block);
    this.orderedKeys = original.map((block) => normalizeRequirementName(block.name));
  }

  apply(plan: DeltaPlan): SpecMergeCounts {
    const renamed = plan.renamed.filter((pair) => this.rename(pair.from, pair.to)).length;
    const removed = plan.removed.filter((name) => this.remove(name)).length;
    const modified = plan.modified.filter((block) => this.modify(block)).length;
    const added = plan.added.filter((block) => this.add(block)).length;
    return { added, modified, removed, renamed };
  }

  private fail(reason: SpecMergeRefusal, operation: string, header: string, detail: string): SpecMergeError {
    return new SpecMergeError(
      reason,
      `${this.specId} ${operation} failed for header "### Requirement: ${header}" - ${detail}`,
    );
  }

  /** A key other than `except` that differs from `name` only in case or spacing. */
  private nearMiss(name: string, except?: string): RequirementBlock | undefined {
    const key = [...this.byName.keys()].find(
      (k) => k !== except && foldRequirementName(k) === foldRequirementName(name),
    );
    return key === undefined ? undefined : this.byName.get(key);
  }

  private rename(rawFrom: string, rawTo: string): boolean {
    const from = normalizeRequirementName(rawFrom);
    const to = normalizeRequirementName(rawTo);
    const block = this.byName.get(from);
    if (!block) {
      if (!this.byName.has(to)) throw this.fail('rename-failed', 'RENAMED', rawFrom, 'source not found');
      // Target present and source gone: the rename was synced already, unless the source is only misspelled.
      const typo = this.nearMiss(from, to);
      if (typo) {
        throw this.fail(
          'rename-failed',
          'RENAMED',
          rawFrom,
          `source not found, but "### Requirement: ${typo.name}" exists; fix the header to match it exactly`,
        );
      }
      return false;
    }
    if (this.byName.has(to)) throw this.fail('rename-failed', 'RENAMED', rawTo, 'target already exists');
    const twin = this.nearMiss(to, from);
    if (twin) {
      throw this.fail(
        'rename-failed',
        'RENAMED',
        rawTo,
        `"### Requirement: ${twin.name}" already exists and differs only in case or spacing; choose a distinct name`,
      );
    }
    const header = `### Requirement: ${to}`;
    const lines = block.raw.split('\n');
    lines[0] = header;
    this.byName.delete(from);
    this.byName.set(to, { headerLine: header, name: to, raw: lines.join('\n') });
    const index = this.orderedKeys.indexOf(from);
    if (index >= 0) this.orderedKeys[index] = to;
    return true;
  }

  private remove(name: string): boolean {
    const key = normalizeRequirementName(name);
    if (this.byName.delete(key)) return true;
    // Already gone means already synced; a case or spacing variant still present means a typo.
    if (!this.isNewSpec) {
      const typo = this.nearMiss(key);
      if (typo) {
        throw this.fail(
          'remove-failed',
          'REMOVED',
          name,
          `not found, but "### Requirement: ${typo.name}" exists; fix the header to match it exactly`,
        );
      }
      this.warnings.push(
        `${this.specId} - REMOVED requirement "${name}" is not in the current spec; treating it as already removed.`,
      );
    }
    return false;
  }

  private modify(block: RequirementBlock): boolean {
    const key = normalizeRequirementName(block.name);
    const current = this.byName.get(key);
    if (!current) throw this.fail('modify-failed', 'MODIFIED', block.name, 'not found');
    const header = (block.raw.split('\n')[0] ?? '').match(/^###\s*Requirement:\s*(.+)\s*$/i);
    if (!header?.[1] || normalizeRequirementName(header[1]) !== key) {
      throw this.fail('modify-failed', 'MODIFIED', block.name, 'header mismatch in content');
    }
    const diff = diffScenarioNames(current, block);
    if (diff.missing.length > 0) {
      throw this.fail(
        'modify-failed',
        'MODIFIED',
        block.name,
        `current spec contains scenario(s) not present in the modified block: ${diff.missing.map((name) => `"${name}"`).join(', ')}. ` +
          `${describeScenarioBalance(diff)} Refresh the change spec before archiving to avoid dropping scenarios.`,
      );
    }
    this.byName.set(key, block);
    return normalizeBlockRaw(current.raw) !== normalizeBlockRaw(block.raw);
  }

  private add(block: RequirementBlock): boolean {
    const key = normalizeRequirementName(block.name);
    const existing = this.byName.get(key);
    if (existing) {
      if (normalizeBlockRaw(existing.raw) === normalizeBlockRaw(block.raw)) return false;
      throw this.fail('add-failed', 'ADDED', block.name, 'already exists');
    }
    const twin = this.nearMiss(key);
    if (twin) {
      throw this.fail(
        'add-failed',
        'ADDED',
        block.name,
        `"### Requirement: ${twin.name}" already exists and differs only in case or spacing; use MODIFIED with that exact header to change it, or choose a distinct name`,
      );
    }
    this.byName.set(key, block);
    return true;
  }

  /** Surviving blocks in their original places, then new ones in the order they were added. */
  keptInOrder(original: RequirementBlock[]): RequirementBlock[] {
    const kept: RequirementBlock[] = [];
    const seen = new Set<string>();
    original.forEach((block, index) => {
      const key = this.orderedKeys[index] ?? '';
      const replacement = this.byName.get(key);
      if (replacement) {
        kept.push(replacement);
        seen.add(key);
      }
      if (replacement !== block) this.warnIfForeignTailDropped(block, replacement);
    });
    for (const [key, block] of this.byName) if (!seen.has(key)) kept.push(block);
    return kept;
  }

  /** A note under an unrecognized heading rides inside the block above it and goes when that block is replaced. */
  private warnIfForeignTailDropped(block: RequirementBlock, replacement: RequirementBlock | undefined): void {
    const foreign = firstForeignTail(block.raw);
    if (!foreign) return;
    const tail = normalizeBlockRaw(foreign.raw);
    const keeps =
      replacement !== undefined &&
      countOccurrences(normalizeBlockRaw(replacement.raw), tail) >=
        countOccurrences(normalizeBlockRaw(block.raw), tail);
    if (keeps) return;
    this.warnings.push(
      `${this.specId} - "${foreign.heading}" sits inside requirement "${block.name}" and goes with it. ` +
        'Move it under its own requirement, or above `## Requirements`, to keep it.',
    );
  }
}

/** The part of a block from its first unfenced `#`..`###` heading after its own header. */
function firstForeignTail(raw: string): { heading: string; raw: string } | undefined {
  const lines = raw.replace(/\r\n?/g, '\n').split('\n');
  const mask = buildCodeFenceMask(lines);
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (!mask[index] && /^ {0,3}#{1,3}(?:[ \t]|$)/.test(line)) {
      return { heading: line.trim(), raw: lines.slice(index).join('\n').trimEnd() };
    }
  }
  return undefined;
}

function countOccurrences(haystack: string, needle: string): number {
  if (!needle) return 0;
  let count = 0;
  for (let start = haystack.indexOf(needle); start !== -1; start = haystack.indexOf(needle, start + needle.length))
    count++;
  return count;
}

function normalizeBlockRaw(raw: string): string {
  return raw.replace(/\r\n?/g, '\n').trim();
}
