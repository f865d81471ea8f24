import { applyProposal } from '../../core/ai/improve/proposalWrite';
import type { FileWriter } from '../../core/fs/fileWriter';
import type { LoopDecision, LoopHost } from '../../core/loop/loopTypes';
import { closeProposalTabs } from '../ai/proposals/proposalDecisions';
import type { ProposalStore } from '../ai/proposals/proposalStore';
import { showProposal } from '../ai/proposals/showProposal';
import type { FeedbackMemory } from './feedbackMemory';
import { counted } from '../../core/counted';

/**
 * The loop's judge and writer in the editor: each proposal becomes a pending proposal with its diff, and the
 * loop waits for Accept or Reject from the diff, the notification or the explorer; an accepted one is written
 * as one undoable edit, only onto the text the model read.
 */
export function editorLoopHost(
  proposals: ProposalStore,
  feedback: FeedbackMemory,
  writer: FileWriter,
  report: (message: string) => void,
): LoopHost {
  return {
    async decide(proposal, context): Promise<LoopDecision> {
      const { entry, decision } = await proposals.addForDecision(context.change, proposal);
      feedback.noteFindings(entry.id, context.findings);
      report(`iteration ${context.iteration}: waiting for your decision on ${proposal.file}`);
      const cancelled = new Promise<never>((_resolve, reject) => {
        const withdraw = () => {
          void proposals.remove(entry.id);
          reject(context.signal?.reason instanceof Error ? context.signal.reason : new Error('Cancelled'));
        };
        // The loop may have been stopped while the proposal was being listed: an abort that already happened
        // fires no event.
        if (context.signal?.aborted) withdraw();
        else context.signal?.addEventListener('abort', withdraw, { once: true });
      });
      // Not awaited: the decision may come (from the explorer) before the diff has finished opening; a diff
      // that opens after its proposal was decided is closed again.
      void showProposal(entry)
        .then(() => (proposals.get(entry.id) ? undefined : closeProposalTabs(entry.id)))
        .catch(() => undefined);
      return Promise.race([decision, cancelled]);
    },
    apply: (proposal, text) => applyProposal(writer, proposal, text),
    onEvent(event) {
      const findings = event.findings
        ? ` (${counted(event.findings.error, 'error')}, ${counted(event.findings.warning, 'warning')})`
        : '';
      report(`iteration ${event.iteration}: ${event.step}${event.file ? ` ${event.file}` : ''}${findings}`);
    },
  };
}
