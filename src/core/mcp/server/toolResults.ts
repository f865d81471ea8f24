import { ErrorCode, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { rememberedFor } from '../../weakMemo';

/** Largest text a single field of a tool answer carries; agents pay for every byte in their context. */
export const MAX_TEXT_BYTES = 200 * 1024;

/**
 * Largest answer: the structured value serialized as JSON, and apart from it the text block (the same JSON, or a
 * tool's own words). One JSON-RPC message stays well under 1 MiB, which every client reads in one piece; an
 * answer of several MB made the official client drop the connection.
 */
export const ANSWER_LIMIT_BYTES = 256 * 1024;

/** A refusal the agent can act on (a bad id, a path outside openspec/, writing not allowed). */
export class ToolRefusal extends Error {
  override readonly name = 'ToolRefusal';
  /** A prompt or resource that refuses answers with this JSON-RPC code (invalid params), not as an internal error. */
  readonly code = ErrorCode.InvalidParams;
}

/**
 * Cuts `text` to at most `limit` UTF-8 bytes on a character boundary and says so at the end, so an agent never
 * mistakes a shortened file for the whole one.
 */
export function boundText(text: string, limit = MAX_TEXT_BYTES): string {
  const size = Buffer.byteLength(text, 'utf8');
  if (size <= limit) return text;
  let cut = Buffer.from(text, 'utf8').subarray(0, limit).toString('utf8');
  // A multi-byte character split by the cut decodes to U+FFFD: drop it.
  if (cut.endsWith('\uFFFD')) cut = cut.slice(0, -1);
  return `${cut}\n\n[truncated: ${Buffer.byteLength(cut, 'utf8')} of ${size} bytes shown]`;
}

/** Bytes of `value` as compact JSON: what it costs in an answer. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(jsonOf(value), 'utf8');
}

/**
 * An answer's objects as compact JSON, made once for each: fitting a listing, checking the answer's size and
 * sending it as text all measure the same text, which for a listing of hundreds of changes is most of a call.
 * Answers are built fresh and never changed afterwards, so an object's text stays what it was.
 */
const serialized = new WeakMap<object, string>();

function jsonOf(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? '';
  return rememberedFor(serialized, value, (object) => JSON.stringify(object));
}

/**
 * How many of `items`, from the first, fit in `room` bytes as elements of a JSON array (commas included).
 * `extra(count)` is what showing only `count` of the `total` (all of `items` unless more exist) costs besides:
 * a note saying what was left out.
 */
export function countFitting(
  items: readonly unknown[],
  room: number,
  extra: (count: number) => number = () => 0,
  total = items.length,
): number {
  let used = 0;
  let count = 0;
  for (const item of items) {
    const next = used + jsonBytes(item) + (count > 0 ? 1 : 0);
    const note = count + 1 < total ? extra(count + 1) : 0;
    if (next + note > room) break;
    used = next;
    count++;
  }
  return count;
}

/** How a listing that did not fit in one answer says so; absent when it did. */
export const truncatedSchema = z
  .object({
    shown: z.number().int().describe('Items in this answer'),
    total: z.number().int().describe('Items there are'),
    message: z.string().describe('What was left out and how to ask for fewer'),
  })
  .optional()
  .describe(`Present when the listing did not fit in one answer (${ANSWER_LIMIT_BYTES / 1024} KiB)`);

/**
 * A listing within one answer: `rest` with as many of `items` under `key` as fit, in their order; when not all
 * fit, `truncated` says how many were left out and, in `narrow`, how to ask for fewer.
 */
export function fitListing(
  rest: Record<string, unknown>,
  key: string,
  items: readonly unknown[],
  narrow: string,
): Record<string, unknown> {
  const truncated = (shown: number) => ({
    shown,
    total: items.length,
    message: `truncated: ${shown} of ${items.length} ${key} shown, ${items.length - shown} left out; ${narrow}`,
  });
  const whole = { [key]: items, ...rest };
  const slack = 32;
  // Most listings fit whole: one measure of the whole answer, which sending it reuses.
  if (jsonBytes(whole) <= ANSWER_LIMIT_BYTES - slack) return whole;
  const room = ANSWER_LIMIT_BYTES - jsonBytes({ ...rest, [key]: [] }) - slack;
  const shown = countFitting(items, room, (count) => jsonBytes(truncated(count)));
  if (shown === items.length) return whole;
  return { [key]: items.slice(0, shown), ...rest, truncated: truncated(shown) };
}

/**
 * A successful answer: the structured value, and the same as compact JSON text for clients that read text only
 * (or `text`, a tool's own words), each within `ANSWER_LIMIT_BYTES`. Tools page what they return so that it
 * fits; a value still over the limit has its longest strings cut (and marked as cut), and one that cannot be
 * cut to fit is refused, so no answer is ever larger.
 */
export function structuredResult(value: Record<string, unknown>, text?: string): CallToolResult {
  const fitted = fitValue(value);
  return {
    content: [{ type: 'text', text: text === undefined ? jsonOf(fitted) : boundText(text, ANSWER_LIMIT_BYTES) }],
    structuredContent: fitted,
  };
}

export function textResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text: boundText(text, ANSWER_LIMIT_BYTES) }] };
}

export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: boundText(message, ANSWER_LIMIT_BYTES) }], isError: true };
}

/** Strings shorter than this are never cut: past it, what is over the limit is the number of items. */
const SHORTEST_CUT = 1024;

function fitValue(value: Record<string, unknown>): Record<string, unknown> {
  let size = jsonBytes(value);
  let fitted = value;
  while (size > ANSWER_LIMIT_BYTES) {
    const longest = longestString(fitted);
    if (longest === undefined || longest.bytes <= SHORTEST_CUT) {
      throw new ToolRefusal(
        `The answer would be ${size} bytes, over the ${ANSWER_LIMIT_BYTES}-byte limit of an answer; ask for less (name fewer items, or pass folder).`,
      );
    }
    const keep = Math.max(SHORTEST_CUT, longest.bytes - (size - ANSWER_LIMIT_BYTES) - 256);
    fitted = replaceAt(fitted, longest.path, boundText(longest.text, keep)) as Record<string, unknown>;
    size = jsonBytes(fitted);
  }
  return fitted;
}

type Path = ReadonlyArray<string | number>;

function longestString(value: unknown): { path: Path; text: string; bytes: number } | undefined {
  let best: { path: Path; text: string; bytes: number } | undefined;
  const visit = (node: unknown, path: Path): void => {
    if (typeof node === 'string') {
      if (best === undefined || node.length > best.text.length) best = { path, text: node, bytes: 0 };
    } else if (Array.isArray(node)) {
      node.forEach((child, index) => visit(child, [...path, index]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) visit(child, [...path, key]);
    }
  };
  visit(value, []);
  return best && { ...best, bytes: Buffer.byteLength(best.text, 'utf8') };
}

/** A copy of `value` with the string at `path` replaced; nothing the tool built is changed. */
function replaceAt(value: unknown, path: Path, text: string): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return text;
  if (Array.isArray(value))
    return (value as unknown[]).map((child, index) => (index === head ? replaceAt(child, rest, text) : child));
  const record = value as Record<string, unknown>;
  return { ...record, [head]: replaceAt(record[head], rest, text) };
}
