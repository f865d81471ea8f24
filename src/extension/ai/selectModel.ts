import * as vscode from 'vscode';
import { listModels } from '../../core/ai/transport/lmStudio';
import { isLlmError } from '../../core/ai/llmError';
import { readLmStudioSettings } from './aiSettings';
import type { LmStudioStatus } from './lmStudioStatus';

/**
 * "Select LM Studio Model": the models LM Studio offers, loaded ones first, written to the
 * `openspecLoop.lmStudio.model` user setting (a model is a property of the machine, not of the project).
 */
export async function selectModel(status: LmStudioStatus): Promise<string | undefined> {
  const settings = readLmStudioSettings();
  let models;
  try {
    models = (await listModels(settings)).models;
  } catch (error) {
    const message = isLlmError(error) ? `${error.message} ${error.hint}` : String(error);
    void vscode.window.showErrorMessage(message, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'openspecLoop.lmStudio.baseUrl');
    });
    return undefined;
  }
  const chat = models.filter((model) => model.type === undefined || !/embed/i.test(model.type));
  const sorted = [...chat].sort(
    (a, b) => Number(b.loaded === true) - Number(a.loaded === true) || a.id.localeCompare(b.id),
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
  await status.check();
  return picked.id;
}
