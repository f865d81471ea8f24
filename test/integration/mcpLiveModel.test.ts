import * as assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { OpenSpecLoopApi } from '../../src/extension/extension';
import { waitFor } from '../harness/poll';
import { copiedHttpServer } from './copiedMcpServer';
import { readyApi } from './extensionApi';

type CallResult = Awaited<ReturnType<Client['callTool']>>;

function textOf(result: CallResult): string {
  return (result.content as Array<{ type: string; text?: string }>).map((part) => part.text ?? '').join('\n');
}

function structured<T>(result: CallResult): T {
  assert.notEqual(result.isError, true, textOf(result));
  return result.structuredContent as T;
}

interface Listing {
  changes: Array<{ id: string; completedTasks: number; totalTasks: number; lastModified: string }>;
}
interface Tasks {
  completed: number;
  total: number;
  tasks: Array<{ text: string; done: boolean }>;
}

const proposal = (why: string) => `## Why\n${why}\n\n## What Changes\n- Something small\n`;
const tasks = (...items: Array<[string, boolean]>) =>
  `## 1. Work\n\n${items.map(([text, done], index) => `- [${done ? 'x' : ' '}] 1.${index + 1} ${text}`).join('\n')}\n`;

/** An SDK client on the window's server, with the address and token Copy MCP Configuration gives. */
async function httpClient(): Promise<Client> {
  const http = await copiedHttpServer();
  const client = new Client({ name: 'integration-test-live', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(http.url), {
      requestInit: { headers: { Authorization: `Bearer ${http.token}` } },
    }),
  );
  return client;
}

/** An SDK client on the stdio server the copied stdio configuration starts (read-only, reading the disk). */
async function stdioClient(): Promise<Client> {
  const text = await vscode.commands.executeCommand<string>('openspecLoop.copyMcpConfig', 'stdio');
  const entry = (JSON.parse(text ?? '{}') as { servers: Record<string, { args: string[] }> }).servers['openspec-loop'];
  assert.ok(entry, `no stdio entry in ${text}`);
  const client = new Client({ name: 'integration-test-stdio', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: entry.args,
      env: getDefaultEnvironment(),
      stderr: 'ignore',
    }),
  );
  return client;
}

/**
 * Every call is made at once after the edit, with no wait in between: the window's server must bring its model
 * up to date first (typing debounce, VS Code's file watcher both still pending).
 */
