import type { Change, MainSpecDocument, OpenSpecWorkspace } from '../../openspec/model';
import { checkRelativePath } from './pathConfinement';
import { ToolRefusal } from './toolResults';

/** The active change `id`; an unknown id is refused with the ids that exist, so the agent can correct itself. */
export function findChange(workspace: OpenSpecWorkspace, id: string): Change {
  checkRelativePath(id, 'Change id');
  const change = workspace.changes.find((candidate) => candidate.id === id);
  if (change) return change;
  const known = workspace.changes.map((candidate) => candidate.id);
  throw new ToolRefusal(`No change "${id}" under openspec/changes/. ${listing('Changes', known)}`);
}

/** The main spec of `capability` (`audit/log`). */
export function findSpec(workspace: OpenSpecWorkspace, capability: string): MainSpecDocument {
  checkRelativePath(capability, 'Capability');
  const spec = workspace.specs.find((candidate) => candidate.capability === capability);
  if (spec) return spec;
  const known = workspace.specs.map((candidate) => candidate.capability);
  throw new ToolRefusal(`No spec "${capability}" under openspec/specs/. ${listing('Specs', known)}`);
}

function listing(what: string, ids: readonly string[]): string {
  if (ids.length === 0) return `There are none.`;
  const shown = ids.slice(0, 50);
  return `${what}: ${shown.join(', ')}${ids.length > shown.length ? `, and ${ids.length - shown.length} more` : ''}.`;
}
