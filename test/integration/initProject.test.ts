import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'openspec-loop.openspec-loop';
/** The OpenSpec CLI pinned in devDependencies, standing where a user's global install would. */
const PINNED_CLI = resolve(__dirname, '..', '..', '..', 'node_modules', '.bin', 'openspec');

describe('Initialize OpenSpec', () => {
  const settings = () => vscode.workspace.getConfiguration('openspecLoop');
  let directory: string;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
  });

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'openspec-init-'));
  });

  afterEach(async () => {
    rmSync(directory, { recursive: true, force: true });
    await settings().update('cliPath', undefined, vscode.ConfigurationTarget.Global);
  });

  it("runs the configured CLI's init in the folder, and refuses a second time", async () => {
    await settings().update('cliPath', PINNED_CLI, vscode.ConfigurationTarget.Global);
    const target = vscode.Uri.file(directory);
    assert.equal(await vscode.commands.executeCommand('openspecLoop.init', target), 'initialized');
    assert.ok(existsSync(join(directory, 'openspec', 'config.yaml')), 'config.yaml was written');
    assert.ok(existsSync(join(directory, 'openspec', 'changes', 'archive')), 'the changes/archive folder was written');
    assert.deepEqual(readdirSync(directory), ['openspec'], '--tools none writes no AI tool files');
    assert.equal(await vscode.commands.executeCommand('openspecLoop.init', target), 'alreadyInitialized');
  });

  it('changes nothing and says so when the configured CLI path is not an executable', async () => {
    await settings().update('cliPath', join(directory, 'missing', 'openspec'), vscode.ConfigurationTarget.Global);
    assert.equal(await vscode.commands.executeCommand('openspecLoop.init', vscode.Uri.file(directory)), 'noCli');
    assert.deepEqual(readdirSync(directory), []);
  });
});
