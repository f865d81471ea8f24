import * as assert from 'node:assert/strict';
import { McpHub } from '../../../../src/core/mcp/client/mcpHub';
import { RecordingLogger } from '../../../harness/recordingLogger';
import { everythingStdio, quickRestarts, waitForServer } from './mcpTestKit';

describe('McpHub calls over stdio (server-everything)', function () {
  this.timeout(20_000);
  const logger = new RecordingLogger();
  const hub = new McpHub({ logger, restart: quickRestarts, defaultTimeoutMs: 5000 });
  const changes: string[] = [];

  before(async () => {
    hub.onDidChange(() => changes.push(hub.servers.map((server) => `${server.name}:${server.state}`).join(',')));
    await hub.start({
      servers: { one: everythingStdio({ env: { OPENSPEC_LOOP_MCP_TEST: 'yes', RETRIES: 3 } }), two: everythingStdio() },
      problems: [],
    });
  });

  after(async () => {
    await hub.stop();
  });

  it('starts servers in parallel, lists their tools and calls them', async () => {
    assert.deepEqual(
      hub.servers.map((server) => [server.name, server.state]),
      [
        ['one', 'ready'],
        ['two', 'ready'],
      ],
    );
    assert.ok(
      changes.some((change) => change.includes('one:starting')),
      changes.join(' | '),
    );
    const one = hub.server('one');
    const names = one?.tools.map((tool) => tool.name) ?? [];
    assert.ok(names.includes('echo') && names.includes('get-sum'), names.join(','));
    const sum = one?.tools.find((tool) => tool.name === 'get-sum');
    assert.equal(sum?.description, 'Returns the sum of two numbers');
    assert.deepEqual(sum?.inputSchema.required, ['a', 'b']);
    assert.ok(typeof one?.pid === 'number');

    const echo = await hub.callTool('one', 'echo', { message: 'hello' });
    assert.equal(echo.ok, true);
    assert.equal(echo.text, 'Echo: hello');
    const added = await hub.callTool('two', 'get-sum', { a: 2, b: 40 });
    assert.equal(added.text, 'The sum of 2 and 40 is 42.');
    assert.ok(hub.server('one')?.stderrTail.some((line) => line.includes('Starting default (STDIO) server')));
    assert.match(logger.text(), /MCP two\/get-sum ok \(\d+ ms\)/);
  });

  it('reports a tool error and unknown names as failed outcomes', async () => {
    const invalid = await hub.callTool('one', 'get-sum', { a: 'two' });
    assert.equal(invalid.ok, false);
    assert.equal(invalid.failure?.kind, 'toolError');
    assert.match(invalid.text, /Input validation error/);
    const missing = await hub.callTool('one', 'no-such-tool', {});
    assert.equal(missing.ok, false);
    assert.match(missing.failure?.message ?? '', /not found/);
    const noServer = await hub.callTool('nope', 'echo', {});
    assert.deepEqual(noServer.failure, { kind: 'unavailable', message: 'no MCP server named "nope" is configured' });
  });

  it('merges the configured env into the inherited environment (PATH kept)', async () => {
    const result = await hub.callTool('one', 'get-env', {});
    const env = JSON.parse(result.text) as Record<string, string>;
    assert.equal(env.OPENSPEC_LOOP_MCP_TEST, 'yes');
    assert.equal(env.RETRIES, '3');
    assert.equal(env.PATH, process.env.PATH);
  });

  it('times out a hung tool as a tool error and stays up', async () => {
    const hung = await hub.callTool(
      'one',
      'trigger-long-running-operation',
      { duration: 30, steps: 1 },
      { timeoutMs: 300 },
    );
    assert.equal(hung.ok, false);
    assert.deepEqual(hung.failure, { kind: 'timeout', message: 'the tool did not answer within 300 ms' });
    assert.ok(hung.ms >= 300 && hung.ms < 3000, `${hung.ms} ms`);
    assert.equal(hub.server('one')?.state, 'ready');
    assert.equal((await hub.callTool('one', 'echo', { message: 'still here' })).text, 'Echo: still here');
  });

  it('rejects only when the caller aborts', async () => {
    const abort = new AbortController();
    const call = hub.callTool(
      'two',
      'trigger-long-running-operation',
      { duration: 30, steps: 1 },
      { signal: abort.signal },
    );
    setTimeout(() => abort.abort(new Error('user cancelled')), 100);
    await assert.rejects(call, /user cancelled/);
    assert.equal(hub.server('two')?.state, 'ready');
  });
});

