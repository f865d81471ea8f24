import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OpenSpecLoopApi } from '../../src/extension/extension';
import { waitFor } from '../harness/poll';
import { LmStudioStandIn } from '../lmstudio/standIn';
import { pointAtStandIn, type PointedStandIn } from './lmStudioSettings';

const EXTENSION_ID = 'openspec-loop.openspec-loop';
const TOKEN = 'sk-lm-from-settings';

interface Outcome {
  ok: boolean;
  reason?: string;
}

/**
 * LM Studio's token lives in VS Code's secret storage, not in a synced settings file: one found in the old
 * setting is moved there and removed from every scope that held it, and "Set LM Studio API Token" replaces it.
 */
describe('LM Studio API token in secret storage', function () {
  this.timeout(60_000);
  let standIn: PointedStandIn;
  let server: LmStudioStandIn;
  const settings = () => vscode.workspace.getConfiguration('openspecLoop.lmStudio');
  const review = () => vscode.commands.executeCommand<Outcome>('openspecLoop.reviewWithAi', 'add-farewell');

  before(async () => {
    const extension = vscode.extensions.getExtension<OpenSpecLoopApi>(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    standIn = await pointAtStandIn({ maxRetries: 0 }, { apiKey: TOKEN });
    server = standIn.server;
    server.setReplyHandler(() => JSON.stringify({ findings: [] }));
  });

  after(async () => {
    await vscode.commands.executeCommand('openspecLoop.setLmStudioToken', '');
    for (const target of [vscode.ConfigurationTarget.Global, vscode.ConfigurationTarget.Workspace])
      await settings().update('apiKey', undefined, target);
    await standIn.release();
  });

  it('moves a token from the old setting, removes it from user and workspace settings, and sends it', async () => {
    // The workspace value is the one that was in effect: it is the one kept.
    await settings().update('apiKey', 'sk-lm-stale-user-token', vscode.ConfigurationTarget.Global);
    await settings().update('apiKey', TOKEN, vscode.ConfigurationTarget.Workspace);
    await waitFor(
      () => {
        const inspected = settings().inspect<string>('apiKey');
        return inspected?.globalValue === undefined && inspected?.workspaceValue === undefined;
      },
      'the old setting to be emptied in both scopes',
      15_000,
    );
    const outcome = await review();
    assert.equal(outcome.ok, true, `the server refused the moved token: ${JSON.stringify(outcome)}`);
  });

  it('replaces and removes the token with "Set LM Studio API Token"', async () => {
    assert.equal(await vscode.commands.executeCommand('openspecLoop.setLmStudioToken', ''), 'removed');
    const refused = await review();
    assert.deepEqual(
      { ok: refused.ok, reason: refused.reason },
      { ok: false, reason: 'authRequired' },
      'without a token the server turns the review away',
    );
    assert.equal(await vscode.commands.executeCommand('openspecLoop.setLmStudioToken', TOKEN), 'stored');
    assert.equal((await review()).ok, true);
    assert.equal(settings().inspect<string>('apiKey')?.globalValue, undefined, 'nothing was written to settings');
  });
});
