import { createHash } from 'node:crypto';
import type { FileSystem } from '../../fs/fileSystem';
import type { Logger } from '../../logger';
import { requirementText } from '../../openspec/specPreview';
import type { ChatModel, GenerationProgress } from '../chatModel';
import { LlmError } from '../llmError';
import { requestStructured, schemaPrompt } from '../structuredOutput';
import { estimateTokens } from '../tokenEstimate';
import { loadChangeContext, type ChangeContext } from '../prompt/changeContext';
import { changePromptParts } from '../prompt/changePromptParts';
import { answerReserve, promptBudget, withOverflowRetry } from '../prompt/contextFit';
import { packPrompt, type TrimNote } from '../prompt/packPrompt';
import { promptMessages } from '../prompt/promptMessages';
import { findRequirement } from '../review/anchorFindings';
import { conformToBase, stripWrappingFence } from './documentText';
import { documentAnswerSchema, improveInstructions, improveTask, requirementAnswerSchema, type FindingToFix } from './improveInstructions';
import { ImproveTargetError, resolveImproveTarget } from './improveTarget';
import { validateProposal, type ProposalValidation } from './proposalValidation';
import { requirementBlockFromAnswer, spliceLines } from './requirementSplice';

export interface ImproveRequest {
  readonly changeId: string;
  /** Absolute, workspace-relative (`openspec/changes/x/proposal.md`) or relative to the change folder. */
  readonly file: string;
  /** Rewrite only this requirement of the file; the rest of the file is kept byte for byte. */
  readonly requirement?: string;
  readonly findings?: readonly FindingToFix[];
  readonly instruction?: string;
}

export interface ImproveOptions {
  readonly signal?: AbortSignal;
  /** Lessons learned from this project's earlier decisions, included in the instructions. */
  readonly lessons?: readonly string[];
  readonly onProgress?: (progress: GenerationProgress) => void;
  readonly logger?: Logger;
}

/** A proposed new version of one file; nothing is written until the user accepts it. */
export interface Proposal {
  /** Workspace-relative. */
  readonly file: string;
  readonly absolutePath: string;
  readonly requirement?: string;
  readonly baseText: string;
  /** sha256 (hex) of `baseText`: apply only when the file still hashes to it. */
  readonly baseHash: string;
  /** The whole new text of the file. */
  readonly proposedText: string;
  readonly summary: string;
  /** False when the model kept the document as it is: `proposedText` equals `baseText` and there is nothing to apply. */
  readonly changed: boolean;
  /** The file does not exist (`baseText` is ''): accepting creates it, and only while it still does not exist. */
  readonly created?: boolean;
  readonly validation: ProposalValidation;
  readonly trimmed: readonly TrimNote[];
  readonly model: string;
  readonly repaired: boolean;
}

/**
 * Asks the model for a better version of one change document (or one requirement of it) and returns it as a
 * proposal validated in memory. An empty answer is `LlmError('badOutput')`; an answer identical to the file
 * is a proposal with `changed: false`, because "nothing to fix" is a legitimate answer, not a failure.
 */
export async function improveDocument(model: ChatModel, fs: FileSystem, root: string, request: ImproveRequest, options: ImproveOptions = {}): Promise<Proposal> {
  return improveInContext(model, fs, await loadChangeContext(fs, root, request.changeId), request, options);
}

/** The same from a context the caller already has (the extension's live model). */
export async function improveInContext(model: ChatModel, fs: FileSystem, context: ChangeContext, request: ImproveRequest, options: ImproveOptions = {}): Promise<Proposal> {
  const target = await resolveImproveTarget(fs, context, request.file);
  const baseText = target.document.text;
  const requirement = request.requirement !== undefined ? findRequirement(target.requirements, request.requirement) : undefined;
  if (request.requirement !== undefined && !requirement) throw new ImproveTargetError(`${target.file} has no requirement "${request.requirement}".`);
  const block = requirement ? requirementText(target.document, requirement).replace(/\n$/, '') : undefined;
  const task = improveTask({
    file: target.file,
    ...(requirement && block !== undefined ? { requirement: { name: requirement.name, block } } : {}),
    findings: request.findings ?? [],
    ...(request.instruction !== undefined ? { instruction: request.instruction } : {}),
    targetText: baseText,
  });
  const schema = requirement ? requirementAnswerSchema : documentAnswerSchema;
  const answerTokens = estimateTokens(block ?? baseText);
  const focus = requirement ? ([requirement.range.start.line, requirement.range.end.line] as const) : undefined;
  const parts = [
    { kind: 'instructions' as const, text: improveInstructions(options.lessons), required: true },
    ...changePromptParts(context, { target: target.document, numberTarget: false, ...(focus ? { focus } : {}) }),
  ];
  const fixed = estimateTokens(schemaPrompt(schema)) + estimateTokens(task);
  const { answer, packed, reply, repaired } = await withOverflowRetry(
    model,
    async (fit) => {
      // JSON string escaping and the summary make the answer longer than the text it carries.
      const reserve = Math.max(answerReserve(fit.contextLength), Math.ceil(answerTokens * 1.5) + 512);
      const packed = packPrompt(parts, promptBudget(fit, reserve, fixed), { trimFactor: fit.trimFactor, contextLength: fit.contextLength, modelId: model.id });
      for (const note of packed.trimmed) options.logger?.info(note.message);
      const messages = promptMessages(packed, task);
      const request = { messages, maxTokens: reserve, temperature: 0.3, signal: options.signal, onProgress: options.onProgress };
      const result = await requestStructured<{ summary: string; document?: string; requirement?: string }>(model, request, schema, 'openspec_improvement', { logger: options.logger });
      return { answer: result.value, packed, reply: result.reply, repaired: result.repaired };
    },
    options.logger,
  );
  const proposedRaw = (requirement ? answer.requirement : answer.document) ?? '';
  // A document that itself opens with a fence keeps whatever fence the model wrote.
  const unwrapped = /^\s*(```|~~~)/.test(baseText) ? proposedRaw : stripWrappingFence(proposedRaw);
  if (unwrapped.trim() === '') {
    throw new LlmError('badOutput', `The model proposed an empty ${requirement ? 'requirement' : 'document'} for ${target.file}.`, 'Try again, or give a more specific instruction.');
  }
  const proposedText =
    requirement && block !== undefined
      ? spliceLines(baseText, requirement.range.start.line, requirement.range.end.line, requirementBlockFromAnswer(proposedRaw, headerLine(block)))
      : conformToBase(unwrapped, baseText);
  const changed = proposedText !== baseText;
  if (!changed) options.logger?.info(`The model proposed no change to ${target.file}.`);
  return {
    file: target.file,
    absolutePath: target.document.path,
    ...(requirement ? { requirement: requirement.name } : {}),
    baseText,
    baseHash: sha256(baseText),
    proposedText,
    summary: answer.summary.trim(),
    changed,
    validation: await validateProposal(fs, target.validation, baseText, proposedText),
    trimmed: packed.trimmed,
    model: reply.model || model.id,
    repaired,
  };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function headerLine(block: string): string {
  return block.split(/\r\n|\r|\n/, 1)[0] ?? '';
}
