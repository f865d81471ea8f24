import type { ChatModel } from '../../../src/core/ai/chatModel';
import type { Proposal } from '../../../src/core/ai/improve/improveDocument';
import { applyProposal } from '../../../src/core/ai/improve/proposalWrite';
import { MemoryFileWriter } from '../../../src/core/fs/memoryFileWriter';
import type { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import type { DecisionContext, LoopDecision, LoopEvent, LoopHost } from '../../../src/core/loop/loopTypes';
import type { RecordedChatRequest, StandInReply } from '../../lmstudio/standIn';
import { requestedFile } from '../../lmstudio/damagingReplies';
import { LmStudioStandIn } from '../../lmstudio/standIn';
import { chatModelFor } from '../ai/transport/transportTestKit';
import { SAMPLE_ROOT } from '../ai/prompt/sampleWorkspace';

export const CHANGE = 'expire-shared-links';
export const DELTA = `openspec/changes/${CHANGE}/specs/sharing/links/spec.md`;
export const PROPOSAL = `openspec/changes/${CHANGE}/proposal.md`;
export const abs = (file: string): string => `${SAMPLE_ROOT}/${file}`;

/** What the sample's "Expiry choice" lacks: a SHALL statement and a scenario. */
export const EXPIRY_CHOICE_BODY = [
  'The system SHALL let the owner choose that a link expires after 1, 7 or 30 days.',
  '',
  '#### Scenario: Owner picks 7 days',
  '- **WHEN** the owner shares a note and picks 7 days',
  '- **THEN** the link stops working 7 days later',
  '',
].join('\n');

/** The sample delta with "Expiry choice" made valid. */
export const FIXED_DELTA = `${[
  '## ADDED Requirements',
  '',
  '### Requirement: Link expiry',
  'The system SHALL stop serving a shared link after its expiry date.',
  '',
  '#### Scenario: Link expired',
  '- **WHEN** someone opens a link after its expiry date',
  '- **THEN** they see "This link has expired"',
  '',
  '### Requirement: Expiry choice',
].join('\n')}\n${EXPIRY_CHOICE_BODY}`;

/** The sample delta with the only scenario of "Link expiry" dropped: one more validation error. */
export const BROKEN_DELTA = [
  '## ADDED Requirements',
  '',
  '### Requirement: Link expiry',
  'The system SHALL stop serving a shared link after its expiry date.',
  '',
  '### Requirement: Expiry choice',
  'Owners choose how long a link lasts, quickly.',
  '',
].join('\n');

export function finding(file: string, severity: 'error' | 'warning' | 'info', message: string) {
  return { severity, category: 'ambiguity', file, line: null, requirement: null, message, suggestion: null };
}

export const DELTA_ERROR = finding(DELTA, 'error', '"Expiry choice" has no scenario and no SHALL.');
export const PROPOSAL_WARNING = finding(
  PROPOSAL,
  'warning',
  'It is not said which period applies when the owner picks none.',
);

export function requestKind(request: RecordedChatRequest): 'review' | 'improve' {
  return request.response_format?.json_schema?.name === 'openspec_review' ? 'review' : 'improve';
}

/** The workspace-relative file an improve request asks for, from its task (a repair round's too). */
export const improveTarget = requestedFile;

export interface LoopScript {
  /** The findings of each review in turn; the last one repeats. */
  readonly reviews: ReadonlyArray<ReadonlyArray<ReturnType<typeof finding>>>;
  /** The new document for an improve request about `file`; its current text means "unchanged". */
  readonly improve: (file: string) => string;
  readonly onReview?: (index: number) => void;
}

/** The texts of `files` now, to compare byte for byte later. */
export async function snapshot(
  fs: MemoryFileSystem,
  files: readonly string[] = [DELTA, PROPOSAL],
): Promise<Record<string, string>> {
  return Object.fromEntries(
    await Promise.all(files.map(async (file) => [file, await fs.readFile(abs(file))] as const)),
  );
}

/** Scripts the stand-in: review requests answer the next findings list, improve requests the scripted document. */
export function scriptLoop(server: LmStudioStandIn, script: LoopScript): void {
  let reviews = 0;
  server.setReplyHandler((request): StandInReply => {
    if (requestKind(request) === 'review') {
      const index = reviews++;
      script.onReview?.(index);
      return JSON.stringify({ findings: script.reviews[Math.min(index, script.reviews.length - 1)] ?? [] });
    }
    const file = improveTarget(request);
    return JSON.stringify({ summary: `Improved ${file}.`, document: script.improve(file) });
  });
}

export async function startLoopModel(): Promise<{ server: LmStudioStandIn; model: ChatModel }> {
  const server = await LmStudioStandIn.start();
  return { server, model: chatModelFor(server) };
}

/**
 * A host over the in-memory workspace: answers decisions from `decide`, writes through the one proposal write
 * (only over the text the proposal was made from), and records every call. `crash` throws at the named point to stand in for
 * the process dying there.
 */
export class RecordingHost implements LoopHost {
  readonly decisions: Array<{ file: string; context: DecisionContext }> = [];
  readonly applied: Array<{ file: string; text: string; result: 'applied' | 'stale' }> = [];
  readonly events: LoopEvent[] = [];

  constructor(
    private readonly fs: MemoryFileSystem,
    private readonly decide_: (proposal: Proposal, context: DecisionContext) => LoopDecision = () => ({
      decision: 'accepted',
    }),
    private readonly crash?: 'onDecide' | 'beforeWrite' | 'afterWrite',
  ) {}

  decide(proposal: Proposal, context: DecisionContext): Promise<LoopDecision> {
    this.decisions.push({ file: proposal.file, context });
    if (this.crash === 'onDecide') return Promise.reject(new Error('crash while awaiting the decision'));
    return Promise.resolve(this.decide_(proposal, context));
  }

  async apply(proposal: Proposal, text: string): Promise<'applied' | 'stale'> {
    if (this.crash === 'beforeWrite') throw new Error('crash before the write');
    const result = await applyProposal(new MemoryFileWriter(this.fs), proposal, text);
    this.applied.push({ file: proposal.file, text, result });
    if (this.crash === 'afterWrite') throw new Error('crash after the write');
    return result;
  }

  onEvent(event: LoopEvent): void {
    this.events.push(event);
  }
}
