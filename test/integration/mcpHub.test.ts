import * as assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { OpenSpecLoopApi } from '../../src/extension/extension';
import { LmStudioStandIn } from '../lmstudio/standIn';
import { waitFor } from '../harness/poll';
import { pointAtStandIn, type PointedStandIn } from './lmStudioSettings';

const EXTENSION_ID = 'openspec-loop.openspec-loop';
/** The reference MCP server from npm (a devDependency), started the way a user's settings would start it. */
const EVERYTHING = join(
  resolve(__dirname, '..', '..', '..'),
  'node_modules',
  '@modelcontextprotocol',
  'server-everything',
  'dist',
  'index.js',
);

const FINDINGS = JSON.stringify({
  findings: [
    {
      severity: 'info',
      category: 'other',
      file: 'openspec/changes/add-farewell/proposal.md',
      line: 1,
      requirement: null,
      message: 'Checked with the echo tool.',
      suggestion: null,
    },
  ],
});

/** Long enough for echo on a loaded machine, short enough for a test to outlast it. */
const TOOL_TIMEOUT_MS = 3_000;

describe('MCP servers configured by the user', function () {
  this.timeout(60_000);
  let api: OpenSpecLoopApi;
  let standIn: PointedStandIn;
  let lmStudio: LmStudioStandIn;
  const mcp = () => vscode.workspace.getConfiguration('openspecLoop.mcp');

  before(async () => {
    const extension = vscode.extensions.getExtension<OpenSpecLoopApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    standIn = await pointAtStandIn();
    lmStudio = standIn.server;
    await mcp().update(
      'servers',
      {
        everything: {
          type: 'stdio',
          command: process.execPath,
          args: [EVERYTHING, 'stdio'],
          timeoutMs: TOOL_TIMEOUT_MS,
        },
      },
      vscode.ConfigurationTarget.Global,
    );
  });

  after(async () => {
    await mcp().update('servers', undefined, vscode.ConfigurationTarget.Global);
    await mcp().update('allowedTools', undefined, vscode.ConfigurationTarget.Workspace);
    await standIn.release();
  });

  it('starts them from the settings when the MCP Servers view opens, and lists their tools', async () => {
    // Nothing runs before the first AI use; opening their view is one.
    await vscode.commands.executeCommand('openspecLoop.mcpServers.focus');
    const everything = await waitFor(
      () => api.mcpHub.servers().find((server) => server.name === 'everything' && server.state === 'ready'),
      'server-everything to be ready',
      30_000,
    );
    assert.ok(
      everything.tools.some((tool) => tool.name === 'echo'),
      everything.tools.map((tool) => tool.name).join(', '),
    );
  });

  it('lets the model call an allowed tool during a review, and sends it the answer', async () => {
    await mcp().update('allowedTools', ['everything/echo'], vscode.ConfigurationTarget.Workspace);
    lmStudio.enqueueReply(
      {
        toolCalls: [
          { id: 'call_1', name: 'mcp__everything__echo', arguments: { message: 'is the farewell localized?' } },
        ],
      },
      FINDINGS,
    );
    const outcome = await vscode.commands.executeCommand<{ ok: boolean }>('openspecLoop.reviewWithAi', 'add-farewell');
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    const [first, second] = lmStudio.requests.slice(-2);
    assert.deepEqual(
      first?.tools?.map((tool) => tool.function.name),
      ['mcp__everything__echo'],
    );
    const toolAnswer = second?.messages.find((message) => message.role === 'tool');
    assert.match(String(toolAnswer?.content), /is the farewell localized\?/);
  });

  it('tells the model in plain words when a tool outlasts its timeout, and the review still ends', async () => {
    await mcp().update(
      'allowedTools',
      ['everything/trigger-long-running-operation'],
      vscode.ConfigurationTarget.Workspace,
    );
    lmStudio.enqueueReply(
      {
        toolCalls: [
          {
            id: 'call_slow',
            name: 'mcp__everything__trigger-long-running-operation',
            arguments: { duration: (3 * TOOL_TIMEOUT_MS) / 1000, steps: 1 },
          },
        ],
      },
      FINDINGS,
    );
    const outcome = await vscode.commands.executeCommand<{ ok: boolean }>('openspecLoop.reviewWithAi', 'add-farewell');
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    const toolAnswer = lmStudio.requests.at(-1)?.messages.find((message) => message.role === 'tool');
    assert.equal(toolAnswer?.content, `Error: the tool did not answer within ${TOOL_TIMEOUT_MS} ms`);
  });
});
