import type { FileSystem } from '../../fs/fileSystem';
import type { Logger } from '../../logger';
import type { ChatModel, ChatUsage, GenerationProgress } from '../chatModel';
import { requestStructured, schemaPrompt } from '../structuredOutput';
import { estimateTokens } from '../tokenEstimate';
import { loadChangeContext, type ChangeContext } from '../prompt/changeContext';
import { changePromptParts } from '../prompt/changePromptParts';
import { answerReserve, promptBudget, withOverflowRetry } from '../prompt/contextFit';
import { packPrompt, type PromptPart, type TrimNote } from '../prompt/packPrompt';
import { promptMessages } from '../prompt/promptMessages';
import { anchorFindings, type DiscardedFinding } from './anchorFindings';
import { knownDocuments } from './findingPaths';
import { reviewAnswerSchema, type ReviewFinding } from './findingSchema';
import { reviewInstructions, reviewTask } from './reviewInstructions';

export interface ReviewOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: GenerationProgress) => void;
  /** Extra instructions learned from earlier reviews, included verbatim. */
  readonly lessons?: readonly string[];
  readonly logger?: Logger;
}

export interface ReviewResult {
  readonly change: string;
  /** The model that answered. */
  readonly model: string;
  readonly findings: readonly ReviewFinding[];
  /** What was shortened or left out of the prompt to fit the model's context. */
  readonly trimmed: readonly TrimNote[];
  /** Findings about files outside the change and the specs it touches. */
  readonly discarded: readonly DiscardedFinding[];
  /** True when the first answer was not valid JSON and one repair round fixed it. */
  readonly repaired: boolean;
  readonly usage?: ChatUsage;
}

/** Reviews one change: reads it with its touched main specs and config.yaml, asks the model, anchors the findings. */
export async function reviewChange(
  model: ChatModel,
  fs: FileSystem,
  root: string,
  changeId: string,
  options: ReviewOptions = {},
): Promise<ReviewResult> {
  return reviewChangeContext(model, await loadChangeContext(fs, root, changeId), options);
}

/** The same from a context the caller already has (the extension's live model, with unsaved edits). */
export async function reviewChangeContext(
  model: ChatModel,
  context: ChangeContext,
  options: ReviewOptions = {},
): Promise<ReviewResult> {
  const changeId = context.change.id;
  const parts = reviewPromptParts(context, options.lessons);
  const task = reviewTask(changeId);
  const fixed = estimateTokens(schemaPrompt(reviewAnswerSchema)) + estimateTokens(task);
  const { result, packed } = await withOverflowRetry(
    model,
    async (fit) => {
      const reserve = answerReserve(fit.contextLength);
      const packed = packPrompt(parts, promptBudget(fit, reserve, fixed), {
        trimFactor: fit.trimFactor,
        contextLength: fit.contextLength,
        modelId: model.id,
      });
      for (const note of packed.trimmed) options.logger?.info(note.message);
      const result = await requestStructured(
        model,
        {
          messages: promptMessages(packed, task),
          maxTokens: reserve,
          temperature: 0.2,
          signal: options.signal,
          onProgress: options.onProgress,
        },
        reviewAnswerSchema,
        'openspec_review',
        { logger: options.logger },
      );
      return { result, packed };
    },
    options.logger,
  );
  const anchored = anchorFindings(result.value.findings, context.root, changeId, knownDocuments(context));
  for (const { finding, reason } of anchored.discarded)
    options.logger?.warn(`Review finding set aside: ${reason}: ${finding.message}`);
  return {
    change: changeId,
    model: result.reply.model || model.id,
    findings: anchored.findings,
    trimmed: packed.trimmed,
    discarded: anchored.discarded,
    repaired: result.repaired,
    ...(result.reply.usage ? { usage: result.reply.usage } : {}),
  };
}

/** The review prompt's parts: the reviewer's instructions, then the change with the proposal as its target. */
export function reviewPromptParts(context: ChangeContext, lessons: readonly string[] = []): PromptPart[] {
  const instructions: PromptPart = { kind: 'instructions', text: reviewInstructions(lessons), required: true };
  const proposal = context.change.proposal;
  return [instructions, ...changePromptParts(context, proposal ? { target: proposal } : {})];
}
