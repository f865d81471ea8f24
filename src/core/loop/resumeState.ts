import { posix as path } from 'node:path';
import type { FileSystem } from '../fs/fileSystem';
import { checkProposal } from '../ai/improve/proposalCheck';
import type { Proposal } from '../ai/improve/improveDocument';
import { sha256 } from '../hash';
import { parseJournal, type JournalEntry, type StoredProposal } from './journalEntries';
import { rebuildIterations } from './journalIterations';
import { isFinalReason } from './journalRuns';
import type { IterationRecord, LoopDecision, LoopStep } from './loopTypes';

/** A proposal a crash interrupted whose file is still exactly what it was proposed against. */
export interface InterruptedProposal {
  readonly iteration: number;
  readonly proposal: Proposal;
  /** The decision already taken (accepted, not yet written): write it without asking again. */
  readonly decision?: LoopDecision;
  readonly auto?: boolean;
}

export interface ResolvedProposal {
  readonly iteration: number;
  readonly proposalId: string;
  readonly file: string;
  readonly baseHash: string;
  /** The hash of the text that was, or was to be, written. */
  readonly appliedHash: string;
  /** False when the outcome was found from the file's hash now rather than read from the journal. */
  readonly journalled: boolean;
}

export interface ResumeState {
  readonly runId: string;
  readonly change: string;
  /** False when the run ended for good (converged, no improvement, max iterations) or nothing was journalled. */
  readonly resumable: boolean;
  /** The last iteration the journal reached, and the step it was in. */
  readonly iteration: number;
  readonly step: LoopStep;
  /** Whether that iteration's review and validation were journalled (otherwise it is run again). */
  readonly reviewComplete: boolean;
  readonly maxIterations: number;
  readonly autoAccept: boolean;
  /** The iterations as journalled, decisions and writes included; recovered writes and stale drops are marked. */
  readonly iterations: readonly IterationRecord[];
  /** Written already (journalled, or found in the file by its applied hash): never written again. */
  readonly applied: readonly ResolvedProposal[];
  readonly pending: readonly InterruptedProposal[];
  /** The file changed since the proposal was made: dropped; the next review proposes afresh. */
  readonly stale: readonly ResolvedProposal[];
}

/**
 * The workspace-relative files the run's proposals touch: what `resumeState` needs the current text of. The run
 * is `runId`, or the journal's last one.
 */
export function journalledFiles(lines: readonly string[], runId?: string): string[] {
  const entries = runEntries(parseJournal(lines), runId);
  return [...new Set(entries.flatMap((entry) => (entry.event === 'proposed' ? [entry.proposal.file] : [])))];
}

/**
 * Decides how to resume a journalled run after a crash: `runId`, or the journal's last run. `currentTexts` maps workspace-relative paths
 * to the file's text now (undefined: missing). The base and applied hashes decide: a file that hashes to the
 * applied text was written, one that hashes to the base text is untouched, anything else is stale.
 */
