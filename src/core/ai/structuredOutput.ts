import { z } from 'zod';
import type { ChatMessage, ChatModel, ChatReply, ChatRequest } from './chatModel';
import { LlmError } from './llmError';
import type { Logger } from '../logger';
import { errorMessage } from '../errorMessage';

export interface StructuredResult<T> {
  readonly value: T;
  /** The reply the value was read from (the repaired one when a repair round ran). */
  readonly reply: ChatReply;
  readonly repaired: boolean;
}

/**
 * Asks for a JSON answer shaped by `schema` and returns it validated. The schema goes to the server as
 * `response_format: json_schema` (LM Studio constrains generation with it) and, as text, into the system
 * message, because the grammar alone never shows the model the fields' descriptions. Grammars do not enforce
 * everything (numeric bounds, and some engines ignore the schema), so the answer is still parsed leniently
 * and validated; one failure earns one repair round with the error quoted back, a second is `badOutput`.
 */
export async function requestStructured<T>(
  model: ChatModel,
  request: Omit<ChatRequest, 'jsonSchema'>,
  schema: z.ZodType<T>,
  name: string,
  options: { logger?: Logger } = {},
): Promise<StructuredResult<T>> {
  const jsonSchema = { name, schema: toModelJsonSchema(schema) };
  const messages = withSchemaInstruction(request.messages, schemaPrompt(schema));
  const first = await model.chat({ ...request, messages, jsonSchema });
  const firstTry = readStructured(first.content, schema);
  if (firstTry.ok) return { value: firstTry.value, reply: first, repaired: false };

  options.logger?.warn(`The model's ${name} answer was not valid (${firstTry.error}); asking it once to repair it.`);
  const repairMessages: ChatMessage[] = [
    ...messages,
    { role: 'assistant', content: first.content },
    { role: 'user', content: repairInstruction(firstTry.error, first.finishReason) },
  ];
  const second = await model.chat({ ...request, messages: repairMessages, jsonSchema });
  const secondTry = readStructured(second.content, schema);
  if (secondTry.ok) return { value: secondTry.value, reply: second, repaired: true };

  options.logger?.error(
    `The model's repaired ${name} answer is still not valid: ${secondTry.error}\n--- answer ---\n${second.content.slice(0, 4000)}`,
  );
  const cutOff = second.finishReason === 'length';
  throw new LlmError(
    'badOutput',
    `The model's answer did not match the expected ${name} format, even after one repair round: ${secondTry.error}`,
    cutOff
      ? 'The answer was cut off at the output limit. Try a model with a larger context, or a smaller request.'
      : 'Try again, or use a larger or instruction-tuned model; small models often break JSON formats.',
    {},
    { cause: new Error(`${secondTry.error}\n--- answer ---\n${second.content}`) },
  );
}

/**
 * The JSON Schema sent as `json_schema`, in the subset every LM Studio engine accepts: zod's output without
 * the `$schema` key, without the safe-integer bounds zod adds to every `.int()` (they only make llama.cpp's
 * grammar converter emit digit-count rules), and with `type: [..., "null"]` written as `anyOf`, because the
 * MLX engine's Outlines rejects a type array ("'type' must be a string", lmstudio-bug-tracker#909).
 */
export function toModelJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const generated = z.toJSONSchema(schema) as Record<string, unknown>;
  delete generated.$schema;
  return simplify(generated) as Record<string, unknown>;
}

function simplify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(simplify);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (
      (key === 'maximum' && value === Number.MAX_SAFE_INTEGER) ||
      (key === 'minimum' && value === Number.MIN_SAFE_INTEGER)
    )
      continue;
    out[key] = simplify(value);
  }
  if (!Array.isArray(out.type)) return out;
  const { type, description, ...constraints } = out;
  const types = type as unknown[];
  return {
    ...(description !== undefined ? { description } : {}),
    anyOf: types.map((single) => (single === 'null' ? { type: 'null' } : { type: single, ...constraints })),
  };
}

/** The schema as the model reads it; callers that pack prompts count its tokens. */
export function schemaPrompt(schema: z.ZodType): string {
  return (
    'Answer with exactly one JSON object and nothing else: no prose before or after it, no code fence. ' +
    `It must match this JSON Schema (the "description" fields say what each field means):\n${JSON.stringify(toModelJsonSchema(schema))}`
  );
}

function withSchemaInstruction(messages: readonly ChatMessage[], instruction: string): ChatMessage[] {
  const systemIndex = messages.findIndex((message) => message.role === 'system');
  if (systemIndex < 0) return [{ role: 'system', content: instruction }, ...messages];
  return messages.map((message, index) =>
    index === systemIndex ? { ...message, content: `${message.content}\n\n${instruction}` } : message,
  );
}

function repairInstruction(error: string, finishReason: string | undefined): string {
  const cutOff = finishReason === 'length' ? ' Your answer was cut off before it ended; keep it shorter.' : '';
  return `Your answer could not be used: ${error}.${cutOff} Reply again with only the corrected JSON object that matches the schema.`;
}

export type ReadResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Finds the JSON object in a reply and validates it; the error is short enough to quote back to the model. */
export function readStructured<T>(content: string, schema: z.ZodType<T>): ReadResult<T> {
  const json = extractJsonObject(content);
  if (!json.ok) return json;
  const parsed = schema.safeParse(json.value);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, error: `the JSON does not match the schema: ${describeIssues(parsed.error.issues)}` };
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues
    .slice(0, 8)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  return shown.join('; ') + (issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '');
}

const THINK_BLOCK = /<think>[\s\S]*?<\/think>/gi;
const FENCE = /```(?:json|JSON)?[ \t]*\r?\n([\s\S]*?)\r?\n?```/g;

/**
 * The one JSON value a local model meant to send, tolerating what they wrap it in: a `<think>` block the
 * transport did not strip, a ```json fence, or a sentence before or after the object.
 */
export function extractJsonObject(content: string): ReadResult<unknown> {
  const text = content
    .replace(THINK_BLOCK, '')
    .replace(/^[\s\S]*<\/think>/i, '')
    .trim();
  if (text === '') return { ok: false, error: 'the answer is empty' };
  const whole = tryParse(text);
  if (whole.ok) return whole;
  for (const match of text.matchAll(FENCE)) {
    const fenced = tryParse((match[1] ?? '').trim());
    if (fenced.ok) return fenced;
  }
  for (
    let start = text.indexOf('{'), tries = 0;
    start >= 0 && tries < 20;
    start = text.indexOf('{', start + 1), tries++
  ) {
    const end = matchingBrace(text, start);
    if (end < 0) continue;
    const candidate = tryParse(text.slice(start, end + 1));
    if (candidate.ok) return candidate;
  }
  return { ok: false, error: `the answer is not valid JSON (${whole.error})` };
}

function tryParse(text: string): ReadResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: errorMessage(error) };
  }
}

/** The index of the `}` closing the object opened at `start`, skipping braces inside strings; -1 if unclosed. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return index;
  }
  return -1;
}
