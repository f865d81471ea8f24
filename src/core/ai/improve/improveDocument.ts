import { sha256 } from '../../hash';
import type { FileSystem } from '../../fs/fileSystem';
import type { Logger } from '../../logger';
import { requirementText } from '../../openspec/specPreview';
import type { ChatMessage, ChatModel, GenerationProgress } from '../chatModel';
import { LlmError } from '../llmError';
import { requestStructured, schemaPrompt } from '../structuredOutput';
import { estimateTokens } from '../tokenEstimate';
import { loadChangeContext, type ChangeContext } from '../prompt/changeContext';
import { changePromptParts } from '../prompt/changePromptParts';
import { answerReserve, promptBudget, withOverflowRetry } from '../prompt/contextFit';
import { packPrompt, type TrimNote } from '../prompt/packPrompt';
import { promptMessages } from '../prompt/promptMessages';
import { findRequirement } from '../review/anchorFindings';
import { documentLines } from '../prompt/documentListing';
import { cleanModelText } from './dirtyText';
import {
  applyDocumentEdits,
  documentEditsAnswerSchema,
  EDITS_THRESHOLD_LINES,
  type DocumentEdit,
} from './documentEdits';
import { conformToBase } from './documentText';
import {
  documentAnswerSchema,
  improveInstructions,
  improveTask,
  requirementAnswerSchema,
  type FindingToFix,
} from './improveInstructions';
import { ImproveTargetError, resolveImproveTarget } from './improveTarget';
import {
  checkProposal,
  checkSeverity,
  checkWarning,
  repairRequest,
  type CheckInput,
  type ProposalCheck,
} from './proposalCheck';
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
  /** What the text does to the document beyond validation (sections, tasks, requirements lost), and what it carries that is no part of it. */
  readonly check: ProposalCheck;
  readonly trimmed: readonly TrimNote[];
  readonly model: string;
  readonly repaired: boolean;
}

/**
 * Asks the model for a better version of one change document (or one requirement of it) and returns it as a
 * proposal validated in memory. An empty answer is `LlmError('badOutput')`; an answer identical to the file
 * is a proposal with `changed: false`, because "nothing to fix" is a legitimate answer, not a failure.
 */
export async function improveDocument(
  model: ChatModel,
  fs: FileSystem,
  root: string,
  request: ImproveRequest,
  options: ImproveOptions = {},
): Promise<Proposal> {
  return improveInContext(model, fs, await loadChangeContext(fs, root, request.changeId), request, options);
}

/** The same from a context the caller already has (the extension's live model). */
export async function improveInContext(
  model: ChatModel,
  fs: FileSystem,
  context: ChangeContext,
  request: ImproveRequest,
  options: ImproveOptions = {},
): Promise<Proposal> {
  const target = await resolveImproveTarget(fs, context, request.file);
  const baseText = target.document.text;
  const requirement =
    request.requirement !== undefined ? findRequirement(target.requirements, request.requirement) : undefined;
  if (request.requirement !== undefined && !requirement)
    throw new ImproveTargetError(`${target.file} has no requirement "${request.requirement}".`);
  const block = requirement ? requirementText(target.document, requirement).replace(/\n$/, '') : undefined;
  // Small models asked to retype a long document drop or truncate parts of it: they send edits instead.
  const shape: AnswerShape =
    requirement && block !== undefined
      ? {
          kind: 'requirement',
          block,
          header: headerLine(block),
          start: requirement.range.start.line,
          end: requirement.range.end.line,
        }
      : documentLines(baseText).length > EDITS_THRESHOLD_LINES
        ? { kind: 'edits' }
        : { kind: 'document' };
  const task = improveTask({
    file: target.file,
    ...(requirement && block !== undefined ? { requirement: { name: requirement.name, block } } : {}),
    findings: request.findings ?? [],
    ...(request.instruction !== undefined ? { instruction: request.instruction } : {}),
    targetText: baseText,
    answer: shape.kind === 'edits' ? 'edits' : 'document',
  });
  const schema =
    shape.kind === 'requirement'
      ? requirementAnswerSchema
      : shape.kind === 'edits'
        ? documentEditsAnswerSchema
        : documentAnswerSchema;
  const answerTokens =
    shape.kind === 'edits' ? Math.ceil(estimateTokens(baseText) / 4) : estimateTokens(block ?? baseText);
  const focus = requirement ? ([requirement.range.start.line, requirement.range.end.line] as const) : undefined;
  const parts = [
    { kind: 'instructions' as const, text: improveInstructions(options.lessons), required: true },
    ...changePromptParts(context, { target: target.document, numberTarget: false, ...(focus ? { focus } : {}) }),
  ];
  const fixed = estimateTokens(schemaPrompt(schema)) + estimateTokens(task);
  const read = (answer: ImproveAnswer): Reading =>
    readAnswer(answer, shape, target.file, {
      file: target.document.path,
      root: context.root,
      baseText,
      ...(requirement ? { requirement: requirement.name } : {}),
      ...(request.findings ? { findings: request.findings } : {}),
      ...(request.instruction !== undefined ? { instruction: request.instruction } : {}),
      mainSpecs: context.mainSpecs,
      deltas: context.change.deltas,
    });
  const { reading, packed, reply, repaired } = await withOverflowRetry(
    model,
    async (fit) => {
      // JSON string escaping and the summary make the answer longer than the text it carries.
      const reserve = Math.max(answerReserve(fit.contextLength), Math.ceil(answerTokens * 1.5) + 512);
      const packed = packPrompt(parts, promptBudget(fit, reserve, fixed), {
        trimFactor: fit.trimFactor,
        contextLength: fit.contextLength,
        modelId: model.id,
      });
      for (const note of packed.trimmed) options.logger?.info(note.message);
      const messages = promptMessages(packed, task);
      const ask = (conversation: ChatMessage[]) =>
        requestStructured<ImproveAnswer>(
          model,
          {
            messages: conversation,
            maxTokens: reserve,
            temperature: 0.3,
            signal: options.signal,
            onProgress: options.onProgress,
          },
          schema,
          'openspec_improvement',
          {
            logger: options.logger,
          },
        );
      const first = await ask(messages);
      const firstReading = read(first.value);
      const problem = repairProblem(firstReading);
      if (problem === undefined) return { reading: firstReading, packed, reply: first.reply, repaired: first.repaired };
      // Like the schema's repair round: the exact problem goes back to the model once.
      options.logger?.warn(`The model's proposal for ${target.file} needs a repair round: ${problem}`);
      const second = await ask([
        ...messages,
        { role: 'assistant', content: first.reply.content },
        { role: 'user', content: `${problem} Reply again with only the corrected JSON object.` },
      ]);
      const secondReading = read(second.value);
      const better =
        readingSeverity(secondReading) <= readingSeverity(firstReading)
          ? { reading: secondReading, reply: second.reply }
          : { reading: firstReading, reply: first.reply };
      return { ...better, packed, repaired: true };
    },
    options.logger,
  );
  if (!reading.ok) {
    throw new LlmError(
      'badOutput',
      `The model's edits for ${target.file} could not be applied, even after one repair round: ${reading.problems[0] ?? ''}`,
      'Try again, or improve one requirement at a time.',
    );
  }
  const { proposedText, check, summary } = reading;
  for (const note of check.cleaned) options.logger?.info(`Cleaned the model's proposal for ${target.file}: ${note}.`);
  const changed = proposedText !== baseText;
  if (!changed) options.logger?.info(`The model proposed no change to ${target.file}.`);
  const warning = checkWarning(check);
  if (changed && warning) options.logger?.warn(`The proposal for ${target.file} ${warning}.`);
  return {
    file: target.file,
    absolutePath: target.document.path,
    ...(requirement ? { requirement: requirement.name } : {}),
    baseText,
    baseHash: sha256(baseText),
    proposedText,
    summary,
    changed,
    validation: await validateProposal(fs, target.validation, baseText, proposedText),
    check,
    trimmed: packed.trimmed,
    model: reply.model || model.id,
    repaired,
  };
}

