import { improveDocument, type Proposal } from '../ai/improve/improveDocument';
import { sha256 } from '../hash';
import { autoAcceptBlock, checkWarning } from '../ai/improve/proposalCheck';
import type { ReviewFinding } from '../ai/review/findingSchema';
import type { StoredProposal } from './journalEntries';
import type { FindingGroup } from './findingGroups';
import type { LoopRun } from './loopRun';
import type { IterationRecord, LoopDecision, ProposalRecord } from './loopTypes';

/** Asks the model to improve one document for its findings, journals the proposal, then has it judged and applied. */
export async function proposeForGroup(run: LoopRun, record: IterationRecord, group: FindingGroup): Promise<void> {
  run.checkCancelled();
  run.enter(record.iteration, 'proposing', { file: group.file });
  const { signal, logger } = run.settings;
  const proposal = await improveDocument(
    run.model,
    run.fs,
    run.root,
    { changeId: run.change, file: group.file, findings: group.findings },
    { ...(signal ? { signal } : {}), ...(logger ? { logger } : {}) },
  );
  const id = `${record.iteration}.${record.proposals.length + 1}`;
  const stored = storedProposal(id, proposal);
  await run.journal.record(record.iteration, 'proposing', { event: 'proposed', proposal: stored });
  const proposalRecord: ProposalRecord = {
    id,
    file: proposal.file,
    ...(proposal.requirement !== undefined ? { requirement: proposal.requirement } : {}),
    summary: proposal.summary,
    baseHash: proposal.baseHash,
    proposedHash: stored.proposedHash,
    newErrors: proposal.validation.newErrors.length,
    ...impactOf(proposal),
    ...(proposal.changed ? {} : { decision: 'unchanged' as const }),
  };
  record.proposals.push(proposalRecord);
  if (proposal.changed) await decideAndApply(run, record.iteration, proposalRecord, proposal, group.findings);
}

/**
 * Gets a decision (auto-accepted only when allowed and the proposal adds no validation errors; otherwise the
 * host is asked, with `autoAcceptBlocked` set when auto-accept was on) and writes an accepted text through
 * the host. `taken` is a decision journalled before a crash: it is written without asking again.
 */
export async function decideAndApply(
  run: LoopRun,
  iteration: number,
  record: ProposalRecord,
  proposal: Proposal,
  findings: readonly ReviewFinding[],
  taken?: { decision: LoopDecision; auto: boolean },
): Promise<void> {
  let decision = taken?.decision;
  let auto = taken?.auto ?? false;
  if (!decision) {
    run.enter(iteration, 'awaitingDecision', { file: proposal.file });
    const blocked = autoAcceptBlock(proposal.check, proposal.validation.newErrors.length);
    if (run.settings.autoAccept && blocked) {
      record.blocked = blocked;
      run.settings.logger?.warn(
        `Not accepting the proposal for ${proposal.file} by itself: ${blockText(blocked, proposal)}.`,
      );
    }
    if (run.settings.autoAccept && !blocked) {
      decision = { decision: 'accepted' };
      auto = true;
    } else {
      const { signal } = run.settings;
      decision = await run.host.decide(proposal, {
        change: run.change,
        iteration,
        findings,
        ...(run.settings.autoAccept && blocked ? { autoAcceptBlocked: blocked } : {}),
        ...(signal ? { signal } : {}),
      });
    }
    // A decision that arrives after Stop is not acted on.
    run.checkCancelled();
  }
  const text =
    decision.decision === 'acceptedEdited' && decision.text !== undefined ? decision.text : proposal.proposedText;
  const appliedHash = decision.decision === 'rejected' ? undefined : sha256(text);
  Object.assign(record, { decision: decision.decision, auto, ...(appliedHash !== undefined ? { appliedHash } : {}) });
  if (!taken) {
    await run.journal.record(iteration, 'awaitingDecision', {
      event: 'decided',
      proposalId: record.id,
      decision: decision.decision,
      auto,
      ...(appliedHash !== undefined ? { appliedHash } : {}),
      ...(decision.decision === 'acceptedEdited' && text !== proposal.proposedText ? { text } : {}),
      ...(record.blocked ? { blocked: record.blocked } : {}),
      ...(record.impact !== undefined ? { impact: record.impact } : {}),
    });
  }
  if (appliedHash === undefined) return;
  run.checkCancelled();
  run.enter(iteration, 'applying', { file: proposal.file });
  const result = await run.host.apply(proposal, text);
  record.result = result;
  await run.journal.record(iteration, 'applying', {
    event: 'applied',
    proposalId: record.id,
    file: proposal.file,
    baseHash: proposal.baseHash,
    appliedHash,
    result,
  });
  if (result === 'stale')
    run.settings.logger?.warn(`${proposal.file} changed since the proposal was made; it was not written.`);
}

function storedProposal(id: string, proposal: Proposal): StoredProposal {
  return {
    id,
    file: proposal.file,
    absolutePath: proposal.absolutePath,
    ...(proposal.requirement !== undefined ? { requirement: proposal.requirement } : {}),
    summary: proposal.summary,
    changed: proposal.changed,
    baseHash: proposal.baseHash,
    proposedHash: sha256(proposal.proposedText),
    proposedText: proposal.proposedText,
    validation: proposal.validation,
    check: proposal.check,
    model: proposal.model,
  };
}

function impactOf(proposal: Proposal): { impact?: string } {
  const warning = checkWarning(proposal.check);
  return warning ? { impact: warning } : {};
}

/** Why a proposal waits for a person, in words for the log and the CLI. */
export function blockText(blocked: NonNullable<ProposalRecord['blocked']>, proposal: Proposal): string {
  switch (blocked) {
    case 'newErrors':
      return 'it adds validation errors';
    case 'destructive':
      return `it ${checkWarning(proposal.check) || 'removes what its findings did not ask to remove'}, which the findings did not ask for`;
    case 'dirty':
      return checkWarning(proposal.check);
  }
}
