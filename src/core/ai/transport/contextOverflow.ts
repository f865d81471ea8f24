/** What LM Studio said about the prompt and the loaded context, when it said it. */
export interface OverflowFigures {
  readonly promptTokens?: number;
  readonly contextLength?: number;
}

/**
 * Recognises LM Studio's context overflow messages, across versions:
 * - "The input has 31430 tokens, but the context length only supports 30000 tokens." (current)
 * - "... the model is loaded with context length of only 4096 tokens ..." (older)
 * - "Reached context length of 4096 tokens ..." (the reply itself filled the context)
 */
export function parseContextOverflow(message: string): OverflowFigures | undefined {
  const current = /input has (\d+) tokens?, but the context length only supports (\d+) tokens?/i.exec(message);
  if (current) return { promptTokens: Number(current[1]), contextLength: Number(current[2]) };
  const older = /context length of only (\d+) tokens?/i.exec(message);
  if (older) return { contextLength: Number(older[1]) };
  const reached = /reached context length of (\d+) tokens?/i.exec(message);
  if (reached) return { contextLength: Number(reached[1]) };
  if (/does not fit in (the )?context|context (length|window) (exceeded|overflow)|context overflow/i.test(message)) {
    return {};
  }
  return undefined;
}

const contextStep = 4096;

/** A round context size comfortably above the need: 20% headroom, rounded up to a multiple of 4096. */
export function suggestedContextLength(neededTokens: number): number {
  const withHeadroom = Math.max(1, Math.ceil(neededTokens * 1.2));
  return Math.ceil(withHeadroom / contextStep) * contextStep;
}

/** The `lms` command that reloads the model with room for `neededTokens`. */
export function loadCommandFor(modelId: string, neededTokens: number): string {
  const model = /^[\w./@:-]+$/.test(modelId) ? modelId : `"${modelId.replace(/"/g, '\\"')}"`;
  return `lms load ${model} --context-length ${suggestedContextLength(neededTokens)}`;
}

/**
 * How many tokens the reloaded model must hold. With the prompt size known, the prompt plus room for the
 * reply; with only the old context known, twice that.
 */
export function neededTokensFor(figures: OverflowFigures, replyAllowance = 2048): number | undefined {
  if (figures.promptTokens !== undefined) return figures.promptTokens + replyAllowance;
  if (figures.contextLength !== undefined) return figures.contextLength * 2;
  return undefined;
}
