import * as vscode from 'vscode';
import { LmStudioStandIn, type StandInOptions } from '../lmstudio/standIn';

/** An LM Studio stand-in the extension's user settings point at, until `release`. */
export interface PointedStandIn {
  readonly server: LmStudioStandIn;
  /** Removes the settings `pointAtStandIn` wrote and closes the stand-in. */
  release(): Promise<void>;
}

/**
 * Starts a stand-in and writes `openspecLoop.lmStudio.baseUrl` (and `settings`, other keys of that section) to the
 * user settings, as a user pointing the extension at their server would. Suites share one extension host, so
 * each suite takes its settings away again when it is done.
 */
export async function pointAtStandIn(
  settings: Readonly<Record<string, unknown>> = {},
  options: StandInOptions = {},
): Promise<PointedStandIn> {
  const server = await LmStudioStandIn.start(options);
  const section = () => vscode.workspace.getConfiguration('openspecLoop.lmStudio');
  const written = { baseUrl: server.baseUrl, ...settings };
  for (const [key, value] of Object.entries(written))
    await section().update(key, value, vscode.ConfigurationTarget.Global);
  return {
    server,
    release: async () => {
      for (const key of Object.keys(written)) await section().update(key, undefined, vscode.ConfigurationTarget.Global);
      await server.close();
    },
  };
}
