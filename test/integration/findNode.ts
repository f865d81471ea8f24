import type { ExplorerNode } from '../../src/extension/explorer/explorerNodes';
import type { ExplorerTreeProvider } from '../../src/extension/explorer/explorerTreeProvider';

/** The first node of the Changes view, depth first, that `matches`; tasks, deltas and loop runs are not opened. */
export async function findNode(
  provider: ExplorerTreeProvider,
  matches: (node: ExplorerNode) => boolean,
  parent?: ExplorerNode,
): Promise<ExplorerNode | undefined> {
  for (const child of await provider.getChildren(parent)) {
    if (matches(child)) return child;
    if (child.kind === 'tasks' || child.kind === 'delta' || child.kind === 'loopRun') continue;
    const found = await findNode(provider, matches, child);
    if (found) return found;
  }
  return undefined;
}
