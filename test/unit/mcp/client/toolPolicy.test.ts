import * as assert from 'node:assert/strict';
import { McpHub } from '../../../../src/core/mcp/client/mcpHub';
import { allowedTools, isToolAllowed, modelToolName, toolPolicy } from '../../../../src/core/mcp/client/toolPolicy';
import { everythingStdio } from './mcpTestKit';

describe('MCP tool allowlist and model-facing names', () => {
  it('allows server/tool entries and server/* wildcards only', () => {
    const policy = toolPolicy(['fs/read_file', 'everything/*']);
    assert.equal(isToolAllowed(policy, 'fs', 'read_file'), true);
    assert.equal(isToolAllowed(policy, 'fs', 'write_file'), false);
    assert.equal(isToolAllowed(policy, 'everything', 'anything'), true);
    assert.equal(isToolAllowed(policy, 'other', 'read_file'), false);
  });

  it('sanitizes names to OpenAI rules and keeps long ones unique within 64 characters', () => {
    assert.equal(modelToolName('everything', 'get-sum'), 'mcp__everything__get-sum');
    assert.equal(modelToolName('my server', 'files.read'), 'mcp__my_server__files_read');
    const long = modelToolName('a-very-long-server-name-for-testing', 'an-equally-long-tool-name-that-goes-on-and-on');
    const other = modelToolName(
      'a-very-long-server-name-for-testing',
      'an-equally-long-tool-name-that-goes-on-and-off',
    );
    for (const name of [long, other]) assert.match(name, /^[a-zA-Z0-9_-]{1,64}$/);
    assert.notEqual(long, other);
  });

  it('offers only allowed tools of ready servers, with a map back to server and tool', async function () {
    this.timeout(15_000);
    const hub = new McpHub();
    try {
      await hub.start({
        servers: {
          everything: everythingStdio(),
          'every.thing': { type: 'stdio', command: 'openspec-loop-no-such-command' },
        },
        problems: [],
      });
      assert.notEqual(hub.server('every.thing')?.state, 'ready');
      const { definitions, targets } = allowedTools(
        hub,
        toolPolicy(['everything/echo', 'everything/get-sum', 'every.thing/*']),
      );
      assert.deepEqual(
        definitions.map((tool) => tool.name),
        ['mcp__everything__echo', 'mcp__everything__get-sum'],
      );
      assert.deepEqual(targets.get('mcp__everything__get-sum'), { server: 'everything', tool: 'get-sum' });
      const sum = definitions[1];
      assert.equal(sum?.description, 'Returns the sum of two numbers');
      assert.equal(sum?.parameters.type, 'object');
      assert.equal(sum?.parameters.$schema, undefined);
      assert.deepEqual(sum?.parameters.required, ['a', 'b']);
    } finally {
      await hub.stop();
    }
  });
});