describe('McpHub server lifecycle over stdio', function () {
  this.timeout(20_000);
  let hub: McpHub;
  let logger: RecordingLogger;

  beforeEach(() => {
    logger = new RecordingLogger();
    hub = new McpHub({ logger, restart: quickRestarts, defaultTimeoutMs: 5000 });
  });

  afterEach(async () => {
    await hub.stop();
  });

  it('restarts a server whose process was killed, and the next call works', async () => {
    await hub.start({ servers: { e: everythingStdio() }, problems: [] });
    const firstPid = hub.server('e')?.pid;
    assert.ok(firstPid);
    process.kill(firstPid, 'SIGKILL');
    await waitForServer(hub, 'e', (server) => server.state === 'restarting');
    // The call waits for the restart instead of failing at once.
    const echo = await hub.callTool('e', 'echo', { message: 'again' });
    assert.equal(echo.text, 'Echo: again');
    const after = hub.server('e');
    assert.equal(after?.state, 'ready');
    assert.notEqual(after?.pid, firstPid);
    assert.match(logger.text(), /the server process exited; restarting in \d+ ms/);
  });

  it('gives up on a crash loop with the stderr tail, and restart() gives it a fresh chance', async () => {
    const crashing = {
      type: 'stdio' as const,
      command: process.execPath,
      args: ['-e', "console.error('boom: no API key'); process.exit(3)"],
    };
    await hub.start({ servers: { bad: crashing, good: everythingStdio() }, problems: [] });
    assert.equal(hub.server('good')?.state, 'ready');
    const failed = await waitForServer(hub, 'bad', (server) => server.state === 'failed');
    assert.match(failed.error ?? '', /gave up after 3 restarts within 60 s/);
    assert.ok(
      failed.stderrTail.filter((line) => line === 'boom: no API key').length >= 4,
      failed.stderrTail.join('\n'),
    );
    assert.equal((await hub.callTool('bad', 'echo', {})).failure?.kind, 'unavailable');

    await hub.restart('bad');
    assert.equal(hub.server('bad')?.state, 'restarting');
    await waitForServer(hub, 'bad', (server) => server.state === 'failed');
    const goodPid = hub.server('good')?.pid;
    // Applying the same configuration again retries the failed server and leaves the running one alone.
    await hub.start({ servers: { bad: crashing, good: everythingStdio() }, problems: [] });
    assert.equal(hub.server('bad')?.state, 'restarting');
    assert.equal(hub.server('good')?.pid, goodPid);
  });

  it('fails a command that does not exist with the spawn error', async () => {
    await hub.start({
      servers: { missing: { type: 'stdio', command: 'openspec-loop-no-such-command' } },
      problems: [],
    });
    const failed = await waitForServer(hub, 'missing', (server) => server.state === 'failed');
    assert.match(failed.error ?? '', /ENOENT/);
  });

  it('re-reads the timeout on each call: a new timeoutMs applies without a restart', async () => {
    await hub.start({ servers: { e: everythingStdio({ timeoutMs: 100 }) }, problems: [] });
    const pid = hub.server('e')?.pid;
    const slow = { duration: 0.4, steps: 1 };
    assert.equal((await hub.callTool('e', 'trigger-long-running-operation', slow)).failure?.kind, 'timeout');
    await hub.start({ servers: { e: everythingStdio({ timeoutMs: 5000 }) }, problems: [] });
    assert.equal(hub.server('e')?.pid, pid);
    const done = await hub.callTool('e', 'trigger-long-running-operation', slow);
    assert.equal(done.ok, true, done.text);
    // A changed command is a different server: it restarts, and a removed one stops.
    await hub.start({ servers: { f: everythingStdio() }, problems: [] });
    assert.deepEqual(
      hub.servers.map((server) => server.name),
      ['f'],
    );
  });

  it('bounds a handshake that never answers, and stop() does not wait for it', async () => {
    const silent = { type: 'stdio' as const, command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'] };
    const slowHub = new McpHub({ restart: { ...quickRestarts, maxRestarts: 0 }, startupTimeoutMs: 300 });
    await slowHub.start({ servers: { silent }, problems: [] });
    assert.match(slowHub.server('silent')?.error ?? '', /could not start: MCP error -32001: Request timed out/);
    assert.equal(slowHub.server('silent')?.state, 'failed');

    const patientHub = new McpHub({ startupTimeoutMs: 60_000 });
    const starting = patientHub.start({ servers: { silent }, problems: [] });
    await waitForServer(patientHub, 'silent', (server) => server.state === 'starting');
    const before = Date.now();
    await patientHub.stop();
    await starting;
    assert.ok(Date.now() - before < 3000, `stop took ${Date.now() - before} ms`);
    assert.equal(patientHub.server('silent')?.state, 'stopped');
  });

  it('stops every server', async () => {
    await hub.start({ servers: { e: everythingStdio() }, problems: [] });
    const pid = hub.server('e')?.pid;
    await hub.stop();
    assert.equal(hub.server('e')?.state, 'stopped');
    assert.throws(() => process.kill(pid ?? 0, 0), /ESRCH/);
  });
});
