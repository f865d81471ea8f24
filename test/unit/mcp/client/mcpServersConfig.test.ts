import * as assert from 'node:assert/strict';
import { McpHub } from '../../../../src/core/mcp/client/mcpHub';
import { parseMcpServersConfig } from '../../../../src/core/mcp/client/mcpServersConfig';

describe('MCP servers configuration', () => {
  it('reads VS Code mcp.json entries, inferring a missing type and ignoring inputs', () => {
    const parsed = parseMcpServersConfig({
      inputs: [{ id: 'token', type: 'promptString' }],
      servers: {
        local: { command: 'npx', args: ['-y', 'some-server'], env: { DEBUG: 1, HOME: null } },
        remote: { url: 'http://127.0.0.1:3001/mcp', headers: { Authorization: 'Bearer x' }, timeoutMs: 5000 },
        typed: { type: 'stdio', command: 'node', cwd: '/tmp' },
      },
    });
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.servers.local, {
      type: 'stdio',
      command: 'npx',
      args: ['-y', 'some-server'],
      env: { DEBUG: 1, HOME: null },
    });
    assert.deepEqual(parsed.servers.remote, {
      type: 'http',
      url: 'http://127.0.0.1:3001/mcp',
      headers: { Authorization: 'Bearer x' },
      timeoutMs: 5000,
    });
    assert.equal(parsed.servers.typed?.type, 'stdio');
  });

  it('accepts the Claude Desktop mcpServers key', () => {
    const parsed = parseMcpServersConfig({ mcpServers: { fs: { command: 'mcp-fs' } } });
    assert.equal(parsed.servers.fs?.type, 'stdio');
  });

  it('reports each invalid entry with the zod message and keeps the valid ones', () => {
    const parsed = parseMcpServersConfig({
      servers: {
        good: { command: 'node' },
        noCommand: { type: 'stdio', args: [] },
        badUrl: { type: 'http', url: 'ftp://example.com' },
        sse: { type: 'sse', url: 'http://x/sse' },
        empty: {},
        badTimeout: { command: 'node', timeoutMs: -1 },
        notObject: 'node server.js',
      },
    });
    assert.deepEqual(Object.keys(parsed.servers), ['good']);
    const byServer = new Map(parsed.problems.map((problem) => [problem.server, problem.message]));
    assert.match(byServer.get('noCommand') ?? '', /^command: /);
    assert.match(byServer.get('badUrl') ?? '', /url must be an http\(s\) URL/);
    assert.match(byServer.get('sse') ?? '', /type must be "stdio"/);
    assert.match(byServer.get('empty') ?? '', /type must be "stdio"/);
    assert.match(byServer.get('badTimeout') ?? '', /^timeoutMs: /);
    assert.ok(byServer.has('notObject'));
  });

  it('reports a file that is not an object of servers', () => {
    assert.deepEqual(parseMcpServersConfig([]).problems, [
      { server: '', message: 'the MCP configuration must be a JSON object' },
    ]);
    assert.equal(parseMcpServersConfig({ servers: [] }).problems[0]?.server, '');
    assert.deepEqual(parseMcpServersConfig({}), { servers: {}, problems: [] });
  });

  it('lists invalid entries in the hub as invalid, with their message', async () => {
    const hub = new McpHub();
    await hub.start(parseMcpServersConfig({ servers: { broken: { type: 'stdio' } } }));
    const [broken] = hub.servers;
    assert.equal(broken?.state, 'invalid');
    assert.match(broken?.error ?? '', /command/);
    assert.equal((await hub.callTool('broken', 'x', {})).failure?.kind, 'unavailable');
    await hub.stop();
  });
});
