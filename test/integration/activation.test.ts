import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import * as vscode from 'vscode';
import { waitFor } from '../harness/poll';
import type { OpenSpecLoopApi } from '../../src/extension/extension';

const EXTENSION_ID = 'openspec-loop.openspec-loop';

describe('extension activation', () => {
  it('opens the fixture workspace that holds an openspec/ folder', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test run has no workspace folder');
    // Asked of the file system, not the search service, which may still be starting when the first test runs.
    const config = await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, 'openspec', 'config.yaml'));
    assert.equal(config.type, vscode.FileType.File);
  });

  it('is present and activates by itself on a workspace containing openspec/', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await waitFor(() => extension.isActive, `${EXTENSION_ID} to activate by itself`, 15_000);
  });

  it('registers openspecLoop.showLog, which runs without error', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('openspecLoop.showLog'), 'openspecLoop.showLog is not registered');
    await vscode.commands.executeCommand('openspecLoop.showLog');
  });

  it('registers exactly the commands package.json declares', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    const manifest = extension?.packageJSON as
      | { contributes?: { commands?: Array<{ command: string }>; views?: Record<string, Array<{ id: string }>> } }
      | undefined;
    const declared = (manifest?.contributes?.commands ?? []).map((entry) => entry.command).sort();
    // VS Code adds its own commands for each contributed view (`<view id>.focus` and the like).
    const viewIds = Object.values(manifest?.contributes?.views ?? {})
      .flat()
      .map((view) => view.id);
    const registered = (await vscode.commands.getCommands(true))
      .filter(
        (command) => command.startsWith('openspecLoop.') && !viewIds.some((view) => command.startsWith(`${view}.`)),
      )
      .sort();
    assert.deepEqual(registered, declared, 'a declared command is not registered, or a registered one is not declared');
  });
});

describe('the code cache', () => {
  it('compiles the extension from source at a first start, then writes V8 code for the next start', async () => {
    const extension = vscode.extensions.getExtension<OpenSpecLoopApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    const api = await extension.activate();
    // Each test run starts with an empty user-data folder, so no earlier start left a cache.
    assert.equal(api.activation.codeCache, 'absent');
    const cacheFile = await api.activation.codeCacheSaved;
    assert.ok(cacheFile, 'no code cache was written');
    assert.ok(statSync(cacheFile).size > 100_000, `${cacheFile} is too small to hold the compiled bundle`);
  });
});
