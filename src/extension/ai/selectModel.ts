import * as vscode from 'vscode';
import { inBackground } from '../background';
import { listModels } from '../../core/ai/transport/lmStudio';
import { isLlmError } from '../../core/ai/llmError';
import type { Logger } from '../../core/logger';
import { trustedFor } from '../workspaceTrust';
import type { LmStudioSettingsSource } from './aiSettings';
import type { FirstAiUse } from './firstAiUse';
import type { LmStudioStatus } from './lmStudioStatus';
import { compareText } from '../../core/compareText';

export interface SelectModelDeps {
  readonly status: LmStudioStatus;
  readonly settings: LmStudioSettingsSource;
  readonly firstUse: FirstAiUse;
  readonly logger: Logger;
}

/**
 * "Select LM Studio Model": the models LM Studio offers, loaded ones first, written to the
 * `openspecLoop.lmStudio.model` user setting (a model is a property of the machine, not of the project).
 * Asking LM Studio for its models is an AI use: it is refused in Restricted Mode, and it starts the status checks.
 */
export async function selectModel(deps: SelectModelDeps): Promise<string | undefined> {
  if (!trustedFor('Select LM Studio Model', 'it asks LM Studio for its models', deps.logger)) return undefined;
  deps.firstUse.start('Select LM Studio Model');
  const settings = await deps.settings();
  let models;
  try {
    models = (await listModels(settings)).models;
  } catch (error) {
    const message = isLlmError(error) ? `${error.message} ${error.hint}` : String(error);
    inBackground(deps.logger, 'opening the LM Studio settings', async () => {
      if (await vscode.window.showErrorMessage(message, 'Open Settings'))
        await vscode.commands.executeCommand('workbench.action.openSettings', 'openspecLoop.lmStudio.baseUrl');
    });
    return undefined;
  }
  const chat = models.filter((model) => model.type === undefined || !/embed/i.test(model.type));
  const sorted = [...chat].sort(
    (a, b) => Number(b.loaded === true) - Number(a.loaded === true) || compareText(a.id, b.id),
  );
  const automatic = {
    label: '$(sparkle) The loaded model',
    description: 'whichever model LM Studio has loaded',
    id: '',
  };
  const items = [
    automatic,
    ...sorted.map((model) => ({
      label: model.id,
      description: [
        model.loaded === true ? 'loaded' : model.loaded === false ? 'not loaded (LM Studio loads it on first use)' : '',
        model.contextLength ? `${model.contextLength} tokens` : '',
      ]
        .filter(Boolean)
        .join(' · '),
      id: model.id,
    })),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Model for OpenSpec Loop (LM Studio at ${settings.baseUrl})`,
    placeHolder: settings.model || 'the loaded model',
  });
  if (!picked) return undefined;
  await vscode.workspace
    .getConfiguration('openspecLoop.lmStudio')
    .update('model', picked.id, vscode.ConfigurationTarget.Global);
  await deps.status.check();
  return picked.id;
}
