import type { DeltaOperation, OpenSpecWorkspace, Range } from '../openspec/model';
import { compareText } from '../compareText';

/** One requirement Ctrl+T offers: in a main spec, or in an active change's delta. */
export interface RequirementSymbol {
  readonly name: string;
  /** The capability, and for a delta the change and its operation: `auth · add-lockout (MODIFIED)`. */
  readonly containerName: string;
  /** Index into the workspaces searched, so the shell knows which folder's URI to build. */
  readonly workspaceIndex: number;
  /** Absolute POSIX path. */
  readonly file: string;
  readonly range: Range;
  readonly operation?: DeltaOperation;
}

/** More than a picker can show helps nobody and costs the round trip; the query narrows it. */
export const WORKSPACE_SYMBOL_LIMIT = 200;

/**
 * Requirements of every main spec and every active change's delta whose name matches `query`: a substring
 * first (a prefix, then a word start, then anywhere: "lockout" finds "Account lockout"), then the letters in
 * order ("acclk"). Archived changes are history, not places to work, and stay out. At most `limit`, best first.
 */
export function workspaceSymbols(
  workspaces: readonly OpenSpecWorkspace[],
  query: string,
  limit = WORKSPACE_SYMBOL_LIMIT,
): RequirementSymbol[] {
  const wanted = query.trim().toLowerCase();
  const scored: { score: number; symbol: RequirementSymbol }[] = [];
  const consider = (symbol: RequirementSymbol) => {
    const score = matchScore(symbol.name.toLowerCase(), wanted);
    if (score !== undefined) scored.push({ score, symbol });
  };
  workspaces.forEach((workspace, workspaceIndex) => {
    for (const spec of workspace.specs) {
      for (const requirement of spec.requirements)
        consider({
          name: requirement.name,
          containerName: spec.capability,
          workspaceIndex,
          file: spec.path,
          range: requirement.range,
        });
    }
    for (const change of workspace.changes) {
      for (const delta of change.deltas) {
        for (const section of delta.deltaSections) {
          const containerName = `${delta.capability} · ${change.id} (${section.operation})`;
          for (const requirement of section.requirements)
            consider({
              name: requirement.name,
              containerName,
              workspaceIndex,
              file: delta.path,
              range: requirement.range,
              operation: section.operation,
            });
          // A rename's new name is a requirement the change brings; its FROM line is found under the old name.
          for (const rename of section.renames)
            consider({
              name: rename.to || rename.from,
              containerName,
              workspaceIndex,
              file: delta.path,
              range: {
                start: { line: rename.toLine ?? rename.fromLine, character: 0 },
                end: { line: rename.toLine ?? rename.fromLine, character: 0 },
              },
              operation: section.operation,
            });
        }
      }
    }
  });
  return scored
    .sort(
      (a, b) =>
        a.score - b.score || a.symbol.name.length - b.symbol.name.length || compareText(a.symbol.name, b.symbol.name),
    )
    .slice(0, limit)
    .map((entry) => entry.symbol);
}

/** Lower is better; undefined when the name does not match at all. */
function matchScore(name: string, query: string): number | undefined {
  if (query === '') return 0;
  const at = name.indexOf(query);
  if (at === 0) return 0;
  if (at > 0) return /[\s\-_/.(]/.test(name[at - 1] ?? '') ? 1 : 2;
  let from = 0;
  for (const letter of query) {
    if (letter === ' ') continue;
    const found = name.indexOf(letter, from);
    if (found < 0) return undefined;
    from = found + 1;
  }
  return 3;
}
