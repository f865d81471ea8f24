import type { MainSpecDocument } from '../../core/openspec/model';
import type { FolderModel } from '../model/openSpecModels';
import type { ExplorerNode } from './explorerNodes';
import { requirementNode } from './changeChildren';
import { compareText } from '../../core/compareText';

/**
 * The capabilities one level below `prefix` ('' for the top): a nested path such as `audit/log` shows as
 * `audit` › `log`. A segment that has its own spec.md is a spec node (its nested capabilities come first
 * among its children); one without is a plain folder node.
 */
export function capabilityChildren(
  folder: FolderModel,
  parentId: string,
  specs: readonly MainSpecDocument[],
  prefix: string,
): ExplorerNode[] {
  const byCapability = new Map(specs.map((spec) => [spec.capability, spec]));
  const start = prefix === '' ? '' : `${prefix}/`;
  const segments = new Set<string>();
  for (const spec of specs) {
    if (!spec.capability.startsWith(start) || spec.capability === prefix) continue;
    const segment = spec.capability.slice(start.length).split('/')[0];
    if (segment) segments.add(segment);
  }
  return [...segments]
    .sort((a, b) => compareText(a, b))
    .map((segment): ExplorerNode => {
      const capability = `${start}${segment}`;
      const id = `${parentId}/cap:${capability}`;
      const document = byCapability.get(capability);
      return document
        ? { kind: 'spec', id, folder, document }
        : { kind: 'capabilityFolder', id, folder, prefix: capability };
    });
}

export function specChildren(
  folder: FolderModel,
  parentId: string,
  specs: readonly MainSpecDocument[],
  spec: MainSpecDocument,
): ExplorerNode[] {
  const nested = capabilityChildren(folder, parentId, specs, spec.capability);
  const requirements = spec.requirements.map((requirement, index) =>
    requirementNode(folder, `${parentId}/req:${index}`, spec.path, requirement),
  );
  return [...nested, ...requirements];
}