export function resumeState(
  lines: readonly string[],
  currentTexts: Readonly<Record<string, string | undefined>>,
  runId?: string,
): ResumeState {
  const entries = runEntries(parseJournal(lines), runId);
  const first = entries[0];
  const last = entries.at(-1);
  const started = [...entries].reverse().find((entry) => entry.event === 'started');
  const iterations = rebuildIterations(entries);
  const applied: ResolvedProposal[] = [];
  const pending: InterruptedProposal[] = [];
  const stale: ResolvedProposal[] = [];
  const proposals = new Map<string, { iteration: number; stored: StoredProposal }>();
  for (const entry of entries)
    if (entry.event === 'proposed' && entry.proposal.changed)
      proposals.set(entry.proposal.id, { iteration: entry.iteration, stored: entry.proposal });

  for (const { iteration, stored } of proposals.values()) {
    const record = iterations
      .find((candidate) => candidate.iteration === iteration)
      ?.proposals.find((candidate) => candidate.id === stored.id);
    const resolved = (journalled: boolean): ResolvedProposal => ({
      iteration,
      proposalId: stored.id,
      file: stored.file,
      baseHash: stored.baseHash,
      appliedHash: record?.appliedHash ?? stored.proposedHash,
      journalled,
    });
    if (!record || record.decision === 'rejected' || record.result !== undefined) {
      if (record?.result === 'applied') applied.push(resolved(true));
      continue;
    }
    const text = currentTexts[stored.file];
    const current = text === undefined ? undefined : sha256(text);
    if (record.decision !== undefined && current !== undefined && current === record.appliedHash) {
      record.result = 'applied';
      applied.push(resolved(false));
    } else if (text !== undefined && current === stored.baseHash) {
      const decided = decisionOf(entries, stored.id);
      pending.push({ iteration, proposal: toProposal(stored, text), ...decided });
    } else {
      record.result = 'stale';
      stale.push(resolved(false));
    }
  }

  const finished = last?.event === 'finished' && isFinalReason(last.reason);
  const iteration = Math.max(1, ...entries.map((entry) => entry.iteration));
  return {
    runId: first?.run ?? '',
    change: first?.change ?? '',
    resumable: entries.length > 0 && !finished,
    iteration,
    step: last?.step ?? 'reviewing',
    reviewComplete: entries.some(
      (entry) => entry.event === 'validated' && entry.step === 'reviewing' && entry.iteration === iteration,
    ),
    maxIterations: started?.event === 'started' ? started.maxIterations : 5,
    autoAccept: started?.event === 'started' ? started.autoAccept : false,
    iterations,
    applied,
    pending,
    stale,
  };
}

/** `resumeState` against the files as they are now, read through `fs` from the project folder `root`. */
export async function resumeStateNow(
  fs: FileSystem,
  root: string,
  lines: readonly string[],
  runId?: string,
): Promise<ResumeState> {
  const currentTexts: Record<string, string | undefined> = {};
  for (const file of journalledFiles(lines, runId))
    currentTexts[file] = await fs.readFile(path.join(root, file)).catch(() => undefined);
  return resumeState(lines, currentTexts, runId);
}

function runEntries(entries: readonly JournalEntry[], runId = entries.at(-1)?.run): JournalEntry[] {
  return entries.filter((entry) => entry.run === runId);
}

function decisionOf(entries: readonly JournalEntry[], proposalId: string): { decision?: LoopDecision; auto?: boolean } {
  const decided = [...entries].reverse().find((entry) => entry.event === 'decided' && entry.proposalId === proposalId);
  if (decided?.event !== 'decided' || decided.decision === 'rejected') return {};
  return {
    decision: { decision: decided.decision, ...(decided.text !== undefined ? { text: decided.text } : {}) },
    auto: decided.auto,
  };
}

/** The journalled proposal as `improveDocument` made it; its base is the file's current text, which hashes the same. */
function toProposal(stored: StoredProposal, baseText: string): Proposal {
  return {
    file: stored.file,
    absolutePath: stored.absolutePath,
    ...(stored.requirement !== undefined ? { requirement: stored.requirement } : {}),
    baseText,
    baseHash: stored.baseHash,
    proposedText: stored.proposedText,
    summary: stored.summary,
    changed: stored.changed,
    validation: stored.validation,
    check:
      stored.check ??
      checkProposal({
        file: stored.absolutePath,
        root: projectRoot(stored),
        baseText,
        proposedText: stored.proposedText,
      }),
    trimmed: [],
    model: stored.model,
    repaired: false,
  };
}

/** The project folder of a journalled proposal: its absolute path less its workspace-relative one. */
function projectRoot(stored: StoredProposal): string {
  return stored.absolutePath.endsWith(`/${stored.file}`)
    ? stored.absolutePath.slice(0, -stored.file.length - 1)
    : path.dirname(stored.absolutePath);
}
