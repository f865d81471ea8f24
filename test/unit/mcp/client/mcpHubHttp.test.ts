import * as assert from 'node:assert/strict';
import { McpHub } from '../../../../src/core/mcp/client/mcpHub';
import { RecordingLogger } from '../../../harness/recordingLogger';
import { EverythingHttpServer, freePort, quickRestarts } from './mcpTestKit';

describe('McpHub over streamable HTTP (server-everything)', function () {
  this.timeout(20_000);
  let server: EverythingHttpServer;
  let hub: McpHub;
  let logger: RecordingLogger;

  before(async () => {
    server = new EverythingHttpServer(await freePort());
    await server.start();
  });

  after(async () => {
    await hub?.stop();
    await server.kill();
  });

  it('lists and calls tools over HTTP', async () => {
    logger = new RecordingLogger();
    hub = new McpHub({ logger, restart: quickRestarts, defaultTimeoutMs: 5000 });
    await hub.start({ servers: { web: { type: 'http', url: server.url } }, problems: [] });
    const web = hub.server('web');
    assert.equal(web?.state, 'ready', web?.error);
    assert.equal(web?.transport, 'http');
    assert.ok(web?.tools.some((tool) => tool.name === 'get-sum'));
    assert.equal((await hub.callTool('web', 'get-sum', { a: 1, b: 2 })).text, 'The sum of 1 and 2 is 3.');
  });

  it('re-initializes after the server restarted and forgot the session, and retries the call once', async () => {
    await server.kill();
    await server.start();
    const echo = await hub.callTool('web', 'echo', { message: 'after restart' });
    assert.equal(echo.ok, true, echo.text);
    assert.equal(echo.text, 'Echo: after restart');
    assert.equal(hub.server('web')?.state, 'ready');
    assert.match(logger.text(), /lost its session \(restarted\?\); reconnecting/);
  });

  it('reports an unreachable server as unavailable and reconnects once it is back', async () => {
    await server.kill();
    const down = await hub.callTool('web', 'echo', { message: 'nobody home' });
    assert.equal(down.failure?.kind, 'unavailable');
    await server.start();
    await hub.restart('web');
    assert.equal(hub.server('web')?.state, 'ready');
    assert.equal((await hub.callTool('web', 'echo', { message: 'back' })).text, 'Echo: back');
  });
});