describe('MCP server answers from the live model', function () {
  this.timeout(60_000);
  let api: OpenSpecLoopApi;
  let client: Client;
  let changesDir: string;
  const created: string[] = [];

  const call = (name: string, args: Record<string, unknown>) => client.callTool({ name, arguments: args });
  const listedIds = async () => structured<Listing>(await call('list_changes', {})).changes.map((c) => c.id);
  const taskTexts = async (change: string) =>
    structured<Tasks>(await call('get_tasks', { change })).tasks.map((task) => `${task.done ? 'x' : ' '} ${task.text}`);

  /** A change written with node fs, as an agent's shell would. */
  const writeChange = (id: string, why: string, items: Array<[string, boolean]>) => {
    const dir = join(changesDir, id);
    created.push(dir);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'proposal.md'), proposal(why));
    writeFileSync(join(dir, 'tasks.md'), tasks(...items));
  };

  before(async () => {
    api = await readyApi();
    await waitFor(() => api.mcpServer.http, 'the MCP server to listen', 10_000);
    const folder = api.models.folders[0];
    assert.ok(folder, 'the workspace has no openspec/ folder');
    changesDir = join(folder.folder.uri.fsPath, 'openspec', 'changes');
    client = await httpClient();
  });

  after(async () => {
    await client.close();
    for (const doc of vscode.workspace.textDocuments.filter((candidate) => candidate.isDirty)) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const dir of created) rmSync(dir, { recursive: true, force: true });
    await waitFor(
      () => !api.models.folders[0]?.workspace.changes.some((change) => change.id.startsWith('live-')),
      'the model to drop the changes these tests wrote',
      15_000,
    );
  });

  it('sees text typed into an open document, unsaved, at once', async () => {
    writeChange('live-typed', 'Typed into.', [['First', false]]);
    assert.deepEqual(await taskTexts('live-typed'), ['  First']);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const tasksDoc = await vscode.workspace.openTextDocument(
      vscode.Uri.joinPath(folder.uri, 'openspec/changes/live-typed/tasks.md'),
    );
    const editor = await vscode.window.showTextDocument(tasksDoc);
    await editor.edit((edit) => edit.insert(tasksDoc.lineAt(tasksDoc.lineCount - 1).range.end, '- [x] 1.2 TYPED-A1\n'));
    assert.deepEqual(await taskTexts('live-typed'), ['  First', 'x TYPED-A1']);

    const proposalDoc = await vscode.workspace.openTextDocument(
      vscode.Uri.joinPath(folder.uri, 'openspec/changes/live-typed/proposal.md'),
    );
    const proposalEditor = await vscode.window.showTextDocument(proposalDoc);
    await proposalEditor.edit((edit) => edit.insert(new vscode.Position(1, 0), 'Because of TYPED-P1. '));
    const change = await call('get_change', { change: 'live-typed', include: ['proposal'], format: 'markdown' });
    assert.match(textOf(change), /Because of TYPED-P1\. Typed into\./);
    assert.ok(tasksDoc.isDirty && proposalDoc.isDirty, 'the documents stayed unsaved');
  });

  it('sees a change folder and a tasks.md rewrite written to disk, at once', async () => {
    writeChange('live-disk', 'Written on disk.', [['One', false]]);
    assert.ok((await listedIds()).includes('live-disk'), 'list_changes names the new change');
    writeFileSync(join(changesDir, 'live-disk', 'tasks.md'), tasks(['One', true], ['Two', true]));
    const answer = structured<Tasks>(await call('get_tasks', { change: 'live-disk' }));
    assert.deepEqual([answer.completed, answer.total], [2, 2]);
  });

  it('lists a change rewritten on disk with the time of that rewrite', async () => {
    writeChange('live-dated', 'Dated on disk.', [['One', false]]);
    assert.ok((await listedIds()).includes('live-dated'), 'list_changes names the new change');
    const file = join(changesDir, 'live-dated', 'tasks.md');
    const before = statSync(file).mtimeMs;
    await waitFor(() => Date.now() > before + 20, 'the clock to move on');
    writeFileSync(file, tasks(['One', true]));
    const written = new Date(statSync(file).mtimeMs).toISOString();
    const listing = structured<Listing>(await call('list_changes', {}));
    const entry = listing.changes.find((change) => change.id === 'live-dated');
    assert.equal(entry?.lastModified, written, 'lastModified is the rewritten tasks.md time');
    assert.equal(listing.changes[0]?.id, 'live-dated', 'newest first puts it on top');
  });

  it('sees a rewrite on disk of a document open in an editor without unsaved edits, at once', async () => {
    writeChange('live-open', 'Open in an editor.', [['Shown', false]]);
    const file = join(changesDir, 'live-open', 'tasks.md');
    const shown = await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    assert.deepEqual(await taskTexts('live-open'), ['  Shown']);
    writeFileSync(file, tasks(['Shown', true], ['Rewritten on disk', false]));
    assert.deepEqual(await taskTexts('live-open'), ['x Shown', '  Rewritten on disk']);
    await waitFor(
      () => shown.document.getText().includes('Rewritten on disk'),
      'VS Code to reload the document from disk',
    );
    assert.equal(shown.document.isDirty, false);
  });

  it('answers each of 30 edit-then-call rounds with the edit in it', async () => {
    const tasksDoc = vscode.workspace.textDocuments.find((doc) => doc.uri.path.endsWith('live-typed/tasks.md'));
    assert.ok(tasksDoc, 'the typed tasks.md is open');
    const editor = await vscode.window.showTextDocument(tasksDoc);
    for (let round = 0; round < 30; round++) {
      const marker = `ROUND-${round}`;
      if (round % 3 === 0) {
        await editor.edit((edit) =>
          edit.insert(tasksDoc.lineAt(tasksDoc.lineCount - 1).range.end, `- [ ] ${marker}\n`),
        );
        assert.ok((await taskTexts('live-typed')).includes(`  ${marker}`), `round ${round}: the typed task`);
      } else if (round % 3 === 1) {
        writeFileSync(join(changesDir, 'live-disk', 'tasks.md'), tasks(['One', true], [marker, round % 2 === 0]));
        assert.deepEqual((await taskTexts('live-disk')).slice(1), [`${round % 2 === 0 ? 'x' : ' '} ${marker}`]);
      } else {
        writeChange(`live-round-${round}`, `Round ${round}.`, [[marker, false]]);
        assert.ok((await listedIds()).includes(`live-round-${round}`), `round ${round}: the new change`);
        assert.deepEqual(await taskTexts(`live-round-${round}`), [`  ${marker}`]);
      }
    }
  });

  it('gives the answers the stdio server gives over the same files', async () => {
    for (const doc of vscode.workspace.textDocuments) if (doc.isDirty) await doc.save();
    const stdio = await stdioClient();
    try {
      const both = async (name: string, args: Record<string, unknown>) => {
        const [window, disk] = await Promise.all([call(name, args), stdio.callTool({ name, arguments: args })]);
        assert.deepEqual(structured(window), structured(disk), `${name} ${JSON.stringify(args)}`);
        return structured(window);
      };
      const listing = (await both('list_changes', {})) as Listing;
      assert.ok(listing.changes.length > 10, 'the rounds left their changes');
      for (const { id } of listing.changes) {
        await both('get_change', { change: id });
        await both('get_tasks', { change: id });
      }
      await both('list_specs', {});
    } finally {
      await stdio.close();
    }
  });
});
