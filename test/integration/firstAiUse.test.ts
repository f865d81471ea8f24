import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OpenSpecLoopApi } from '../../src/extension/extension';
import { activationStandIn, receivedRequests } from '../harness/activationStandIn';

const EXTENSION_ID = 'openspec-loop.openspec-loop';

/**
 * Someone who opens specs and never uses the AI costs LM Studio nothing: the stand-in the run started before VS
 * Code, named in the user settings the window opened with, hears from the extension only at the first AI command.
 */
describe('LM Studio on first AI use', function () {
  this.timeout(60_000);
  const settings = () => vscode.workspace.getConfiguration('openspecLoop.lmStudio');

  it('receives nothing at activation, and the first AI command reaches it', async () => {
    const standIn = activationStandIn();
    const extension = vscode.extensions.getExtension<OpenSpecLoopApi>(EXTENSION_ID);
    assert.ok(extension);
    // Activation has finished (tests start after it), and with it everything activation starts.
    await extension.activate();
    assert.deepEqual(receivedRequests(standIn), [], 'LM Studio was contacted before any AI use');

    // Other suites point the setting at stand-ins of their own and then remove it: name this one again.
    const before = settings().inspect<string>('baseUrl')?.globalValue;
    await settings().update('baseUrl', standIn.baseUrl, vscode.ConfigurationTarget.Global);
    try {
      const outcome = await vscode.commands.executeCommand<{ ok: boolean }>(
        'openspecLoop.reviewWithAi',
        'add-farewell',
      );
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      const paths = receivedRequests(standIn).map((request) => `${request.method} ${request.path}`);
      assert.ok(paths.includes('POST /v1/chat/completions'), paths.join(', '));
    } finally {
      await settings().update('baseUrl', before, vscode.ConfigurationTarget.Global);
    }
  });
});
