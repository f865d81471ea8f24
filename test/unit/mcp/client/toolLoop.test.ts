import * as assert from 'node:assert/strict';
import { McpHub } from '../../../../src/core/mcp/client/mcpHub';
import { chatWithTools, type ToolCallEvent } from '../../../../src/core/mcp/client/toolLoop';
import { toolPolicy } from '../../../../src/core/mcp/client/toolPolicy';
import { LmStudioStandIn, type RecordedChatRequest } from '../../../lmstudio/standIn';
import { ask, chatModelFor, RecordingLogger } from '../../ai/transport/transportTestKit';
import { everythingStdio } from './mcpTestKit';

describe('chatWithTools: the model calls MCP tools (stand-in + server-everything)', function () {
  this.timeout(20_000);
  const hub = new McpHub({ defaultTimeoutMs: 5000 });
  const policy = toolPolicy(['everything/echo', 'everything/get-sum', 'everything/trigger-long-running-operation']);
  let server: LmStudioStandIn;

  before(async () => {
    await hub.start({ servers: { everything: everythingStdio() }, problems: [] });
  });

  after(async () => {
    await hub.stop();
  });

  beforeEach(async () => {
    server = await LmStudioStandIn.start();
  });

  afterEach(async () => {
    await server.close();
  });

  const lastMessage = (request: RecordedChatRequest | undefined) => request?.messages[request.messages.length - 1];

  it('runs the requested tool, sends its result back and returns the final answer', async () => {
    server.enqueueReply(
      { toolCalls: [{ id: 'call_sum', name: 'mcp__everything__get-sum', arguments: { a: 2, b: 3 } }] },
      'Two and three make 5.',
    );
    const events: ToolCallEvent[] = [];
    const logger = new RecordingLogger();
    const result = await chatWithTools(chatModelFor(server), ask('What is 2 + 3?'), {
      hub,
      policy,
      onToolCall: (event) => events.push(event),
      logger,
    });

    assert.equal(result.reply.content, 'Two and three make 5.');
    assert.equal(result.steps, 2);
    assert.equal(result.hitMaxSteps, false);
    assert.equal(events.length, 1);
    assert.deepEqual(
      { ...events[0], ms: 0 },
      { server: 'everything', tool: 'get-sum', arguments: { a: 2, b: 3 }, ok: true, ms: 0 },
    );

    const [first, second] = server.requests;
    assert.deepEqual(
      first?.tools?.map((tool) => tool.function.name),
      ['mcp__everything__echo', 'mcp__everything__get-sum', 'mcp__everything__trigger-long-running-operation'],
    );
    assert.equal(first?.tool_choice, 'auto');
    assert.equal(second?.messages[1]?.tool_calls?.[0]?.id, 'call_sum');
    assert.deepEqual(lastMessage(second), {
      role: 'tool',
      tool_call_id: 'call_sum',
      content: 'The sum of 2 and 3 is 5.',
    });
    assert.deepEqual(
      result.messages.map((message) => message.role),
      ['user', 'assistant', 'tool', 'assistant'],
    );
  });

  it('runs several calls of one turn in order, each answered by its id', async () => {
    server.enqueueReply(
      {
        toolCalls: [
          { id: 'c1', name: 'mcp__everything__echo', arguments: { message: 'one' } },
          { id: 'c2', name: 'mcp__everything__echo', arguments: { message: 'two' } },
        ],
      },
      'done',
    );
    await chatWithTools(chatModelFor(server), ask('echo twice'), { hub, policy });
    const messages = server.requests[1]?.messages ?? [];
    assert.deepEqual(messages.slice(-2), [
      { role: 'tool', tool_call_id: 'c1', content: 'Echo: one' },
      { role: 'tool', tool_call_id: 'c2', content: 'Echo: two' },
    ]);
  });

  it('stops after maxSteps and asks for an answer with tool_choice none', async () => {
    server.setReplyHandler((request) =>
      request.tool_choice === 'none'
        ? 'I give up calling tools.'
        : { toolCalls: [{ name: 'mcp__everything__echo', arguments: { message: `step ${server.requests.length}` } }] },
    );
    const events: ToolCallEvent[] = [];
    const result = await chatWithTools(chatModelFor(server), ask('loop forever'), {
      hub,
      policy,
      maxSteps: 2,
      onToolCall: (event) => events.push(event),
    });
    assert.equal(result.hitMaxSteps, true);
    assert.equal(result.steps, 3);
    assert.equal(result.reply.content, 'I give up calling tools.');
    assert.equal(events.length, 2);
    assert.deepEqual(
      server.requests.map((request) => request.tool_choice),
      ['auto', 'auto', 'none'],
    );
  });

  it('answers unparsable arguments, unknown tools and tool failures with an error the model can read', async () => {
    server.enqueueReply(
      {
        toolCalls: [
          { id: 'bad_json', name: 'mcp__everything__echo', arguments: '{"message": "cut off' },
          { id: 'not_allowed', name: 'mcp__everything__get-env', arguments: {} },
          { id: 'tool_error', name: 'mcp__everything__get-sum', arguments: { a: 'x' } },
          { id: 'no_args', name: 'mcp__everything__echo', arguments: '' },
        ],
      },
      'Sorry, the tools failed.',
    );
    const events: ToolCallEvent[] = [];
    const result = await chatWithTools(chatModelFor(server), ask('break things'), {
      hub,
      policy,
      onToolCall: (event) => events.push(event),
    });
    assert.equal(result.reply.content, 'Sorry, the tools failed.');
    const results = new Map(
      (server.requests[1]?.messages ?? []).filter((m) => m.role === 'tool').map((m) => [m.tool_call_id, m.content]),
    );
    assert.match(
      results.get('bad_json') ?? '',
      /^Error: the arguments for mcp__everything__echo are not a valid JSON object \(/,
    );
    assert.match(
      results.get('not_allowed') ?? '',
      /^Error: there is no tool named "mcp__everything__get-env"\. Available tools: mcp__everything__echo, /,
    );
    assert.match(results.get('tool_error') ?? '', /^Error: MCP error -32602: Input validation error/);
    assert.match(results.get('no_args') ?? '', /^Error: .*message/);
    assert.deepEqual(
      events.map((event) => [event.server, event.tool, event.ok]),
      [
        ['everything', 'echo', false],
        ['', 'mcp__everything__get-env', false],
        ['everything', 'get-sum', false],
        ['everything', 'echo', false],
      ],
    );
    assert.equal(events[0]?.arguments, '{"message": "cut off');
  });

  it('reports a hung tool as a timeout to the model and truncates long results', async () => {
    server.enqueueReply(
      {
        toolCalls: [
          {
            id: 'slow',
            name: 'mcp__everything__trigger-long-running-operation',
            arguments: { duration: 30, steps: 1 },
          },
          { id: 'long', name: 'mcp__everything__echo', arguments: { message: 'x'.repeat(500) } },
        ],
      },
      'ok',
    );
    await chatWithTools(chatModelFor(server), ask('be slow'), { hub, policy, toolTimeoutMs: 200, maxResultChars: 100 });
    const results = new Map(
      (server.requests[1]?.messages ?? []).filter((m) => m.role === 'tool').map((m) => [m.tool_call_id, m.content]),
    );
    assert.equal(results.get('slow'), 'Error: the tool did not answer within 200 ms');
    assert.equal(results.get('long'), `Echo: ${'x'.repeat(94)}\n[truncated: 406 more characters]`);
    assert.equal(hub.server('everything')?.state, 'ready');
  });

  it('offers no tools when the policy allows none, and the model just answers', async () => {
    server.enqueueReply('Plain answer.');
    const result = await chatWithTools(chatModelFor(server), ask('hello'), { hub, policy: toolPolicy([]) });
    assert.equal(result.reply.content, 'Plain answer.');
    assert.equal(server.requests[0]?.tools, undefined);
  });
});
