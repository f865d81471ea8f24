import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { OverlayFileSystem } from '../../src/core/fs/overlayFileSystem';
import { WorkspaceModel } from '../../src/core/openspec/workspaceModel';
import { DiagnosticStore } from '../../src/extension/diagnostics/diagnosticStore';
import { FolderValidation, type ValidationPass } from '../../src/extension/diagnostics/folderValidation';
import { hostPause } from '../../src/extension/hostPause';
import type { FolderModel } from '../../src/extension/model/openSpecModels';
import { NodeFileSystem, toPosix } from '../../src/node/nodeFileSystem';
import { generateWorkspace } from '../bench/workspaceGenerator';
import { eventLoopHeartbeat } from '../harness/eventLoopHeartbeat';
import { RecordingLogger } from '../harness/recordingLogger';
import { waitFor } from '../harness/poll';

/** Enough changes that the first pass takes many slices of the host thread. */
const CHANGES = 300;
const EDITED = 'change-0001';
const NO_SCENARIO = 'must include at least one scenario';
const INSERTED = '\n### Requirement: Wave goodbye\nThe service SHALL wave when a session ends.\n';
const SOURCES = { cli: 'sliced-validation-test', lint: 'sliced-validation-test-lint' };

describe('validation of a large project in slices', () => {
  let scratch: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'openspec-loop-sliced-'));
    generateWorkspace(scratch, { changes: CHANGES, specs: 100 });
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('takes an edit typed while the first pass runs, and ends with the edited text', async () => {
    const root = toPosix(scratch);
    const typed = new Map<string, string>();
    const fs = new OverlayFileSystem(new NodeFileSystem(), {
      textOf: (file) => typed.get(file),
      paths: () => typed.keys(),
    });
    const model = await WorkspaceModel.load(fs, root, hostPause);
    assert.ok(model, 'the generated project has no openspec/ folder');
    const workspaceFolder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(workspaceFolder, 'the test run has no workspace folder');
    const folder: FolderModel = {
      folder: workspaceFolder,
      root,
      fs,
      get workspace() {
        return model.workspace;
      },
      toUri: (file) => vscode.Uri.file(file),
    };
    const stores = { cli: new DiagnosticStore(SOURCES.cli), lint: new DiagnosticStore(SOURCES.lint) };
    const passes: ValidationPass[] = [];
    const validation = new FolderValidation(folder, stores, new RecordingLogger(), (pass) => passes.push(pass));
    try {
      const longest = eventLoopHeartbeat();
      validation.request({ all: true, changes: [], specs: [] }, 0);
      // A timer that fires while the pass runs is the user typing into a window that still answers.
      await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(passes.length, 0, 'the first pass held the host thread until it finished');
      const delta = join(root, 'openspec', 'changes', EDITED, 'specs', 'new-capability-1', 'spec.md');
      const text = readFileSync(delta, 'utf8') + INSERTED;
      typed.set(delta, text);
      model.updateDocument(delta, text);
      validation.request({ all: false, changes: [EDITED], specs: [] }, 0);

      const edited = model.workspace.changes.find((change) => change.id === EDITED);
      await waitFor(
        () => passes.find((pass) => !pass.scope.all && pass.workspace.changes.includes(edited!)),
        'the pass over the edited change',
        60_000,
        20,
      );
      console.log(`host thread: longest block while validating ${CHANGES} changes: ${longest().toFixed(1)} ms`);
      // The older pass published first; the newer one, over the typed text, has the last word.
      assert.deepEqual(
        passes.map((pass) => pass.scope.all),
        [true, false],
      );
      const messages = vscode.languages
        .getDiagnostics(vscode.Uri.file(delta))
        .filter((diagnostic) => diagnostic.source === SOURCES.cli)
        .map((diagnostic) => diagnostic.message);
      assert.ok(
        messages.some((message) => message.includes(NO_SCENARIO)),
        `no finding on the typed requirement: ${messages.join('; ')}`,
      );
    } finally {
      validation.dispose();
      stores.cli.dispose();
      stores.lint.dispose();
    }
  });
});
