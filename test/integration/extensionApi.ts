import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { OpenSpecLoopApi } from '../../src/extension/extension';
import type { FolderModel } from '../../src/extension/model/openSpecModels';

const EXTENSION_ID = 'openspec-loop.openspec-loop';

/** The extension's API once it is active and its models have read every workspace folder. */
export async function readyApi(): Promise<OpenSpecLoopApi> {
  const extension = vscode.extensions.getExtension<OpenSpecLoopApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed in this extension host`);
  const api = await extension.activate();
  await api.models.ready;
  return api;
}

/** The live model of the first workspace folder (the fixture the suite opened). */
export async function firstFolderModel(): Promise<FolderModel> {
  const folder = (await readyApi()).models.folders[0];
  assert.ok(folder, 'the first workspace folder has no openspec/ folder');
  return folder;
}
