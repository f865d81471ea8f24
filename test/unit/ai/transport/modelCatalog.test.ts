import * as assert from 'node:assert/strict';
import { connectLmStudio, listModels, probeServer, resolveModel } from '../../../../src/core/ai/transport/lmStudio';
import { LmStudioStandIn } from '../../../lmstudio/standIn';
import { ask, chatModelFor, expectLlmError, RecordingLogger, settingsFor } from './transportTestKit';

describe('LM Studio model catalog', () => {
  let server: LmStudioStandIn;
  afterEach(async () => {
    await server.close();
  });

  it('auto: the first loaded LLM, with its context, skipping embedding and unloaded models', async () => {
    server = await LmStudioStandIn.start({
      models: [
        { id: 'text-embedding-nomic-embed-text-v1.5', loaded: true, contextLength: 2048, type: 'embeddings' },
        { id: 'mistral-7b', loaded: false, contextLength: 8192 },
        { id: 'qwen3-8b', loaded: true, contextLength: 40960 },
      ],
    });
    assert.deepEqual(await resolveModel(settingsFor(server)), { id: 'qwen3-8b', contextLength: 40960 });
  });

  it('named: the configured model even when not loaded yet (just-in-time loading)', async () => {
    server = await LmStudioStandIn.start({
      models: [
        { id: 'qwen3-8b', loaded: true, contextLength: 40960 },
        { id: 'mistral-7b', loaded: false, contextLength: 8192 },
      ],
    });
    assert.deepEqual(await resolveModel(settingsFor(server, { model: 'mistral-7b' })), {
      id: 'mistral-7b',
      contextLength: 8192,
    });
  });

  it('named but unknown: modelNotFound listing the models there are', async () => {
    server = await LmStudioStandIn.start();
    const error = await expectLlmError(resolveModel(settingsFor(server, { model: 'gpt-5' })), 'modelNotFound');
    assert.match(error.hint, /one of: qwen2\.5-7b-instruct/);
  });

  it('none loaded: noModelLoaded with the lms load command', async () => {
    server = await LmStudioStandIn.start({ models: [{ id: 'qwen3-8b', loaded: false, contextLength: 40960 }] });
    const error = await expectLlmError(resolveModel(settingsFor(server)), 'noModelLoaded');
    assert.match(error.hint, /lms load/);
  });

  it('falls back to /v1/models when /api/v0/models is an unknown route (answered 200 with an error)', async () => {
    server = await LmStudioStandIn.start({ restApi: false });
    const catalog = await listModels(settingsFor(server));
    assert.deepEqual(catalog, {
      source: 'openAi',
      models: [{ id: 'qwen2.5-7b-instruct', loaded: undefined, contextLength: undefined, type: undefined }],
    });
    assert.deepEqual(await resolveModel(settingsFor(server)), { id: 'qwen2.5-7b-instruct', contextLength: undefined });
  });

  it('probe: online, then offline (unreachable) once the server stops, then online after a restart', async () => {
    server = await LmStudioStandIn.start();
    const settings = settingsFor(server);
    const online = await probeServer(settings);
    assert.equal(online.state, 'online');
    assert.deepEqual(online.state === 'online' && online.loadedModel, {
      id: 'qwen2.5-7b-instruct',
      contextLength: 32768,
    });
    await server.close();
    const offline = await probeServer(settings);
    assert.equal(offline.state, 'offline');
    assert.equal(offline.state === 'offline' && offline.error.reason, 'unreachable');
    await server.restart();
    assert.equal((await probeServer(settings)).state, 'online');
  });

  it('probe: a hung server is offline after the timeout', async () => {
    server = await LmStudioStandIn.start();
    server.injectFault({ kind: 'stall' }, { route: 'models' });
    const status = await probeServer(settingsFor(server), undefined, { timeoutMs: 100 });
    assert.equal(status.state === 'offline' && status.error.reason, 'unreachable');
    assert.match(status.state === 'offline' ? (status.error.details.serverMessage ?? '') : '', /within 100 ms/);
  });

  it('probe: a server demanding a token is offline with authRequired until the token is set', async () => {
    server = await LmStudioStandIn.start({ apiKey: 'sk-lm-secret' });
    const without = await probeServer(settingsFor(server));
    assert.equal(without.state === 'offline' && without.error.reason, 'authRequired');
    assert.equal((await probeServer(settingsFor(server, { apiKey: 'sk-lm-secret' }))).state, 'online');
  });

  it('connectLmStudio: resolves the loaded model and chats with it', async () => {
    server = await LmStudioStandIn.start();
    const logger = new RecordingLogger();
    const model = await connectLmStudio(settingsFor(server), { logger });
    assert.deepEqual([model.id, model.contextLength], ['qwen2.5-7b-instruct', 32768]);
    assert.equal((await model.chat(ask('hello'))).content, 'Echo: hello');
    assert.match(logger.text(), /using qwen2\.5-7b-instruct \(context 32768 tokens\) \(the loaded model\)/);
  });

  it('just-in-time loading: a named unloaded model answers and becomes loaded; without it, modelNotFound', async () => {
    const models = [
      { id: 'qwen3-8b', loaded: true, contextLength: 40960 },
      { id: 'mistral-7b', loaded: false, contextLength: 8192 },
    ];
    server = await LmStudioStandIn.start({ models });
    await expectLlmError(chatModelFor(server, { model: 'mistral-7b' }).chat(ask('hi')), 'modelNotFound');
    server.justInTime = true;
    assert.equal((await chatModelFor(server, { model: 'mistral-7b' }).chat(ask('hi'))).model, 'mistral-7b');
    assert.equal(server.getModels().find((m) => m.id === 'mistral-7b')?.loaded, true);
  });
});
