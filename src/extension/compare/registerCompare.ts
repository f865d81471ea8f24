import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { currentRequirement, previewArchivedSpec, requirementText } from '../../core/openspec/specPreview';
import type { OpenSpecModels } from '../model/openSpecModels';
import { changeFromArgument } from '../model/changeArgument';
import type { PreviewDocuments } from './previewDocuments';

/** Arguments of "Compare with current spec": one requirement of one delta. */
export interface CompareRequirementArgs {
  readonly changeId: string;
  /** The root of the change's folder, when the window has several. */
  readonly folder?: string;
  readonly capability: string;
  readonly requirement: string;
}

/**
 * "Compare with current spec" (one requirement: the main spec's version against the delta's) and
 * "Compare Change with Specs" (every delta: the main spec now against what archive would write).
 * Both diff read-only virtual documents; nothing is written.
 */
export function registerCompare(deps: {
  models: OpenSpecModels;
  logger: Logger;
  previews: PreviewDocuments;
}): vscode.Disposable {
  const { previews } = deps;
  return vscode.Disposable.from(
    vscode.commands.registerCommand('openspecLoop.compareRequirement', async (args: CompareRequirementArgs) => {
      const found = await changeFromArgument(deps.models, args);
      const delta = found?.change.deltas.find((candidate) => candidate.capability === args.capability);
      const section = delta?.deltaSections.find((candidate) =>
        candidate.requirements.some((requirement) => requirement.name === args.requirement),
      );
      const proposed = section?.requirements.find((requirement) => requirement.name === args.requirement);
      if (!found || !delta || !section || !proposed) {
        void vscode.window.showWarningMessage(
          `Requirement "${args.requirement}" is no longer in change '${args.changeId}'.`,
        );
        return;
      }
      const main = found.folder.workspace.specs.find((spec) => spec.capability === args.capability);
      const current = requirementText(main ?? { text: '' }, currentRequirement(main, args.requirement));
      const after = section.operation === 'REMOVED' ? '' : requirementText(delta, proposed);
      const name = args.requirement.replace(/[\\/]/g, '-');
      await vscode.commands.executeCommand(
        'vscode.diff',
        previews.put(`${args.capability}/current/${name}.md`, current),
        previews.put(`${args.capability}/${args.changeId}/${name}.md`, after),
        `${args.capability}: ${args.requirement} (current ↔ ${section.operation} in ${args.changeId})`,
        { preview: true },
      );
    }),
    vscode.commands.registerCommand('openspecLoop.compareChange', async (argument?: unknown) => {
      const found = await changeFromArgument(deps.models, argument);
      if (!found) return;
      const { folder, change } = found;
      if (change.deltas.length === 0) {
        void vscode.window.showInformationMessage(`Change '${change.id}' has no delta specs to compare.`);
        return;
      }
      const resources = change.deltas.map((delta) => {
        const preview = previewArchivedSpec(folder.workspace, change, delta);
        const after = preview.ok ? preview.archived : `Archive would refuse this delta:\n${preview.reason}\n`;
        if (!preview.ok) deps.logger.warn(`Compare ${change.id}: ${preview.reason}`);
        const spec = folder.toUri(`${folder.workspace.openspecDir}/specs/${delta.capability}/spec.md`);
        // Both sides under the main spec's own path: the entry then reads as that file changing, not as a rename.
        const label = `openspec/specs/${delta.capability}/spec.md`;
        return [spec, previews.put(label, preview.current), previews.put(label, after)];
      });
      await vscode.commands.executeCommand('vscode.changes', `${change.id}: specs now ↔ after archive`, resources);
    }),
  );
}
