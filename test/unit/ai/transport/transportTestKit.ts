import * as assert from 'node:assert/strict';
import type { Logger } from '../../../../src/core/logger';
import { isLlmError, type LlmError, type LlmErrorReason } from '../../../../src/core/ai/llmError';
import type { ChatModel, ChatRequest } from '../../../../src/core/ai/chatModel';
import { createLmStudioChatModel } from '../../../../src/core/ai/transport/lmStudio';
import { normalizeLmStudioSettings, type LmStudioSettings } from '../../../../src/core/ai/transport/lmStudioSettings';
import type { LmStudioStandIn } from '../../../lmstudio/standIn';

import { RecordingLogger } from '../../../harness/recordingLogger';

export { RecordingLogger };

/** Settings pointing at the stand-in with test-sized timeouts and no retries unless asked. */
export function settingsFor(server: LmStudioStandIn, overrides: Partial<LmStudioSettings> = {}): LmStudioSettings {
  return normalizeLmStudioSettings({
    baseUrl: server.baseUrl,
    firstTokenTimeoutMs: 3000,
    idleTimeoutMs: 3000,
    maxRetries: 0,
    ...overrides,
  });
}

/** Retries without real waiting: the delays are recorded instead of slept. */
export function instantRetry(delays: number[] = []) {
  return {
    sleep: async (ms: number) => {
      delays.push(ms);
    },
    random: () => 0.5,
  };
}

export interface ChatModelSetup {
  readonly settings?: Partial<LmStudioSettings>;
  readonly logger?: Logger;
  readonly model?: string;
  /** Absent: 32768, the stand-in's default; `undefined`: unknown, as after the `/v1/models` fallback. */
  readonly contextLength?: number | undefined;
  /** Records retry delays instead of sleeping them; without it the real timer runs, with small delays. */
  readonly delays?: number[];
}

/** The retrying ChatModel the product uses, pointed at the stand-in, waiting no real time between retries. */
export function chatModelFor(server: LmStudioStandIn, setup: ChatModelSetup = {}): ChatModel {
  const contextLength = 'contextLength' in setup ? setup.contextLength : 32768;
  return createLmStudioChatModel(
    settingsFor(server, setup.settings),
    { id: setup.model ?? 'qwen2.5-7b-instruct', contextLength },
    {
      logger: setup.logger ?? new RecordingLogger(),
      retry: setup.delays ? instantRetry(setup.delays) : { baseDelayMs: 10, maxDelayMs: 40 },
      progressIntervalMs: 40,
    },
  );
}

export function ask(text: string, extra: Partial<ChatRequest> = {}): ChatRequest {
  return { messages: [{ role: 'user', content: text }], ...extra };
}

/** Runs `promise`, expecting an LlmError with `reason`, and returns it for further checks. */
export async function expectLlmError(promise: Promise<unknown>, reason: LlmErrorReason): Promise<LlmError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isLlmError(error), `expected an LlmError, got ${String(error)}`);
    assert.equal(error.reason, reason, `reason of: ${error.message} (${error.details.serverMessage ?? ''})`);
    assert.ok(error.message.length > 0 && !error.message.includes('\n'), 'one-line message');
    return error;
  }
  assert.fail(`expected an LlmError with reason ${reason}, but the call succeeded`);
}
