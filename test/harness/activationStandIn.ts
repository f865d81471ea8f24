/**
 * An LM Studio stand-in that runs before VS Code starts, with the user settings pointing at it, so an integration
 * test can ask whether activation contacted LM Studio. The extension activates before any test runs, in another
 * process than the runner, so the stand-in lives with the runner and writes each request it receives to a file
 * the test reads. Every chat request is answered with a review that has no findings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LmStudioStandIn, type ReceivedRequest } from '../lmstudio/standIn';

/** How the test finds the stand-in: JSON `{"baseUrl", "requestLog"}` in this variable of the extension host. */
export const ACTIVATION_STAND_IN_VARIABLE = 'OPENSPEC_LOOP_ACTIVATION_STAND_IN';

export interface ActivationStandInInfo {
  readonly baseUrl: string;
  readonly requestLog: string;
}

export interface ActivationStandIn {
  /** For the user settings.json of the run. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** For the extension host's environment. */
  readonly env: Readonly<Record<string, string>>;
  close(): Promise<void>;
}

export async function startActivationStandIn(scratchDir: string): Promise<ActivationStandIn> {
  const requestLog = join(scratchDir, 'activation-lm-studio-requests.jsonl');
  const server = await LmStudioStandIn.start({ requestLog });
  server.setReplyHandler(() => JSON.stringify({ findings: [] }));
  const info: ActivationStandInInfo = { baseUrl: server.baseUrl, requestLog };
  return {
    settings: { 'openspecLoop.lmStudio.baseUrl': server.baseUrl },
    env: { [ACTIVATION_STAND_IN_VARIABLE]: JSON.stringify(info) },
    close: () => server.close(),
  };
}

/** Inside the extension host: the stand-in the run started, or a clear failure when the run started none. */
export function activationStandIn(): ActivationStandInInfo {
  const text = process.env[ACTIVATION_STAND_IN_VARIABLE];
  if (!text)
    throw new Error(
      `${ACTIVATION_STAND_IN_VARIABLE} is not set: run the integration tests with runIntegration.js or npx vscode-test, which start the stand-in`,
    );
  return JSON.parse(text) as ActivationStandInInfo;
}

/** What the stand-in has received so far. */
export function receivedRequests(info: ActivationStandInInfo): ReceivedRequest[] {
  let text: string;
  try {
    text = readFileSync(info.requestLog, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ReceivedRequest);
}
