import * as assert from 'node:assert/strict';
import { LmStudioStandIn } from '../../../lmstudio/standIn';
import { ask, chatModelFor } from '../../ai/transport/transportTestKit';

describe('Tool calls through the ChatModel seam (LM Studio stand-in)', () => {
  let server: LmStudioStandIn;

  beforeEach(async () => {
    server = await LmStudioStandIn.start();
  });

  afterEach(async () => {
    await server.close();
  });

  const echoTool = {
    name: 'mcp__everything__echo',
    description: 'Echoes back the input string',
    parameters: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
  };

  it('sends tools and tool_choice, and joins streamed tool-call pieces by index', async () => {
    server.enqueueReply({
      content: 'Let me check.',
      toolCalls: [
        { id: 'call_a', name: 'mcp__everything__echo', arguments: { message: 'a fairly long message to split' } },
        { name: 'mcp__everything__get-sum', arguments: '{"a": 1, "b": 2}' },
      ],
    });
    const reply = await chatModelFor(server).chat(ask('use tools', { tools: [echoTool], toolChoice: 'required' }));
    assert.equal(reply.finishReason, 'tool_calls');
    assert.equal(reply.content, 'Let me check.');
    assert.equal(reply.toolCalls?.length, 2);
    assert.deepEqual(reply.toolCalls?.[0], {
      id: 'call_a',
      name: 'mcp__everything__echo',
      arguments: '{"message":"a fairly long message to split"}',
    });
    assert.equal(reply.toolCalls?.[1]?.name, 'mcp__everything__get-sum');
    assert.equal(reply.toolCalls?.[1]?.arguments, '{"a": 1, "b": 2}');
    assert.match(reply.toolCalls?.[1]?.id ?? '', /^call_/);

    const [request] = server.requests;
    assert.deepEqual(request?.tools, [{ type: 'function', function: echoTool }]);
    assert.equal(request?.tool_choice, 'required');
  });

  it('accepts a reply that is only a tool call, with no content', async () => {
    server.enqueueReply({ toolCalls: [{ name: 'mcp__everything__echo', arguments: { message: 'x' } }] });
    const reply = await chatModelFor(server).chat(ask('use tools', { tools: [echoTool] }));
    assert.equal(reply.content, '');
    assert.equal(reply.toolCalls?.[0]?.arguments, '{"message":"x"}');
  });

  it('sends assistant tool calls and tool results back in the OpenAI shape', async () => {
    await chatModelFor(server).chat({
      messages: [
        { role: 'user', content: 'echo hi' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'call_1', name: 'mcp__everything__echo', arguments: '{"message":"hi"}' }],
        },
        { role: 'tool', toolCallId: 'call_1', content: 'Echo: hi' },
      ],
      tools: [echoTool],
    });
    const messages = server.requests[0]?.messages;
    assert.deepEqual(messages?.[1], {
      role: 'assistant',
      content: '',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'mcp__everything__echo', arguments: '{"message":"hi"}' } },
      ],
    });
    assert.deepEqual(messages?.[2], { role: 'tool', tool_call_id: 'call_1', content: 'Echo: hi' });
  });

  it('sends neither tools nor tool_choice when no tools are offered', async () => {
    await chatModelFor(server).chat(ask('plain', { toolChoice: 'none', tools: [] }));
    const request = server.requests[0];
    assert.equal(request?.tools, undefined);
    assert.equal(request?.tool_choice, undefined);
  });
});
