import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import type { OpenSpecWorkspace } from '../../../src/core/openspec/model';
import { scanWorkspace } from '../../../src/core/openspec/workspaceScanner';
import { widgetsSpec } from './fixtures';

/** Where a change's delta of one capability lives in the `/p` project of the overlap tests. */
export function deltaPath(changeId: string, capability = 'widgets'): string {
  return `/p/openspec/changes/${changeId}/specs/${capability}/spec.md`;
}

/** The model of an in-memory `/p` project from its files. */
export async function scan(files: Record<string, string>): Promise<OpenSpecWorkspace> {
  const workspace = await scanWorkspace(new MemoryFileSystem(files), '/p');
  assert.ok(workspace);
  return workspace;
}

/** A project with the widgets main spec and one `widgets` delta per change id, plus any other files. */
export function workspaceWith(
  deltas: Record<string, string>,
  more: Record<string, string> = {},
): Promise<OpenSpecWorkspace> {
  const files: Record<string, string> = { '/p/openspec/specs/widgets/spec.md': widgetsSpec, ...more };
  for (const [id, text] of Object.entries(deltas)) files[deltaPath(id)] = text;
  return scan(files);
}
