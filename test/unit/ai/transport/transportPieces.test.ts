import * as assert from 'node:assert/strict';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import {
  loadCommandFor,
  parseContextOverflow,
  suggestedContextLength,
} from '../../../../src/core/ai/transport/contextOverflow';
import { toLlmError } from '../../../../src/core/ai/transport/errorClassification';
import { normalizeBaseUrl, normalizeLmStudioSettings } from '../../../../src/core/ai/transport/lmStudioSettings';
import { splitThinking, ThinkFilter } from '../../../../src/core/ai/transport/thinkFilter';

describe('LM Studio settings', () => {
  it('normalises the base URL', () => {
    assert.equal(normalizeBaseUrl('http://127.0.0.1:1234/v1/'), 'http://127.0.0.1:1234/v1');
    assert.equal(normalizeBaseUrl('http://localhost:1234'), 'http://127.0.0.1:1234/v1');
    assert.equal(normalizeBaseUrl('127.0.0.1:1234'), 'http://127.0.0.1:1234/v1');
    assert.equal(normalizeBaseUrl('https://gpu-box.lan/lmstudio/v1//'), 'https://gpu-box.lan/lmstudio/v1');
    assert.equal(normalizeBaseUrl('  '), 'http://127.0.0.1:1234/v1');
  });

  it('fills defaults and repairs nonsense numbers', () => {
    assert.deepEqual(normalizeLmStudioSettings({ model: ' qwen ', apiKey: ' ', maxRetries: 99, idleTimeoutMs: -1 }), {
      baseUrl: 'http://127.0.0.1:1234/v1',
      model: 'qwen',
      firstTokenTimeoutMs: 240_000,
      idleTimeoutMs: 60_000,
      maxRetries: 5,
    });
  });
});

describe('context overflow', () => {
  it('reads the sizes from each LM Studio wording', () => {
    assert.deepEqual(
      parseContextOverflow(
        'Input does not fit in context length. The input has 31430 tokens, but the context length only supports 30000 tokens.',
      ),
      { promptTokens: 31430, contextLength: 30000 },
    );
    assert.deepEqual(parseContextOverflow('the model is loaded with context length of only 4096 tokens, which'), {
      contextLength: 4096,
    });
    assert.deepEqual(parseContextOverflow('Reached context length of 8192 tokens with model'), { contextLength: 8192 });
    assert.equal(parseContextOverflow('No models loaded.'), undefined);
  });

  it('suggests a round context size with headroom', () => {
    assert.equal(suggestedContextLength(1000), 4096);
    assert.equal(suggestedContextLength(3500), 8192);
    assert.equal(suggestedContextLength(33478), 40960);
    assert.equal(loadCommandFor('qwen/qwen3-8b', 9000), 'lms load qwen/qwen3-8b --context-length 12288');
    assert.equal(loadCommandFor('my model', 100), 'lms load "my model" --context-length 4096');
  });
});

describe('think filter', () => {
  const reply = '<think>Plan: check scenarios.</think>\n\n{"ok":true}';

  it('gives the same split wherever the stream cuts the text', () => {
    for (let cut = 0; cut <= reply.length; cut++) {
      for (let second = cut; second <= reply.length; second += 3) {
        const filter = new ThinkFilter();
        filter.push(reply.slice(0, cut));
        filter.push(reply.slice(cut, second));
        filter.push(reply.slice(second));
        assert.deepEqual(
          filter.end(),
          { content: '{"ok":true}', reasoning: 'Plan: check scenarios.' },
          `cuts ${cut}/${second}`,
        );
      }
    }
  });

  it('treats text before an unmatched </think> as reasoning (opening tag in the template)', () => {
    assert.deepEqual(splitThinking('Hmm, the user wants JSON.</think>{"a":1}'), {
      content: '{"a":1}',
      reasoning: 'Hmm, the user wants JSON.',
    });
  });

  it('keeps an unclosed think block as reasoning and leaves plain text and lone "<" alone', () => {
    assert.deepEqual(splitThinking('<think>never ends'), { content: '', reasoning: 'never ends' });
    assert.deepEqual(splitThinking('a < b and <thin ice>'), { content: 'a < b and <thin ice>', reasoning: '' });
  });
});

describe('error classification', () => {
  const context = { baseUrl: 'http://127.0.0.1:1234/v1', model: 'qwen3-8b' };

  it('tests the openai connection classes before the status', () => {
    assert.equal(toLlmError(new APIUserAbortError(), context).reason, 'cancelled');
    assert.equal(toLlmError(new APIConnectionTimeoutError(), context).reason, 'timeout');
    assert.equal(toLlmError(new APIConnectionError({ message: 'Connection error.' }), context).reason, 'unreachable');
  });

  it('reads LM Studio messages arriving without a status (SSE error events)', () => {
    const sse = (message: string) => toLlmError(new APIError(undefined, { message }, undefined, undefined), context);
    assert.equal(sse('Reached context length of 4096 tokens with model').reason, 'contextOverflow');
    assert.equal(sse('The model has crashed without additional information. (Exit code: 1)').reason, 'serverError');
    assert.equal(
      sse("No models loaded. Please load a model in the developer page or use the 'lms load' command.").reason,
      'noModelLoaded',
    );
  });

  it('maps an undici headers timeout to timeout and anything unknown to serverError', () => {
    const headersTimeout = new TypeError('fetch failed', {
      cause: Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }),
    });
    assert.equal(toLlmError(headersTimeout, context).reason, 'timeout');
    const other = toLlmError(new Error('weird'), context);
    assert.deepEqual([other.reason, other.details.serverMessage], ['serverError', 'weird']);
  });
});
