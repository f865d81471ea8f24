import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every entry below a folder by relative POSIX path: a folder, a file's bytes (base64), or a link's target. */
export type TreeSnapshot = Map<string, string>;

export function snapshotTree(root: string): TreeSnapshot {
  const entries: TreeSnapshot = new Map();
  const visit = (dir: string, relative: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const name = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) entries.set(name, `link -> ${fs.readlinkSync(full)}`);
      else if (entry.isDirectory()) {
        entries.set(name, 'folder');
        visit(full, name);
      } else if (entry.isFile()) entries.set(name, `file ${fs.readFileSync(full).toString('base64')}`);
      else entries.set(name, 'other');
    }
  };
  visit(root, '');
  return entries;
}

/** One line per path that differs, in path order; empty when the trees are byte-identical. */
export function diffTrees(expected: TreeSnapshot, actual: TreeSnapshot): string[] {
  const paths = [...new Set([...expected.keys(), ...actual.keys()])].sort();
  const describe = (value: string | undefined): string =>
    value === undefined
      ? 'absent'
      : value.startsWith('file ')
        ? `file of ${Buffer.from(value.slice(5), 'base64').length} bytes`
        : value;
  return paths
    .filter((entry) => expected.get(entry) !== actual.get(entry))
    .map((entry) => `${entry}: reference ${describe(expected.get(entry))}, ours ${describe(actual.get(entry))}`);
}
