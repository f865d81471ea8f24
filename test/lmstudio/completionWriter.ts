import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where the stream stops early, to reproduce crashes, pauses and errors in the middle of a reply. */
export interface StreamInterruption {
  readonly afterChunks: number;
  readonly then: 'destroy' | 'pause' | 'sseError';
  /** For 'pause': how long; undefined waits until the client goes away. */
  readonly pauseMs?: number;
  readonly errorMessage?: string;
}

export interface CompletionPlan {
  readonly model: string;
  readonly reasoningChunks: readonly string[];
  readonly reasoningField: 'reasoning_content' | 'reasoning';
  readonly contentChunks: readonly string[];
  /** Streamed after the content; each is one call with its arguments as JSON text. */
  readonly toolCalls: readonly PlannedToolCall[];
  readonly finishReason: string;
  readonly promptTokens: number;
  readonly includeUsage: boolean;
  readonly chunkDelayMs: number;
  readonly interruption?: StreamInterruption;
}

export interface PlannedToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
}

let completionCounter = 0;

/** Tool calls as LM Studio streams them: id, type and name with empty arguments, then argument slices. */
function toolCallDeltas(calls: readonly PlannedToolCall[]): Array<Record<string, unknown>> {
  return calls.flatMap((call, index) => [
    { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] },
    ...sliceArguments(call.arguments).map((piece) => ({ tool_calls: [{ index, function: { arguments: piece } }] })),
  ]);
}

/** Pieces of about 8 characters, so a client must join them to parse anything. */
function sliceArguments(text: string): string[] {
  return text.match(/[\s\S]{1,8}/g) ?? [];
}

function chunkEnvelope(plan: CompletionPlan, id: string) {
  return {
    id,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: plan.model,
    system_fingerprint: plan.model,
  };
}

export function writeSseHeaders(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
}

export function writeSseError(res: ServerResponse, message: string): void {
  res.write(`event: error\ndata: ${JSON.stringify({ error: { message } })}\n\n`);
}

/** Streams the reply as LM Studio does: one delta per token-ish chunk, a finish chunk, usage, `[DONE]`. */
export async function streamCompletion(res: ServerResponse, plan: CompletionPlan): Promise<void> {
  const id = `chatcmpl-${++completionCounter}`;
  const deltas = [
    ...plan.reasoningChunks.map((text) => ({ [plan.reasoningField]: text })),
    ...plan.contentChunks.map((text) => ({ content: text })),
    ...toolCallDeltas(plan.toolCalls),
  ];
  writeSseHeaders(res);
  let sent = 0;
  let interrupted = false;
  for (const delta of deltas) {
    if (res.destroyed) return;
    if (plan.interruption && sent === plan.interruption.afterChunks) {
      interrupted = true;
      await interrupt(res, plan.interruption);
      if (plan.interruption.then !== 'pause') return;
    }
    const choice = { index: 0, delta: { role: 'assistant', ...delta }, logprobs: null, finish_reason: null };
    res.write(`data: ${JSON.stringify({ ...chunkEnvelope(plan, id), choices: [choice] })}\n\n`);
    sent++;
    if (plan.chunkDelayMs > 0) await sleep(plan.chunkDelayMs);
  }
  if (res.destroyed) return;
  if (plan.interruption && !interrupted) {
    await interrupt(res, plan.interruption);
    if (plan.interruption.then !== 'pause' || res.destroyed) return;
  }
  const finish = { index: 0, delta: {}, logprobs: null, finish_reason: plan.finishReason };
  res.write(`data: ${JSON.stringify({ ...chunkEnvelope(plan, id), choices: [finish] })}\n\n`);
  if (plan.includeUsage) {
    const usage = usageFor(plan.promptTokens, deltas.length);
    res.write(`data: ${JSON.stringify({ ...chunkEnvelope(plan, id), choices: [], usage })}\n\n`);
  }
  res.end('data: [DONE]\n\n');
}

async function interrupt(res: ServerResponse, interruption: StreamInterruption): Promise<void> {
  if (interruption.then === 'destroy') {
    res.socket?.destroy();
  } else if (interruption.then === 'sseError') {
    writeSseError(res, interruption.errorMessage ?? 'Unknown error');
    res.end();
  } else {
    await waitOrClientGone(res, interruption.pauseMs);
  }
}

/** Resolves after `ms`, or when the client closes the connection (always, when `ms` is undefined). */
export function waitOrClientGone(res: ServerResponse, ms: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = ms === undefined ? undefined : setTimeout(done, ms);
    function done() {
      if (timer) clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
    res.on('close', done);
  });
}

export function usageFor(promptTokens: number, completionTokens: number) {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

/** The non-streamed `chat.completion` object. */
export function completionBody(plan: CompletionPlan) {
  const reasoning = plan.reasoningChunks.join('');
  const message: Record<string, unknown> = { role: 'assistant', content: plan.contentChunks.join('') };
  if (reasoning) message[plan.reasoningField] = reasoning;
  if (plan.toolCalls.length > 0) {
    message.tool_calls = plan.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  return {
    id: `chatcmpl-${++completionCounter}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: plan.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: plan.finishReason }],
    usage: usageFor(plan.promptTokens, plan.reasoningChunks.length + plan.contentChunks.length),
    system_fingerprint: plan.model,
  };
}
