import type { LoopDecision, LoopHost } from '../../core/loop/loopTypes';
import { applyProposalText } from '../ai/proposals/proposalDecisions';
import type { ProposalStore } from '../ai/proposals/proposalStore';
import { showProposal } from '../ai/proposals/showProposal';
import type { FeedbackMemory } from './feedbackMemory';

/**
 * The loop's judge and writer in the editor: each proposal becomes a pending proposal with its diff, and the
 * loop waits for Accept or Reject from the diff, the notification or the explorer; an accepted one is written
 * as one undoable edit, only onto the text the model read.
 */
export function editorLoopHost(proposals: ProposalStore, feedback: FeedbackMemory, report: (message: string) => void): LoopHost {
  return {
    async decide(proposal, context): Promise<LoopDecision> {
      // Listen before the proposal is listed: an Accept may come as soon as it shows in the explorer.
      const decisions = new Map<string, LoopDecision>();
      let settle: ((decision: LoopDecision) => void) | undefined;
      let waitingFor: string | undefined;
      const subscription = proposals.onDidDecide(({ entry, decision }) => {
        if (entry.id === waitingFor) settle?.({ decision });
        else decisions.set(entry.id, { decision });
      });
      try {
        const entry = await proposals.add(context.change, proposal, true);
        feedback.noteCategories(entry.id, context.findings.map((finding) => finding.category));
        report(`iteration ${context.iteration}: waiting for your decision on ${proposal.file}`);
        const decided = new Promise<LoopDecision>((resolve, reject) => {
          const early = decisions.get(entry.id);
          if (early) return resolve(early);
          waitingFor = entry.id;
          settle = resolve;
          context.signal?.addEventListener('abort', () => {
            void proposals.remove(entry.id);
            reject(context.signal?.reason instanceof Error ? context.signal.reason : new Error('Cancelled'));
          });
        });
        // Not awaited: the decision may come (from the explorer) before the diff has finished opening.
        void showProposal(entry).catch(() => undefined);
        return await decided;
      } finally {
        subscription.dispose();
      }
    },
    async apply(proposal, text) {
      const result = await applyProposalText(proposal, text);
      if (result === 'failed') throw new Error(`The edit of ${proposal.file} was not applied`);
      return result;
    },
    onEvent(event) {
      const findings = event.findings ? ` (${event.findings.error} errors, ${event.findings.warning} warnings)` : '';
      report(`iteration ${event.iteration}: ${event.step}${event.file ? ` ${event.file}` : ''}${findings}`);
    },
  };
}
