import type { GenerationProgress } from '../chatModel';

/**
 * Turns stream events into `GenerationProgress`: 'waiting' at the start and on a heartbeat while LM Studio
 * reads the prompt (it sends nothing then, so the heartbeat is the only sign of life), 'generating' on every
 * token with the speed measured from the first token.
 */
export class ProgressReporter {
  private readonly startedAt: number;
  private firstTokenAt: number | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private tokens = 0;

  constructor(
    private readonly onProgress: ((progress: GenerationProgress) => void) | undefined,
    private readonly now: () => number,
    heartbeatMs: number,
  ) {
    this.startedAt = now();
    if (!onProgress) return;
    this.report('waiting');
    this.heartbeat = setInterval(() => this.report('waiting'), heartbeatMs);
    this.heartbeat.unref?.();
  }

  get tokenCount(): number {
    return this.tokens;
  }

  get elapsedMs(): number {
    return this.now() - this.startedAt;
  }

  get timeToFirstTokenMs(): number | undefined {
    return this.firstTokenAt === undefined ? undefined : this.firstTokenAt - this.startedAt;
  }

  get tokensPerSecond(): number {
    if (this.firstTokenAt === undefined) return 0;
    const seconds = (this.now() - this.firstTokenAt) / 1000;
    return seconds > 0 ? Math.round((this.tokens / seconds) * 10) / 10 : 0;
  }

  token(): void {
    this.tokens++;
    if (this.firstTokenAt === undefined) {
      this.firstTokenAt = this.now();
      clearInterval(this.heartbeat);
    }
    this.report('generating');
  }

  dispose(): void {
    clearInterval(this.heartbeat);
  }

  private report(phase: GenerationProgress['phase']): void {
    this.onProgress?.({ phase, tokens: this.tokens, tokensPerSecond: this.tokensPerSecond, elapsedMs: this.elapsedMs });
  }
}
