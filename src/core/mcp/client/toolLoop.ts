import type { ChatMessage, ChatModel, ChatReply, ChatRequest, ToolCall } from '../../ai/chatModel';
import { silentLogger, type Logger } from '../../logger';
import type { McpHub } from './mcpHub';
import { allowedTools, type ToolPolicy, type ToolTarget } from './toolPolicy';
import { errorMessage } from '../../errorMessage';

export interface ToolCallEvent {
  /** '' when the model named a tool it was not offered. */
  readonly server: string;
  readonly tool: string;
  /** The parsed arguments, or the raw text when it did not parse. */
  readonly arguments: unknown;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

export interface ToolLoopOptions {
  readonly hub: McpHub;
  readonly policy: ToolPolicy;
  /** Model turns that may call tools; default 4. Then one more turn with `toolChoice: 'none'`. */
  readonly maxSteps?: number;
  /** A longer tool result is cut to this many characters; default 8000. */
  readonly maxResultChars?: number;
  /** Overrides each server's timeout for these calls. */
  readonly toolTimeoutMs?: number;
  readonly onToolCall?: (event: ToolCallEvent) => void;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

export interface ToolLoopResult {
  /** The model's last reply: its answer. */
  readonly reply: ChatReply;
  /** The conversation as sent, with the tool turns and the final answer appended. */
  readonly messages: readonly ChatMessage[];
  readonly toolCalls: readonly ToolCallEvent[];
  /** Model calls made. */
  readonly steps: number;
  /** True when the model was still calling tools after `maxSteps` and had to answer without them. */
  readonly hitMaxSteps: boolean;
}

/**
 * Chats with the allowed MCP tools on offer: every tool call the model makes runs through the hub and its
 * result goes back as a `tool` message, until the model answers without calling anything. Bad calls
 * (unknown tool, arguments that are not a JSON object, a failing or hung tool) become error results the
 * model can react to; only the caller's abort and the model's own failures (LlmError) reject.
 */
export async function chatWithTools(
  model: ChatModel,
  request: ChatRequest,
  options: ToolLoopOptions,
): Promise<ToolLoopResult> {
  const { definitions, targets } = allowedTools(options.hub, options.policy);
  const maxSteps = options.maxSteps ?? 4;
  const signal = combineSignals(request.signal, options.signal);
  const messages: ChatMessage[] = [...request.messages];
  const events: ToolCallEvent[] = [];
  const ask = (toolChoice: ChatRequest['toolChoice']) =>
    model.chat({
      ...request,
      messages: [...messages],
      ...(definitions.length > 0 ? { tools: definitions, toolChoice } : { tools: undefined, toolChoice: undefined }),
      ...(signal ? { signal } : {}),
    });
  const result = (reply: ChatReply, steps: number, hitMaxSteps: boolean): ToolLoopResult => ({
    reply,
    messages: [...messages, { role: 'assistant', content: reply.content }],
    toolCalls: events,
    steps,
    hitMaxSteps,
  });

  for (let step = 0; step < maxSteps; step++) {
    // 'required' asks for a first call; demanding one on every turn would never let the model answer.
    const reply = await ask(step === 0 ? (request.toolChoice ?? 'auto') : 'auto');
    if (!reply.toolCalls?.length || definitions.length === 0) return result(reply, step + 1, false);
    messages.push({ role: 'assistant', content: reply.content, toolCalls: reply.toolCalls });
    for (const call of reply.toolCalls) {
      const { content, event } = await runToolCall(call, targets, options, signal);
      messages.push({ role: 'tool', toolCallId: call.id, content });
      events.push(event);
      options.onToolCall?.(event);
    }
  }
  (options.logger ?? silentLogger).warn(
    `The model still called tools after ${maxSteps} steps; asking it to answer without them`,
  );
  return result(await ask('none'), maxSteps + 1, true);
}

async function runToolCall(
  call: ToolCall,
  targets: ReadonlyMap<string, ToolTarget>,
  options: ToolLoopOptions,
  signal: AbortSignal | undefined,
): Promise<{ content: string; event: ToolCallEvent }> {
  const logger = options.logger ?? silentLogger;
  const target = targets.get(call.name);
  const refuse = (server: string, tool: string, args: unknown, error: string) => {
    logger.warn(`Model tool call ${call.name} refused: ${error}`);
    return { content: `Error: ${error}`, event: { server, tool, arguments: args, ok: false, ms: 0, error } };
  };
  if (!target) {
    const offered = [...targets.keys()].join(', ') || 'none';
    return refuse('', call.name, call.arguments, `there is no tool named "${call.name}". Available tools: ${offered}.`);
  }
  const args = parseArguments(call.arguments);
  if (typeof args === 'string') {
    return refuse(
      target.server,
      target.tool,
      call.arguments,
      `the arguments for ${call.name} are not a valid JSON object (${args}). Call it again with a JSON object that matches its parameters.`,
    );
  }
  const outcome = await options.hub.callTool(target.server, target.tool, args, {
    ...(signal ? { signal } : {}),
    ...(options.toolTimeoutMs !== undefined ? { timeoutMs: options.toolTimeoutMs } : {}),
  });
  const error = outcome.ok ? undefined : (outcome.failure?.message ?? 'the tool failed');
  const text = error === undefined ? outcome.text || '(the tool returned no text)' : `Error: ${error}`;
  return {
    content: truncate(text, options.maxResultChars ?? 8000),
    event: {
      server: target.server,
      tool: target.tool,
      arguments: args,
      ok: outcome.ok,
      ms: outcome.ms,
      ...(error !== undefined ? { error } : {}),
    },
  };
}

/** The arguments as an object, or why they are not one. Empty text means no arguments. */
function parseArguments(text: string): Record<string, unknown> | string {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return errorMessage(error);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `got ${Array.isArray(value) ? 'an array' : typeof value}`;
  return value as Record<string, unknown>;
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}\n[truncated: ${text.length - max} more characters]`;
}

function combineSignals(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  if (!a || !b) return a ?? b;
  return AbortSignal.any([a, b]);
}
