import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspaceModel } from '../../src/core/openspec/workspaceModel';
import { NodeFileSystem } from '../../src/node/nodeFileSystem';
import { timeAsync, timeSync, type Row } from './table';

/**
 * How the live model keeps up in a large project (`root`, generated with `changes` changes): what the tree,
 * diagnostics and CodeLens wait for after an edit, a save, and an explicit Refresh.
 */
export async function benchModelRefresh(root: string, changes: number): Promise<Row[]> {
  const model = await WorkspaceModel.load(new NodeFileSystem(), root);
  if (!model) throw new Error(`no openspec/ folder under ${root}`);
  const tasksFile = join(root, 'openspec', 'changes', 'change-0500', 'tasks.md');
  const deltaFile = join(root, 'openspec', 'changes', 'change-0500', 'specs', 'new-capability-500', 'spec.md');
  const tasks = readFileSync(tasksFile, 'utf8');
  const delta = readFileSync(deltaFile, 'utf8');
  let typed = 0;
  const typing = timeSync(200, () => model.updateDocument(deltaFile, `${delta}\nTyped ${typed++}.\n`));
  const toggled = timeSync(200, () =>
    model.updateDocument(tasksFile, typed++ % 2 === 0 ? tasks.replace('- [ ]', '- [x]') : tasks),
  );
  const saved = await timeAsync(20, () => model.refresh(tasksFile));
  const full = await timeAsync(3, () => model.refresh());
  return [
    {
      what: `live model, ${changes} changes: a keystroke in a delta spec`,
      value: typing,
      unit: 'ms',
      note: 'target < 100 ms (refresh at 1,000 changes)',
    },
    { what: `live model, ${changes} changes: a task toggled`, value: toggled, unit: 'ms', note: 'target < 100 ms' },
    {
      what: `live model, ${changes} changes: a change folder re-read (watcher)`,
      value: saved,
      unit: 'ms',
      note: 'target < 100 ms',
    },
    {
      what: `live model, ${changes} changes: full re-scan (Refresh command)`,
      value: full,
      unit: 'ms',
      note: 'reads every file; re-parses only changed text',
    },
  ];
}
