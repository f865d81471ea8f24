import * as assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { copyFixtureWorkspace, type WorkspaceCopy } from '../../../harness/repoPaths';
import { waitFor } from '../../../harness/poll';
import { CLI } from './mcpTestClient';

interface Reply {
  readonly id?: string | number | null;
  readonly result?: unknown;
  readonly error?: { readonly code: number; readonly message: string };
}

/**
 * `openspec-loop mcp` fed raw lines on stdin, the way a broken or hostile client writes them: every bad line
 * gets the JSON-RPC error it calls for on stdout, and the server goes on serving the next good one.
 */
describe('openspec-loop mcp: what a bad line on stdin gets (built CLI, raw stdio)', function () {
  this.timeout(60000);
  let workspace: WorkspaceCopy;
  let child: ChildProcessWithoutNullStreams;
  let replies: Reply[];

  const send = (line: string) => child.stdin.write(`${line}\n`);
  const reply = async (matches: (reply: Reply) => boolean, what: string) => {
    await waitFor(() => replies.some(matches), what, 30000);
    return replies.find(matches)!;
  };
  const initialize = () =>
    send(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 'init',
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
      }),
    );

  beforeEach(() => {
    workspace = copyFixtureWorkspace('examples/sample-project');
    child = spawn(process.execPath, [CLI, 'mcp', '--workspace', workspace.path], { stdio: ['pipe', 'pipe', 'pipe'] });
    replies = [];
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) replies.push(JSON.parse(line) as Reply);
    });
  });

  afterEach(async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.end();
    await exited;
    workspace.dispose();
  });

  it('answers a line over 16 MB with -32600, never reads it whole, and serves the next request', async () => {
    const chunk = 'x'.repeat(1024 * 1024);
    for (let sent = 0; sent < 17; sent++) child.stdin.write(chunk);
    send('');
    const tooLarge = await reply((candidate) => candidate.error?.code === -32600, 'the oversized line refused');
    assert.equal(tooLarge.id, null);
    assert.match(tooLarge.error!.message, /over 16777216 bytes/);
    initialize();
    await reply((candidate) => candidate.id === 'init' && candidate.result !== undefined, 'initialize answered');
    send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    const tools = await reply((candidate) => candidate.id === 2, 'tools/list answered');
    assert.ok((tools.result as { tools: unknown[] }).tools.length > 0);
    assert.equal(child.exitCode, null, 'the server is still running');
  });

  it('answers text that is not JSON with -32700 and JSON that is not JSON-RPC with -32600 carrying its id', async () => {
    send('{"jsonrpc": "2.0", "id": 1, "method": ');
    const parse = await reply((candidate) => candidate.error?.code === -32700, 'the parse error');
    assert.equal(parse.id, null);
    send(JSON.stringify({ id: 7, hello: 'world' }));
    const invalid = await reply((candidate) => candidate.id === 7, 'the invalid request answered');
    assert.equal(invalid.error?.code, -32600);
  });

  it('refuses a request before initialize, answers ping, then serves once initialized', async () => {
    send(JSON.stringify({ jsonrpc: '2.0', id: 'early', method: 'tools/list' }));
    const early = await reply((candidate) => candidate.id === 'early', 'the early request answered');
    assert.equal(early.error?.code, -32600);
    assert.match(early.error.message, /initialize/);
    send(JSON.stringify({ jsonrpc: '2.0', id: 'ping', method: 'ping' }));
    assert.deepEqual((await reply((candidate) => candidate.id === 'ping', 'ping answered')).result, {});
    initialize();
    await reply((candidate) => candidate.id === 'init', 'initialize answered');
    send(JSON.stringify({ jsonrpc: '2.0', id: 'late', method: 'tools/list' }));
    assert.ok((await reply((candidate) => candidate.id === 'late', 'tools/list answered')).result);
  });
});
