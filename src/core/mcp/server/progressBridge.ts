import type { GenerationProgress } from '../../ai/chatModel';
import type { ToolExtra } from './toolRunner';

/**
 * Turns the model's generation progress into `notifications/progress` for the client that asked for them
 * (a progressToken in the request), at most one per `intervalMs`: a token-by-token stream would flood the pipe.
 * Progress counts notifications, so it always increases as the protocol requires.
 */
export function progressNotifier(
  extra: ToolExtra,
  label: string,
  intervalMs = 250,
): ((progress: GenerationProgress) => void) | undefined {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return undefined;
  let sent = 0;
  let lastAt = 0;
  return (progress) => {
    const now = Date.now();
    if (sent > 0 && now - lastAt < intervalMs) return;
    if (extra.signal.aborted) return;
    lastAt = now;
    sent++;
    const message =
      progress.phase === 'waiting'
        ? `${label}: the model is reading the prompt (${Math.round(progress.elapsedMs / 1000)} s)`
        : `${label}: ${progress.tokens} tokens, ${progress.tokensPerSecond.toFixed(1)} tok/s`;
    extra
      .sendNotification({ method: 'notifications/progress', params: { progressToken, progress: sent, message } })
      .catch(() => undefined);
  };
}
