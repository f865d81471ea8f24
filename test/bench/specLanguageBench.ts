import { completionsAt } from '../../src/core/language/specCompletion';
import { hoverAt } from '../../src/core/language/requirementHover';
import { WorkspaceModel } from '../../src/core/openspec/workspaceModel';
import { NodeFileSystem } from '../../src/node/nodeFileSystem';
import { timeSync, type Row } from './table';

/**
 * What a keystroke or a mouse rest costs in a large project (`root`, generated with `changes` changes): the
 * completion list after `### Requirement: ` in a MODIFIED section, and the hover on that header, over the
 * loaded live model as the editor holds it.
 */
export async function benchSpecLanguage(root: string, changes: number): Promise<Row[]> {
  const model = await WorkspaceModel.load(new NodeFileSystem(), root);
  if (!model) throw new Error(`no openspec/ folder under ${root}`);
  const workspace = model.workspace;
  const change = workspace.changes.find((candidate) => candidate.id === 'change-0500');
  const delta = change?.deltas.find((candidate) => candidate.deltaSections[0]?.operation === 'MODIFIED');
  const header = delta?.deltaSections[0]?.requirements[0]?.headerLine;
  if (!delta || header === undefined) throw new Error('the generated change-0500 has no MODIFIED delta');
  const typed = '### Requirement: ';
  const completion = timeSync(500, () => completionsAt(workspace, delta.path, header, typed.length, typed));
  const hover = timeSync(500, () => hoverAt(workspace, delta.path, header, 4));
  return [
    {
      what: `completion after "### Requirement: " (MODIFIED), ${changes} changes`,
      value: completion,
      unit: 'ms',
      note: 'target < 5 ms',
    },
    {
      what: `hover on a MODIFIED header (current text, scenarios, overlaps), ${changes} changes`,
      value: hover,
      unit: 'ms',
      note: 'target < 2 ms',
    },
  ];
}
