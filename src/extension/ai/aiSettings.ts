import * as vscode from 'vscode';
import { normalizeLmStudioSettings, type LmStudioSettings } from '../../core/ai/transport/lmStudio';

/**
 * The `openspecLoop.lmStudio.*` settings as the core's LmStudioSettings (defaults and clean-up included), without
 * the token: it lives in secret storage, and `LmStudioSettingsSource` adds it for requests.
 */
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
    ...(firstTokenTimeoutMs !== undefined ? { firstTokenTimeoutMs } : {}),
    ...(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {}),
    ...(maxRetries !== undefined ? { maxRetries } : {}),
  });
}

/** What every request to LM Studio is built from: the settings and, when one is stored, the API token. */
export type LmStudioSettingsSource = () => Promise<LmStudioSettings>;

export function lmStudioSettingsWith(token: { get(): Promise<string | undefined> }): LmStudioSettingsSource {
  return async () => {
    const apiKey = await token.get();
    return normalizeLmStudioSettings({ ...readLmStudioSettings(), ...(apiKey ? { apiKey } : {}) });
  };
}

export function affectsLmStudio(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('openspecLoop.lmStudio');
}
