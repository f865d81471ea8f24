import * as assert from 'node:assert/strict';
import { LmStudioStandIn } from '../../../lmstudio/standIn';

/** The stand-in's own protocol, checked over plain HTTP so other tests can trust it. */
describe('LM Studio stand-in', () => {
  let server: LmStudioStandIn;
  beforeEach(async () => {
    server = await LmStudioStandIn.start({
      models: [
        { id: 'qwen3-8b', loaded: true, contextLength: 40960 },
        { id: 'mistral-7b', loaded: false, contextLength: 8192 },
      ],
    });
  });
  afterEach(async () => {
    await server.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });

  it('answers unknown routes with HTTP 200 and an error body, as LM Studio does', async () => {
    const response = await fetch(server.baseUrl.replace(/\/v1$/, '/chat/completions'), { method: 'POST', body: '{}' });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { error: 'Unexpected endpoint or method. (POST /chat/completions)' });
  });

  it('lists loaded models on /v1/models, and every model with just-in-time loading on', async () => {
    const ids = async () =>
      ((await (await fetch(`${server.baseUrl}/models`)).json()) as { data: { id: string }[] }).data.map((m) => m.id);
    assert.deepEqual(await ids(), ['qwen3-8b']);
    server.justInTime = true;
    assert.deepEqual(await ids(), ['qwen3-8b', 'mistral-7b']);
  });

  it('rejects response_format json_object with 400', async () => {
    const response = await post('/chat/completions', {
      messages: [{ role: 'user', content: 'x' }],
      response_format: { type: 'json_object' },
    });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: "'response_format.type' must be 'json_schema' or 'text'" });
  });

  it('answers without streaming, with separate reasoning_content', async () => {
    server.enqueueReply({ content: 'Yes.', reasoning: 'Short question.' });
    const response = await post('/chat/completions', {
      model: 'qwen3-8b',
      messages: [{ role: 'user', content: 'ok?' }],
    });
    const body = (await response.json()) as { choices: { message: Record<string, string> }[] };
    assert.deepEqual(body.choices[0]?.message, {
      role: 'assistant',
      content: 'Yes.',
      reasoning_content: 'Short question.',
    });
  });

  it('uses the reply handler when nothing is queued, and records each request', async () => {
    server.setReplyHandler((request) => `model was ${request.model}`);
    const response = await post('/chat/completions', { model: 'qwen3-8b', messages: [{ role: 'user', content: 'x' }] });
    const body = (await response.json()) as { choices: { message: { content: string } }[] };
    assert.equal(body.choices[0]?.message.content, 'model was qwen3-8b');
    assert.equal(server.requests[0]?.model, 'qwen3-8b');
  });

  it('ends an SSE context overflow with event: error', async () => {
    server.injectFault({ kind: 'contextOverflow', promptTokens: 31430, contextLength: 30000 });
    const response = await post('/chat/completions', { stream: true, messages: [{ role: 'user', content: 'x' }] });
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    assert.match(
      await response.text(),
      /^event: error\ndata: \{"error":\{"message":"Input does not fit in context length\. The input has 31430 tokens/,
    );
  });
});
