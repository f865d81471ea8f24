import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { planArchive } from '../../src/core/archive/planArchive';
import { makeRoot } from '../../src/core/validation/projectRoot';
import { NodeFileSystem } from '../../src/node/nodeFileSystem';
import { listChangeIds } from '../../src/core/validation/itemDiscovery';
import { diffTrees, snapshotTree } from '../differential/treeSnapshot';
import { median, type Row } from './table';

/**
 * Archiving one change of the generated project: `openspec archive <id> --yes --json` against
 * `openspec-loop archive`, each on its own fresh copy of the same project, interleaved; the trees afterwards
 * must be byte-identical.
 */
export async function benchArchive(
  root: string,
  label: string,
  bins: { openspec: string; ours: string },
  env: NodeJS.ProcessEnv,
): Promise<Row[]> {
  const change = await archivableChange(root);
  const theirs: number[] = [];
  const ours: number[] = [];
  let identical = true;
  for (let round = 0; round < 3; round++) {
    const theirCopy = `${root}-archive-theirs-${round}`;
    const ourCopy = `${root}-archive-ours-${round}`;
    cpSync(root, theirCopy, { recursive: true });
    cpSync(root, ourCopy, { recursive: true });
    // The copies' bytes reach the disk before the clock starts: a writer that syncs would otherwise pay for them.
    execFileSync('sync');
    theirs.push(timeArchive(bins.openspec, theirCopy, change, env));
    ours.push(timeArchive(bins.ours, ourCopy, change, env));
    identical &&= diffTrees(snapshotTree(theirCopy), snapshotTree(ourCopy)).length === 0;
    rmSync(theirCopy, { recursive: true, force: true });
    rmSync(ourCopy, { recursive: true, force: true });
  }
  const theirMs = median(theirs);
  const ourMs = median(ours);
  return [
    { what: `openspec archive <id> --yes --json (${label})`, value: theirMs, unit: 'ms', note: 'OpenSpec CLI 1.13.2' },
    {
      what: 'openspec-loop archive <id> --yes --json, same copy',
      value: ourMs,
      unit: 'ms',
      note: `${(theirMs / ourMs).toFixed(1)}x faster; trees afterwards ${identical ? 'identical' : 'DIFFER'}`,
    },
  ];
}

/** The first change that archives and updates at least one main spec. */
async function archivableChange(root: string): Promise<string> {
  const fs = new NodeFileSystem();
  const projectRoot = makeRoot(root, 'nearest');
  for (const id of await listChangeIds(fs, projectRoot.changesDir)) {
    const planning = await planArchive(fs, projectRoot, id);
    if (planning.ok && planning.plan.specs.length > 0) return id;
  }
  throw new Error('the generated project has no change that archives');
}

function timeArchive(bin: string, cwd: string, change: string, env: NodeJS.ProcessEnv): number {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, [bin, 'archive', change, '--yes', '--json'], { cwd, env, encoding: 'utf8' });
  return Number(process.hrtime.bigint() - start) / 1e6;
}
