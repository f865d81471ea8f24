/**
 * Names for folders that agents can tell apart: each one's own name, and `name (2)`, `name (3)` … for the
 * later ones of folders that share it (two checkouts both called `app`).
 */
export function uniqueFolderNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    let unique = name;
    for (let n = 2; taken.has(unique); n++) unique = `${name} (${n})`;
    taken.add(unique);
    return unique;
  });
}
