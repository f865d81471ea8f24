import { documentSymbols } from '../../src/core/language/documentSymbols';
import { targetAt } from '../../src/core/language/languageTarget';
import { requirementKeyOf } from '../../src/core/language/requirementNameRange';
import { requirementReferences } from '../../src/core/language/requirementReferences';
import { workspaceSymbols } from '../../src/core/language/workspaceSymbols';
import { MemoryFileSystem } from '../../src/core/fs/memoryFileSystem';
import { scanWorkspace } from '../../src/core/openspec/workspaceScanner';
import { NodeFileSystem, toPosix } from '../../src/node/nodeFileSystem';
import { timeSync, type Row } from './table';
import { mainSpec } from './workspaceGenerator';

/**
 * The language features over the live model: Shift+F12 and Ctrl+T in a generated project of `changes` changes
 * (`root`), and the Outline of a 2,000-line main spec. Each figure is the median of many calls of the core
 * function the provider calls, on a model already in memory, as in the editor.
 */
export async function benchLanguage(root: string, changes: number): Promise<Row[]> {
  const workspace = await scanWorkspace(new NodeFileSystem(), toPosix(root));
  if (!workspace) throw new Error(`no openspec/ folder under ${root}`);
  // capability-5's Requirement 1 is modified by every change whose index is 5 modulo the spec count.
  const spec = workspace.specs.find((candidate) => candidate.capability === 'capability-5');
  const header = spec?.requirements[0];
  if (!spec || !header) throw new Error('capability-5 has no requirement');
  let found = 0;
  const references = timeSync(200, () => {
    const target = targetAt(workspace, spec.path, header.headerLine, 5);
    const key = target && requirementKeyOf(target);
    found = key ? requirementReferences(workspace, key).length : 0;
  });
  let matched = 0;
  const search = timeSync(50, () => (matched = workspaceSymbols([workspace], 'requirement 1').length));

  const bigText = mainSpec('big', 180);
  const lines = bigText.split('\n').length;
  const bigFile = '/big/openspec/specs/big/spec.md';
  const big = await scanWorkspace(new MemoryFileSystem({ [bigFile]: bigText }), '/big');
  if (!big) throw new Error('the big spec did not scan');
  const outline = timeSync(500, () => documentSymbols(big, bigFile));
  return [
    {
      what: `find all references, ${changes} changes`,
      value: references,
      unit: 'ms',
      note: `${found} places; target < 20 ms`,
    },
    {
      what: `workspace symbols "requirement 1", ${changes} changes`,
      value: search,
      unit: 'ms',
      note: `${matched} shown (bounded)`,
    },
    { what: `document symbols of a ${lines}-line spec`, value: outline, unit: 'ms', note: 'target < 2 ms' },
  ];
}
