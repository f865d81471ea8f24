import * as assert from 'node:assert/strict';
import type { GenerationProgress } from '../../../../src/core/ai/chatModel';
import { LmStudioStandIn } from '../../../lmstudio/standIn';
import { standInReplies } from '../../../lmstudio/standInReplies';
import { ask, chatModelFor, expectLlmError, RecordingLogger } from './transportTestKit';

describe('LM Studio transport: streamed replies', () => {
  let server: LmStudioStandIn;
  beforeEach(async () => {
    server = await LmStudioStandIn.start();
  });
  afterEach(async () => {
    await server.close();
  });

  it('streams a reply with usage, reporting waiting then generating with growing token counts', async () => {
    server.enqueueReply('The change looks complete and every requirement has a scenario.');
    const progress: GenerationProgress[] = [];
    const logger = new RecordingLogger();
    const reply = await chatModelFor(server, { logger }).chat(ask('review', { onProgress: (p) => progress.push(p) }));

    assert.equal(reply.content, 'The change looks complete and every requirement has a scenario.');
    assert.equal(reply.model, 'qwen2.5-7b-instruct');
    assert.equal(reply.finishReason, 'stop');
    assert.deepEqual(reply.usage, { promptTokens: 6, completionTokens: 10 });
    assert.equal(progress[0]?.phase, 'waiting');
    const generating = progress.filter((p) => p.phase === 'generating');
    assert.deepEqual(
      generating.map((p) => p.tokens),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.ok(generating.every((p, i) => i === 0 || p.elapsedMs >= (generating[i - 1]?.elapsedMs ?? 0)));
    assert.ok((generating.at(-1)?.tokensPerSecond ?? 0) > 0);
    assert.match(logger.text(), /reply from qwen2\.5-7b-instruct: 10 tokens in/);
  });

  it('sends the model, the messages, include_usage and the JSON schema as response_format', async () => {
    server.enqueueReply('{"ok":true}');
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    await chatModelFor(server).chat({
      messages: [
        { role: 'system', content: 'You review specs.' },
        { role: 'user', content: 'Review this.' },
      ],
      jsonSchema: { name: 'review', schema },
      maxTokens: 500,
      temperature: 0.2,
    });
    const request = server.requests[0];
    assert.equal(request?.model, 'qwen2.5-7b-instruct');
    assert.equal(request?.stream, true);
    assert.deepEqual(request?.stream_options, { include_usage: true });
    assert.deepEqual(request?.response_format, {
      type: 'json_schema',
      json_schema: { name: 'review', strict: true, schema },
    });
    assert.deepEqual([request?.max_tokens, request?.temperature], [500, 0.2]);
    assert.deepEqual(
      request?.messages.map((m) => m.role),
      ['system', 'user'],
    );
  });

  it('removes a <think> block from the content, even with the tags split across deltas', async () => {
    server.enqueueReply(standInReplies.withSplitThink('The user wants JSON.', '{"ok":true}'));
    const reply = await chatModelFor(server).chat(ask('json please'));
    assert.equal(reply.content, '{"ok":true}');
    assert.equal(reply.reasoning, 'The user wants JSON.');
  });

  it('removes a <think> block sliced word by word', async () => {
    server.enqueueReply(standInReplies.withThink('Let me check the scenarios first.', 'All good.'));
    const reply = await chatModelFor(server).chat(ask('review'));
    assert.deepEqual([reply.content, reply.reasoning], ['All good.', 'Let me check the scenarios first.']);
  });

  for (const field of ['reasoning_content', 'reasoning'] as const) {
    it(`moves the ${field} delta field into reasoning`, async () => {
      const progress: GenerationProgress[] = [];
      server.enqueueReply(standInReplies.withReasoningField('Thinking hard about it.', 'Answer.', field));
      const reply = await chatModelFor(server).chat(ask('q', { onProgress: (p) => progress.push(p) }));
      assert.deepEqual([reply.content, reply.reasoning], ['Answer.', 'Thinking hard about it.']);
      assert.equal(progress.filter((p) => p.phase === 'generating').length, 5);
    });
  }

  it('cancels mid-stream with cancelled', async () => {
    server.setReplyHandler(() => Array.from({ length: 200 }, (_, i) => `word${i}`).join(' '));
    server.chunkDelayMs = 5;
    const controller = new AbortController();
    const chat = chatModelFor(server).chat(
      ask('long', {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.tokens === 3) controller.abort();
        },
      }),
    );
    await expectLlmError(chat, 'cancelled');
    assert.equal(server.requests.length, 1);
  });

  it('cancels while waiting for the first token', async () => {
    server.injectFault({ kind: 'stall' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    await expectLlmError(chatModelFor(server).chat(ask('hi', { signal: controller.signal })), 'cancelled');
  });

  it('an already aborted signal fails at once without a request', async () => {
    await expectLlmError(chatModelFor(server).chat(ask('hi', { signal: AbortSignal.abort() })), 'cancelled');
    assert.equal(server.requests.length, 0);
  });

  it('a stall shorter than the first-token limit is just a slow start, with waiting heartbeats', async () => {
    server.injectFault({ kind: 'stall', ms: 150 });
    const progress: GenerationProgress[] = [];
    const model = chatModelFor(server, { settings: { firstTokenTimeoutMs: 2000 } });
    const reply = await model.chat(ask('hi', { onProgress: (p) => progress.push(p) }));
    assert.equal(reply.content, 'Echo: hi');
    assert.ok(progress.filter((p) => p.phase === 'waiting').length >= 2);
  });
});
