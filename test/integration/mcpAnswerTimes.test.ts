import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { OpenDocuments } from '../../src/core/fs/overlayFileSystem';
import type { WorkspaceSource } from '../../src/core/mcp/server/workspaceScans';
import { WorkspaceScans } from '../../src/core/mcp/server/workspaceScans';
import { createOpenSpecMcpServer } from '../../src/core/mcp/server/openSpecMcpServer';
import { FolderModelSource, type ModelUpdates } from '../../src/extension/mcp/folderModelSource';
import { LiveFolderModel } from '../../src/extension/model/liveFolderModel';
import { startMcpHttpServer } from '../../src/node/mcpHttpServer';
import { NodeFolderWatcher } from '../../src/node/nodeFolderWatcher';
import { toPosix } from '../../src/node/nodeFileSystem';
import { generateWorkspace } from '../bench/workspaceGenerator';
import { eventLoopHeartbeat } from '../harness/eventLoopHeartbeat';
import { RecordingLogger } from '../harness/recordingLogger';

const CHANGES = 500;
const ROUNDS = 10;
const NO_DOCUMENTS: OpenDocuments = { textOf: () => undefined, paths: () => [] };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** An SDK client over HTTP on a server whose folder reads its project from `source`. */
async function servedFrom(model: LiveFolderModel, source: WorkspaceSource) {
  const logger = new RecordingLogger();
  const http = await startMcpHttpServer({
    logger,
    createServer: () =>
      createOpenSpecMcpServer({
        folders: [{ name: 'bench', root: model.root, fs: model.fs, scans: source }],
        allowWrite: false,
        logger,
        version: '0.0.0',
      }),
  });
  const client = new Client({ name: 'answer-times', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(http.url), {
      requestInit: { headers: { Authorization: `Bearer ${http.token}` } },
    }),
  );
  return { client, close: () => client.close().finally(() => http.close()) };
}

/**
 * Figures, not assertions: how long an HTTP call takes in the extension host at 500 changes when each call
 * scans the project (how the window's server answered before) and when it answers from the live model, with
 * and without an edit written to disk just before the call.
 */
describe('MCP answer times at 500 changes (printed, not asserted)', function () {
  this.timeout(300_000);
  let scratch: string;
  let model: LiveFolderModel;

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'openspec-loop-answer-times-'));
    generateWorkspace(scratch, { changes: CHANGES, specs: 100 });
    const folder: vscode.WorkspaceFolder = { uri: vscode.Uri.file(scratch), name: 'bench', index: 99 };
    const opened = await LiveFolderModel.open(folder, NO_DOCUMENTS, new RecordingLogger());
    assert.ok(opened, 'the generated project has no openspec/ folder');
    model = opened;
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  /** Times `ROUNDS` calls of each tool, each call after `edit` (when given) wrote to disk. */
  async function timeCalls(label: string, source: WorkspaceSource, edit?: (round: number) => void) {
    const served = await servedFrom(model, source);
    const longest = eventLoopHeartbeat();
    try {
      const calls = {
        list_changes: {},
        get_change: { change: 'change-0007' },
      };
      // The first call of each kind is timed apart: it warms the parse cache, or starts the watcher and reads
      // the folder once.
      for (const [name, args] of Object.entries(calls)) {
        const start = performance.now();
        await served.client.callTool({ name, arguments: args });
        console.log(`${label}: first ${name} ${(performance.now() - start).toFixed(1)} ms`);
      }
      for (const [name, args] of Object.entries(calls)) {
        const times: number[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          edit?.(round);
          const start = performance.now();
          const result = await served.client.callTool({ name, arguments: args });
          times.push(performance.now() - start);
          assert.notEqual(result.isError, true, JSON.stringify(result.content));
        }
        console.log(`${label}: ${name} median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`);
      }
      console.log(`${label}: longest hold of the host thread ${longest().toFixed(1)} ms`);
    } finally {
      await served.close();
    }
  }

  it('prints the time of list_changes and get_change, scanning per call and from the live model', async () => {
    const tasks = join(scratch, 'openspec', 'changes', 'change-0007', 'tasks.md');
    const rewrite = (round: number) => writeFileSync(tasks, `## 1. Work\n\n- [ ] 1.1 Round ${round}\n`);

    await timeCalls('before (a scan per call)', new WorkspaceScans(model.fs, model.root));
    await timeCalls(
      'before (a scan per call), tasks.md written first',
      new WorkspaceScans(model.fs, model.root),
      rewrite,
    );

    // The window's models as the source needs them: disk changes applied one after another, as the shell does.
    let applying: Promise<unknown> = Promise.resolve();
    const updates: ModelUpdates = {
      settled: () => applying.then(() => undefined),
      diskChanged: (file) => void (applying = applying.then(() => model.applyDisk(toPosix(file)))),
      refresh: () => model.refresh().then(() => undefined),
    };
    const live = new FolderModelSource(model, updates, new NodeFolderWatcher(), new RecordingLogger());
    try {
      await timeCalls('now (the live model)', live);
      assert.ok(live.live, 'the source answered from the live model');
      await timeCalls('now (the live model), tasks.md written first', live, rewrite);
    } finally {
      live.dispose();
    }
  });
});
