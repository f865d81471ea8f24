import * as assert from 'node:assert/strict';
import { LlmError } from '../../../../src/core/ai/llmError';
import { isRetryable, retryDelayMs, withRetry } from '../../../../src/core/ai/transport/retryPolicy';
import { LmStudioStandIn } from '../../../lmstudio/standIn';
import { ask, chatModelFor, expectLlmError, RecordingLogger } from './transportTestKit';

describe('LM Studio transport: retries', () => {
  let server: LmStudioStandIn;
  beforeEach(async () => {
    server = await LmStudioStandIn.start();
  });
  afterEach(async () => {
    await server.close();
  });

  it('503 twice, then success: three requests, two backoff waits, retries logged', async () => {
    server.injectFault({ kind: 'httpError', status: 503 }, { times: 2 });
    const delays: number[] = [];
    const logger = new RecordingLogger();
    const reply = await chatModelFor(server, { settings: { maxRetries: 2 }, delays, logger }).chat(ask('hi'));
    assert.equal(reply.content, 'Echo: hi');
    assert.equal(server.requests.length, 3);
    assert.deepEqual(delays, [375, 750]);
    assert.match(logger.text(), /attempt 1 of 3 failed \(serverError\); retrying in 375 ms/);
    assert.match(logger.text(), /attempt 2 of 3 failed/);
  });

  it('gives up after maxRetries with the last error', async () => {
    server.injectFault({ kind: 'httpError', status: 500 }, { times: Infinity });
    const error = await expectLlmError(
      chatModelFor(server, { settings: { maxRetries: 2 }, delays: [] }).chat(ask('hi')),
      'serverError',
    );
    assert.equal(error.details.status, 500);
    assert.equal(server.requests.length, 3);
  });

  it('waits as long as retry-after says, measured on the real clock', async () => {
    server.injectFault({ kind: 'rateLimited', retryAfterSeconds: 0.2 });
    const started = Date.now();
    await chatModelFor(server, { settings: { maxRetries: 1 } }).chat(ask('hi'));
    assert.ok(Date.now() - started >= 190, `waited ${Date.now() - started} ms`);
    assert.equal(server.requests.length, 2);
  });

  it('caps a long retry-after', async () => {
    server.injectFault({ kind: 'rateLimited', retryAfterSeconds: 120 });
    const delays: number[] = [];
    await chatModelFor(server, { settings: { maxRetries: 1 }, delays }).chat(ask('hi'));
    assert.deepEqual(delays, [30_000]);
  });

  it('retries a refused connection until the server takes it', async () => {
    server.injectFault({ kind: 'refused' }, { times: 2 });
    const reply = await chatModelFor(server, { settings: { maxRetries: 2 }, delays: [] }).chat(ask('hi'));
    assert.equal(reply.content, 'Echo: hi');
  });

  it('never retries once a token has streamed: a crash mid-stream is one request and an error', async () => {
    server.injectFault({ kind: 'crashMidStream', afterChunks: 2 }, { times: Infinity });
    const model = chatModelFor(server, { settings: { maxRetries: 2 }, delays: [] });
    await expectLlmError(model.chat(ask('one two three four')), 'serverError');
    assert.equal(server.requests.length, 1);
  });

  it('does not retry what would fail the same way again', async () => {
    const model = chatModelFor(server, { settings: { maxRetries: 2 }, delays: [] });
    server.injectFault({ kind: 'noModelLoaded' }, { times: Infinity });
    await expectLlmError(model.chat(ask('hi')), 'noModelLoaded');
    server.clearFaults();
    server.injectFault({ kind: 'contextOverflow' }, { times: Infinity });
    await expectLlmError(model.chat(ask('hi')), 'contextOverflow');
    server.clearFaults();
    server.injectFault({ kind: 'loadFailure' }, { times: Infinity });
    await expectLlmError(model.chat(ask('hi')), 'serverError');
    assert.equal(server.requests.length, 3);
  });

  it('a crash before the first token is retried (LM Studio reloads the model)', async () => {
    server.injectFault({ kind: 'modelCrash' });
    const reply = await chatModelFor(server, { settings: { maxRetries: 1 }, delays: [] }).chat(ask('hi'));
    assert.equal(reply.content, 'Echo: hi');
    assert.equal(server.requests.length, 2);
  });

  it('cancelling during the backoff wait ends with cancelled', async () => {
    server.injectFault({ kind: 'httpError', status: 503 }, { times: Infinity });
    const controller = new AbortController();
    const model = chatModelFor(server, { settings: { maxRetries: 2 } });
    const pending = model.chat(ask('hi', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 5);
    await expectLlmError(pending, 'cancelled');
    assert.ok(server.requests.length <= 2);
  });
});

describe('retry policy', () => {
  const error = (reason: LlmError['reason'], status?: number) =>
    new LlmError(reason, 'm', 'h', status === undefined ? {} : { status });

  it('retries only transient failures', () => {
    const retried = [
      error('unreachable'),
      error('rateLimited', 429),
      error('serverError', 500),
      error('serverError', 503),
      error('serverError', 409),
      error('serverError'),
      error('timeout', 408),
    ];
    const final = [
      error('noModelLoaded', 400),
      error('modelNotFound', 400),
      error('contextOverflow'),
      error('authRequired', 401),
      error('badOutput'),
      error('cancelled'),
      error('timeout'),
      error('serverError', 400),
      error('serverError', 200),
    ];
    assert.deepEqual(
      retried.map(isRetryable),
      retried.map(() => true),
    );
    assert.deepEqual(
      final.map(isRetryable),
      final.map(() => false),
    );
  });

  it('backs off exponentially with jitter inside small bounds', () => {
    const at = (random: number) =>
      [1, 2, 3, 4, 5].map((n) => retryDelayMs(error('unreachable'), n, { retries: 5, random: () => random }));
    assert.deepEqual(at(0), [250, 500, 1000, 2000, 2000]);
    assert.deepEqual(at(0.999), [500, 1000, 1999, 3998, 3998]);
  });

  it('does not retry after markFirstToken, and reports a plain error untouched', async () => {
    let attempts = 0;
    await assert.rejects(
      withRetry(
        async (attempt) => {
          attempts++;
          attempt.markFirstToken();
          throw error('unreachable');
        },
        { retries: 3, sleep: async () => {} },
      ),
      (e) => e instanceof LlmError && e.reason === 'unreachable',
    );
    assert.equal(attempts, 1);
    const plain = new RangeError('bug');
    await assert.rejects(
      withRetry(async () => Promise.reject(plain), { retries: 3 }),
      (e) => e === plain,
    );
  });

  it('passes the attempt number and the sleep the signal', async () => {
    const seen: number[] = [];
    const controller = new AbortController();
    let sleptWith: AbortSignal | undefined;
    const result = await withRetry(
      async (attempt) => {
        seen.push(attempt.number);
        if (attempt.number < 3) throw error('unreachable');
        return 'ok';
      },
      {
        retries: 5,
        signal: controller.signal,
        sleep: async (_ms, signal) => {
          sleptWith = signal;
        },
      },
    );
    assert.equal(result, 'ok');
    assert.deepEqual(seen, [1, 2, 3]);
    assert.equal(sleptWith, controller.signal);
  });
});
