import * as assert from 'node:assert/strict';
import { LmStudioStandIn } from '../../../lmstudio/standIn';
import { standInReplies } from '../../../lmstudio/standInReplies';
import { ask, chatModelFor, expectLlmError, RecordingLogger } from './transportTestKit';

describe('LM Studio transport: each failure becomes an actionable LlmError', () => {
  let server: LmStudioStandIn;
  beforeEach(async () => {
    server = await LmStudioStandIn.start();
  });
  afterEach(async () => {
    await server.close();
  });

  it('refused connection → unreachable, naming the URL and how to start the server', async () => {
    server.injectFault({ kind: 'refused' });
    const error = await expectLlmError(chatModelFor(server).chat(ask('hi')), 'unreachable');
    assert.match(error.message, new RegExp(server.baseUrl));
    assert.match(error.hint, /lms server start/);
    assert.match(error.hint, /openspecLoop\.lmStudio\.baseUrl/);
    assert.ok(error.hint.includes(server.baseUrl));
  });

  it('server not listening (ECONNREFUSED) → unreachable with the system error in the details', async () => {
    const model = chatModelFor(server);
    await server.close();
    const error = await expectLlmError(model.chat(ask('hi')), 'unreachable');
    assert.match(error.details.serverMessage ?? '', /ECONNREFUSED/);
  });

  for (const status of [500, 503]) {
    it(`HTTP ${status} → serverError with the status`, async () => {
      server.injectFault({ kind: 'httpError', status, message: 'Service busy' });
      const error = await expectLlmError(chatModelFor(server).chat(ask('hi')), 'serverError');
      assert.equal(error.details.status, status);
      assert.equal(error.details.serverMessage, 'Service busy');
      assert.match(error.hint, /Developer log/);
    });
  }

  it('429 → rateLimited carrying retry-after', async () => {
    server.injectFault({ kind: 'rateLimited', retryAfterSeconds: 7 });
    const error = await expectLlmError(chatModelFor(server).chat(ask('hi')), 'rateLimited');
    assert.equal(error.details.retryAfterSeconds, 7);
    assert.match(error.hint, /7 s/);
  });

  for (const variant of ['badRequest', 'notFound', 'plainString'] as const) {
    it(`no model loaded (${variant}) → noModelLoaded with the lms load command`, async () => {
      server.injectFault({ kind: 'noModelLoaded', variant });
      const error = await expectLlmError(chatModelFor(server).chat(ask('hi')), 'noModelLoaded');
      assert.match(error.hint, /`lms load qwen2\.5-7b-instruct`/);
      assert.match(error.details.serverMessage ?? '', /^No models loaded\./);
    });
  }

  it('unknown model → modelNotFound naming the model setting', async () => {
    const error = await expectLlmError(chatModelFor(server, { model: 'llama-9000' }).chat(ask('hi')), 'modelNotFound');
    assert.match(error.message, /"llama-9000"/);
    assert.match(error.hint, /openspecLoop\.lmStudio\.model/);
    assert.equal(error.details.status, 400);
  });

  it('context overflow as an SSE error event → contextOverflow with the sizes and a reload command', async () => {
    server.injectFault({ kind: 'contextOverflow', variant: 'sseError', promptTokens: 31430, contextLength: 30000 });
    const error = await expectLlmError(chatModelFor(server).chat(ask('hi')), 'contextOverflow');
    assert.equal(error.details.promptTokens, 31430);
    assert.equal(error.details.contextLength, 30000);
    assert.match(error.hint, /`lms load qwen2\.5-7b-instruct --context-length 40960`/);
  });

  it('context overflow in the older plain-string 400 → contextOverflow asking for twice the context', async () => {
    server.injectFault({ kind: 'contextOverflow', variant: 'plainString', contextLength: 4096 });
    const error = await expectLlmError(chatModelFor(server).chat(ask('hi')), 'contextOverflow');
    assert.equal(error.details.contextLength, 4096);
    assert.match(error.hint, /--context-length 12288/);
  });

  it('context filled during generation → contextOverflow', async () => {
    server.injectFault({ kind: 'contextOverflow', variant: 'midGeneration', contextLength: 4096 });
    const error = await expectLlmError(chatModelFor(server).chat(ask('one two three four')), 'contextOverflow');
    assert.equal(error.details.contextLength, 4096);
  });

  it('a prompt larger than the loaded context (the stand-in notices by itself) → contextOverflow', async () => {
    server.setModels([{ id: 'small', loaded: true, contextLength: 1024 }]);
    const model = chatModelFor(server, { model: 'small', contextLength: 1024 });
    const error = await expectLlmError(model.chat(ask('x'.repeat(8000))), 'contextOverflow');
    assert.equal(error.details.contextLength, 1024);
    assert.ok((error.details.promptTokens ?? 0) > 1024);
  });

  it('an empty stream after a prompt filling the context → contextOverflow', async () => {
    server.setModels([{ id: 'small', loaded: true, contextLength: 4096 }]);
    server.injectFault({ kind: 'contextOverflow', variant: 'emptyStream' });
    const model = chatModelFor(server, { model: 'small', contextLength: 4096 });
    const error = await expectLlmError(model.chat(ask('x'.repeat(14_000))), 'contextOverflow');
    assert.match(error.hint, /lms load small --context-length 8192/);
  });

  it('an empty stream after a short prompt → badOutput', async () => {
    server.injectFault({ kind: 'contextOverflow', variant: 'emptyStream' });
    const error = await expectLlmError(chatModelFor(server).chat(ask('hi')), 'badOutput');
    assert.match(error.message, /empty reply/);
  });

  it("finish_reason 'length' without a reply limit → contextOverflow; within the caller's limit → the reply", async () => {
    server.enqueueReply({ content: 'cut off here', finishReason: 'length' });
    await expectLlmError(chatModelFor(server, { contextLength: undefined }).chat(ask('hi')), 'contextOverflow');
    server.enqueueReply({ content: 'cut off', finishReason: 'length' });
    const reply = await chatModelFor(server).chat(ask('hi', { maxTokens: 2 }));
    assert.deepEqual([reply.content, reply.finishReason], ['cut off', 'length']);
  });

  it('crash in the middle of the stream → serverError saying the connection closed mid-reply', async () => {
    server.injectFault({ kind: 'crashMidStream', afterChunks: 2 });
    const error = await expectLlmError(chatModelFor(server).chat(ask('one two three four five')), 'serverError');
    assert.match(error.message, /closed in the middle of the reply/);
  });

  it('no first token in time → timeout naming the setting to raise', async () => {
    server.injectFault({ kind: 'stall' });
    const started = Date.now();
    const error = await expectLlmError(
      chatModelFor(server, { settings: { firstTokenTimeoutMs: 100 } }).chat(ask('hi')),
      'timeout',
    );
    assert.ok(Date.now() - started < 1500);
    assert.match(error.hint, /openspecLoop\.lmStudio\.firstTokenTimeoutMs \(now 100\)/);
    assert.match(error.hint, /CPU/);
  });

  it('a stream that goes quiet → timeout naming the idle setting', async () => {
    server.injectFault({ kind: 'pauseMidStream', afterChunks: 1 });
    const error = await expectLlmError(
      chatModelFor(server, { settings: { idleTimeoutMs: 100 } }).chat(ask('one two three')),
      'timeout',
    );
    assert.match(error.hint, /idleTimeoutMs \(now 100\)/);
  });

  it('401 → authRequired pointing at the command that stores the token', async () => {
    server.injectFault({ kind: 'authRequired' });
    const error = await expectLlmError(chatModelFor(server).chat(ask('hi')), 'authRequired');
    assert.match(error.hint, /set it with the command "OpenSpec: Set LM Studio API Token"/);
    assert.match(error.details.serverMessage ?? '', /API token is required/);
  });

  for (const variant of ['sseError', 'http500'] as const) {
    it(`model crash (${variant}) → serverError suggesting a smaller context`, async () => {
      server.injectFault({ kind: 'modelCrash', variant });
      const error = await expectLlmError(chatModelFor(server).chat(ask('hi')), 'serverError');
      assert.match(error.message, /crashed/);
      assert.match(error.hint, /lms load qwen2\.5-7b-instruct --context-length/);
    });
  }

  it('model load failure → serverError about memory', async () => {
    server.injectFault({ kind: 'loadFailure' });
    const error = await expectLlmError(chatModelFor(server).chat(ask('hi')), 'serverError');
    assert.match(error.message, /could not load qwen2\.5-7b-instruct/);
    assert.match(error.hint, /memory/);
  });

  it('unknown route (HTTP 200 with an error body) → serverError asking for a base URL ending in /v1', async () => {
    server.injectFault({ kind: 'unknownRoute' });
    const error = await expectLlmError(chatModelFor(server).chat(ask('hi')), 'serverError');
    assert.match(error.message, /Unexpected endpoint or method/);
    assert.match(error.hint, /ending in \/v1/);
  });

  it('a base URL with a wrong path → the same unknown-route advice', async () => {
    const baseUrl = server.baseUrl.replace(/\/v1$/, '/lmstudio');
    const error = await expectLlmError(chatModelFor(server, { settings: { baseUrl } }).chat(ask('hi')), 'serverError');
    assert.match(error.hint, /openspecLoop\.lmStudio\.baseUrl/);
  });

  it('invalid or schema-violating JSON arrives verbatim: validating it is the caller’s job', async () => {
    server.enqueueReply(standInReplies.invalidJson, standInReplies.schemaViolating);
    const model = chatModelFor(server);
    assert.equal((await model.chat(ask('review'))).content, standInReplies.invalidJson);
    assert.equal((await model.chat(ask('review'))).content, standInReplies.schemaViolating);
  });

  it("logs each failure's server message verbatim", async () => {
    const logger = new RecordingLogger();
    server.injectFault({ kind: 'noModelLoaded', variant: 'plainString' });
    await expectLlmError(chatModelFor(server, { logger }).chat(ask('hi')), 'noModelLoaded');
    assert.match(logger.text(), /request to qwen2\.5-7b-instruct at http:\/\/127\.0\.0\.1:\d+\/v1: 1 messages/);
    assert.match(logger.text(), /failed \(noModelLoaded\) after 0 tokens: No models loaded\. Please load a model/);
  });
});
