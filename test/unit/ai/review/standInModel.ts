import type { ChatModel } from '../../../../src/core/ai/chatModel';
import { connectLmStudio } from '../../../../src/core/ai/transport/lmStudio';
import { normalizeLmStudioSettings } from '../../../../src/core/ai/transport/lmStudioSettings';
import { silentLogger, type Logger } from '../../../../src/core/logger';
import { LmStudioStandIn, type StandInOptions } from '../../../lmstudio/standIn';

export { RecordingLogger as LinesLogger } from '../../../harness/recordingLogger';

/** The stand-in LM Studio and a ChatModel connected to it over HTTP, as the product connects. */
export async function startModel(
  options: StandInOptions = {},
  logger: Logger = silentLogger,
): Promise<{ server: LmStudioStandIn; model: ChatModel }> {
  const server = await LmStudioStandIn.start(options);
  try {
    const settings = normalizeLmStudioSettings({
      baseUrl: server.baseUrl,
      firstTokenTimeoutMs: 5000,
      idleTimeoutMs: 5000,
      maxRetries: 0,
    });
    return { server, model: await connectLmStudio(settings, { logger }) };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** The text of every message of one recorded request, joined. */
export function promptText(request: { messages: ReadonlyArray<{ content: string }> } | undefined): string {
  return (request?.messages ?? []).map((message) => message.content).join('\n\n');
}
