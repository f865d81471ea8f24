import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as vscode from 'vscode';
import { loadWithCodeCache } from '../node/codeCache';
import type * as Extension from './extension';

/**
 * The extension's entry (dist/extension.js): it loads the extension itself (dist/extension-main.js) through V8's
 * code cache, kept in the extension's global storage, so that from the second start on the host does not spend
 * its thread compiling a megabyte of JavaScript while every other extension waits. Nothing else lives here.
 */
const MAIN_BUNDLE = 'extension-main.js';

let extension: typeof Extension | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<Extension.OpenSpecLoopApi> {
  const startedAt = performance.now();
  const bundle = join(__dirname, MAIN_BUNDLE);
  let handover: Extension.BundleLoading;
  try {
    const loaded = await loadWithCodeCache<typeof Extension>(
      bundle,
      join(context.globalStorageUri.fsPath, 'code-cache'),
      require,
      nextTurn,
    );
    extension = loaded.exports;
    handover = { startedAt, codeCache: loaded };
  } catch (error) {
    // The cache is only a shortcut: whatever went wrong with it, the bundle loads as any module would.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle's path is only known at run time
    extension = require(bundle) as typeof Extension;
    handover = { startedAt, codeCacheFailure: error };
    await nextTurn();
  }
  return extension.activate(context, handover);
}

/**
 * Loading and activating are separate stretches of the host thread: other extensions' work runs between. A timer,
 * not an immediate: activation starts from a message's callback, and an immediate set there runs before the loop
 * reads the next message, so compiling and running the bundle would be one stretch to everyone else.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function deactivate(): void {
  extension?.deactivate();
}
