import { LlmError } from '../llmError';
import { estimateTokens } from '../tokenEstimate';
import { loadCommandFor, suggestedContextLength } from '../transport/contextOverflow';

/** What a part is, which decides its priority: earlier kinds are packed first and trimmed last. */
export type PromptPartKind = 'instructions' | 'config' | 'target' | 'document' | 'delta' | 'mainSpec';

const PRIORITY: Readonly<Record<PromptPartKind, number>> = {
  instructions: 0,
  config: 1,
  target: 2,
  document: 3,
  delta: 4,
  mainSpec: 5,
};

const KIND_LABEL: Readonly<Record<PromptPartKind, string>> = {
  instructions: 'The instructions',
  config: 'The project context and rules',
  target: 'The document',
  document: 'The change document',
  delta: 'The delta spec',
  mainSpec: 'The main spec',
};

export interface PromptPart {
  readonly kind: PromptPartKind;
  /** The workspace-relative path of the document the part lists (none for instructions). */
  readonly path?: string;
  readonly text: string;
  /** Shorter versions, longest first, tried before the part is left out. */
  readonly shorter?: ReadonlyArray<{ readonly text: string; readonly note: string }>;
  /** A part the prompt is useless without: when it cannot fit, packing fails with contextOverflow. */
  readonly required?: boolean;
}

/** A part that was shortened or left out, in words the UI can show as they are. */
export interface TrimNote {
  readonly kind: PromptPartKind;
  readonly path: string;
  readonly action: 'shortened' | 'dropped';
  readonly message: string;
}

export interface PackedPrompt {
  /** The parts that made it, highest priority first, each with the text chosen for it. */
  readonly parts: readonly PromptPart[];
  readonly tokens: number;
  readonly budget: number;
  readonly trimmed: readonly TrimNote[];
}

export interface PackOptions {
  /** Pack into this fraction of the budget: the retry after a context overflow uses 0.6. */
  readonly trimFactor?: number;
  /** The model's context length, quoted in the overflow error. */
  readonly contextLength?: number;
  /** The model's id, for the `lms load` command the overflow error suggests. */
  readonly modelId?: string;
}

/** Parts are joined by a blank line; count it. */
const SEPARATOR_TOKENS = 1;

/** The prompt cannot be built at all: even its required parts exceed the budget. Retrying smaller will not help. */
export class PromptTooLargeError extends LlmError {}

/**
 * Fits parts into a token budget by priority (instructions, config, the target document, the change's other
 * documents, deltas, main specs). Each part goes in whole if it fits, else its longest shorter version that
 * fits, else it is left out; a later, smaller part may still use the room a dropped one left.
 */
export function packPrompt(
  parts: readonly PromptPart[],
  budgetTokens: number,
  options: PackOptions = {},
): PackedPrompt {
  const budget = Math.floor(budgetTokens * (options.trimFactor ?? 1));
  const ordered = parts
    .map((part, index) => ({ part, index }))
    .sort((a, b) => PRIORITY[a.part.kind] - PRIORITY[b.part.kind] || a.index - b.index);
  const included: PromptPart[] = [];
  const trimmed: TrimNote[] = [];
  let used = 0;
  for (const { part } of ordered) {
    const fullCost = estimateTokens(part.text) + SEPARATOR_TOKENS;
    if (used + fullCost <= budget) {
      included.push(part);
      used += fullCost;
      continue;
    }
    const shorter = (part.shorter ?? []).find(
      (version) => used + estimateTokens(version.text) + SEPARATOR_TOKENS <= budget,
    );
    if (shorter) {
      included.push({ ...part, text: shorter.text });
      used += estimateTokens(shorter.text) + SEPARATOR_TOKENS;
      trimmed.push({
        kind: part.kind,
        path: part.path ?? '',
        action: 'shortened',
        message: `${describe(part)} was shortened to fit the model's context: ${shorter.note}.`,
      });
      continue;
    }
    if (part.required)
      throw overflow(
        ordered.map(({ part: p }) => p),
        used + fullCost,
        budget,
        options,
      );
    trimmed.push({
      kind: part.kind,
      path: part.path ?? '',
      action: 'dropped',
      message: `${describe(part)} was left out to fit the model's context.`,
    });
  }
  return { parts: included, tokens: used, budget, trimmed };
}

function describe(part: PromptPart): string {
  return part.path ? `${KIND_LABEL[part.kind]} ${part.path}` : KIND_LABEL[part.kind];
}

function overflow(
  parts: readonly PromptPart[],
  neededSoFar: number,
  budget: number,
  options: PackOptions,
): PromptTooLargeError {
  const requiredTokens = parts
    .filter((part) => part.required)
    .reduce((sum, part) => sum + estimateTokens(part.text) + SEPARATOR_TOKENS, 0);
  const needed = Math.max(neededSoFar, requiredTokens);
  const target = parts.find((part) => part.kind === 'target');
  // Room for the prompt and a typical answer.
  const wanted = needed + 2048;
  const command = options.modelId
    ? loadCommandFor(options.modelId, wanted)
    : `lms load <model> --context-length ${suggestedContextLength(wanted)}`;
  return new PromptTooLargeError(
    'contextOverflow',
    `The prompt needs about ${needed} tokens${target?.path ? ` to include ${target.path}` : ''}, but only ${budget} are available in the model's context.`,
    `Load the model with a larger context length (in LM Studio's model settings, or \`${command}\`), or split the document.`,
    { promptTokens: needed, ...(options.contextLength !== undefined ? { contextLength: options.contextLength } : {}) },
  );
}