type AnswerShape =
  | { readonly kind: 'document' }
  | { readonly kind: 'edits' }
  | {
      readonly kind: 'requirement';
      readonly block: string;
      readonly header: string;
      readonly start: number;
      readonly end: number;
    };

interface ImproveAnswer {
  readonly summary: string;
  readonly document?: string;
  readonly requirement?: string;
  readonly edits?: readonly DocumentEdit[];
}

type Reading =
  | { readonly ok: true; readonly proposedText: string; readonly summary: string; readonly check: ProposalCheck }
  | { readonly ok: false; readonly problems: readonly string[] };

/** The model's answer as the file's new text, cleaned of what is no part of a document, with its impact check. */
function readAnswer(
  answer: ImproveAnswer,
  shape: AnswerShape,
  label: string,
  input: Omit<CheckInput, 'proposedText'>,
): Reading {
  const { baseText } = input;
  const summary = answer.summary.trim();
  if (shape.kind === 'edits') {
    const applied = applyDocumentEdits(baseText, answer.edits ?? []);
    if (!applied.ok) return { ok: false, problems: applied.problems };
    return {
      ok: true,
      proposedText: applied.text,
      summary,
      check: checkProposal({ ...input, proposedText: applied.text }),
    };
  }
  const raw = (shape.kind === 'requirement' ? answer.requirement : answer.document) ?? '';
  const cleaned = cleanModelText(raw, shape.kind === 'requirement' ? shape.block : baseText);
  if (cleaned.text.trim() === '') {
    throw new LlmError(
      'badOutput',
      `The model proposed an empty ${shape.kind === 'requirement' ? 'requirement' : 'document'} for ${label}.`,
      'Try again, or give a more specific instruction.',
    );
  }
  const proposedText =
    shape.kind === 'requirement'
      ? spliceLines(baseText, shape.start, shape.end, requirementBlockFromAnswer(cleaned.text, shape.header))
      : conformToBase(cleaned.text, baseText);
  return {
    ok: true,
    proposedText,
    summary,
    check: checkProposal({ ...input, proposedText, dirty: cleaned.problems, cleaned: cleaned.cleaned }),
  };
}

function repairProblem(reading: Reading): string | undefined {
  if (!reading.ok) return `Your edits could not be applied: ${reading.problems.join('; ')}.`;
  return repairRequest(reading.check);
}

function readingSeverity(reading: Reading): number {
  return reading.ok ? checkSeverity(reading.check) : Number.POSITIVE_INFINITY;
}

function headerLine(block: string): string {
  return block.split(/\r\n|\r|\n/, 1)[0] ?? '';
}
