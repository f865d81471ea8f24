import * as assert from 'node:assert/strict';
import { z } from 'zod';
import type { ChatModel } from '../../../src/core/ai/chatModel';
import { isLlmError } from '../../../src/core/ai/llmError';
import { extractJsonObject, requestStructured, toModelJsonSchema } from '../../../src/core/ai/structuredOutput';
import type { LmStudioStandIn } from '../../lmstudio/standIn';
import { standInReplies } from '../../lmstudio/standInReplies';
import { LinesLogger, startModel } from './review/standInModel';

const verdictSchema = z.object({
  verdict: z.enum(['ok', 'bad']).describe('Whether the text is fine'),
  count: z.number().int().min(0).describe('How many problems'),
  note: z.string().nullish(),
});

describe('extractJsonObject', () => {
  it('reads plain JSON, and JSON wrapped the ways local models wrap it', () => {
    const value = { a: 1, b: 'x}{"' };
    const json = JSON.stringify(value);
    for (const content of [
      json,
      `  ${json}\n`,
      `\`\`\`json\n${json}\n\`\`\``,
      `Here is the review:\n\`\`\`\n${json}\n\`\`\`\nHope this helps!`,
      `Sure! ${json} Let me know.`,
      `<think>Maybe {"a": 2}? No.</think>\n${json}`,
      `reasoning without an opening tag</think>${json}`,
      `{"not": "closed" ${json}`,
    ]) {
      assert.deepEqual(extractJsonObject(content), { ok: true, value }, content);
    }
  });

  it('says why nothing could be read', () => {
    assert.deepEqual(extractJsonObject('  '), { ok: false, error: 'the answer is empty' });
    const cut = extractJsonObject(standInReplies.invalidJson);
    assert.equal(cut.ok, false);
    assert.match(cut.ok ? '' : cut.error, /^the answer is not valid JSON \(/);
  });
});

describe('toModelJsonSchema', () => {
  it('gives LM Studio a plain object schema with the descriptions and without $schema or safe-integer bounds', () => {
    const schema = toModelJsonSchema(verdictSchema);
    assert.equal(schema.$schema, undefined);
    assert.equal(schema.type, 'object');
    assert.deepEqual(schema.required, ['verdict', 'count']);
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    assert.deepEqual(properties.verdict, {
      type: 'string',
      enum: ['ok', 'bad'],
      description: 'Whether the text is fine',
    });
    assert.deepEqual(properties.count, { type: 'integer', minimum: 0, description: 'How many problems' });
    assert.doesNotMatch(JSON.stringify(schema), /9007199254740991/);
    // Outlines (LM Studio's MLX engine) rejects `type: ["string", "null"]`.
    assert.deepEqual(properties.note, { anyOf: [{ type: 'string' }, { type: 'null' }] });
    assert.doesNotMatch(
      JSON.stringify(toModelJsonSchema(z.object({ a: z.string().min(2).nullable().describe('d') }))),
      /"type":\[/,
    );
    assert.deepEqual(
      (
        toModelJsonSchema(z.object({ a: z.string().min(2).nullable().describe('d') })).properties as Record<
          string,
          unknown
        >
      ).a,
      {
        description: 'd',
        anyOf: [{ type: 'string', minLength: 2 }, { type: 'null' }],
      },
    );
  });
});

describe('requestStructured over the LM Studio stand-in', () => {
  let server: LmStudioStandIn;
  let model: ChatModel;
  const logger = new LinesLogger();

  beforeEach(async () => {
    ({ server, model } = await startModel({}, logger));
    logger.lines.length = 0;
  });
  afterEach(async () => server.close());

  const ask = () =>
    requestStructured(
      model,
      {
        messages: [
          { role: 'system', content: 'Judge.' },
          { role: 'user', content: 'Text.' },
        ],
      },
      verdictSchema,
      'verdict',
      { logger },
    );

  it('sends the schema as json_schema and in the system message, and returns the validated value', async () => {
    server.enqueueReply('{"verdict":"ok","count":0,"note":null}');
    const result = await ask();
    assert.deepEqual(result.value, { verdict: 'ok', count: 0, note: null });
    assert.equal(result.repaired, false);
    const request = server.requests[0];
    assert.equal(request?.response_format?.type, 'json_schema');
    assert.equal(request?.response_format?.json_schema?.name, 'verdict');
    assert.deepEqual(request?.response_format?.json_schema?.schema, toModelJsonSchema(verdictSchema));
    assert.match(
      request?.messages[0]?.content ?? '',
      /^Judge\.\n\nAnswer with exactly one JSON object[\s\S]*"description":"How many problems"/,
    );
  });

  it('reads the JSON after a <think> preamble, whole or split across chunks', async () => {
    server.enqueueReply(standInReplies.withThink('The user wants {a verdict}.', '{"verdict":"bad","count":2}'));
    assert.deepEqual((await ask()).value, { verdict: 'bad', count: 2 });
    server.enqueueReply(
      standInReplies.withSplitThink('Thinking hard about it', '```json\n{"verdict":"ok","count":0}\n```'),
    );
    assert.deepEqual((await ask()).value, { verdict: 'ok', count: 0 });
  });

  it('repairs invalid JSON in one more round, quoting the error back', async () => {
    server.enqueueReply(standInReplies.invalidJson, '{"verdict":"ok","count":1}');
    const result = await ask();
    assert.deepEqual(result.value, { verdict: 'ok', count: 1 });
    assert.equal(result.repaired, true);
    assert.equal(server.requests.length, 2);
    const repair = server.requests[1]!.messages;
    assert.deepEqual(
      repair.slice(-2).map((message) => message.role),
      ['assistant', 'user'],
    );
    assert.equal(repair[repair.length - 2]?.content, standInReplies.invalidJson);
    assert.match(
      repair[repair.length - 1]?.content ?? '',
      /^Your answer could not be used: the answer is not valid JSON/,
    );
    assert.ok(logger.lines.some((line) => line.startsWith("warn The model's verdict answer was not valid")));
  });

  it('fails with badOutput when the answer breaks the schema twice', async () => {
    server.enqueueReply(standInReplies.schemaViolating, '{"verdict":"maybe","count":-1}');
    await assert.rejects(ask(), (error: unknown) => {
      assert.ok(isLlmError(error));
      assert.equal(error.reason, 'badOutput');
      assert.match(
        error.message,
        /did not match the expected verdict format, even after one repair round: the JSON does not match the schema: verdict: .*; count: /,
      );
      assert.match(error.hint, /Try again/);
      return true;
    });
    assert.equal(server.requests.length, 2);
    assert.match(server.requests[1]!.messages.at(-1)?.content ?? '', /verdict: Invalid option/);
    assert.ok(logger.lines.some((line) => line.startsWith('error ') && line.includes('"maybe"')));
  });
});
