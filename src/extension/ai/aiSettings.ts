import * as vscode from 'vscode';
import { normalizeLmStudioSettings, type LmStudioSettings } from '../../core/ai/transport/lmStudio';

/** The `openspecLoop.lmStudio.*` settings as the core's LmStudioSettings (defaults and clean-up included). */
export function readLmStudioSettings(): LmStudioSettings {
  const config = vscode.workspace.getConfiguration('openspecLoop.lmStudio');
  const number = (key: string) => {
    const value = config.get<unknown>(key);
    return typeof value === 'number' ? value : undefined;
  };
  const firstTokenTimeoutMs = number('firstTokenTimeoutMs');
  const idleTimeoutMs = number('idleTimeoutMs');
  const maxRetries = number('maxRetries');
  return normalizeLmStudioSettings({
    baseUrl: config.get<string>('baseUrl', ''),
    model: config.get<string>('model', ''),
    apiKey: config.get<string>('apiKey', ''),
    ...(firstTokenTimeoutMs !== undefined ? { firstTokenTimeoutMs } : {}),
    ...(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {}),
    ...(maxRetries !== undefined ? { maxRetries } : {}),
  });
}

export function affectsLmStudio(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('openspecLoop.lmStudio');
}
