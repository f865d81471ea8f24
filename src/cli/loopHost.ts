import type { Proposal } from '../core/ai/improve/improveDocument';
import { applyProposal } from '../core/ai/improve/proposalWrite';
import { unifiedDiff } from '../core/ai/improve/unifiedDiff';
import { blockText } from '../core/loop/proposalStep';
import type { FileWriter } from '../core/fs/fileWriter';
import type { DecisionContext, LoopDecision, LoopEvent, LoopHost } from '../core/loop/loopTypes';
import type { CliOutput } from './output';
import { counted } from '../core/counted';

export interface CliLoopHostOptions {
  readonly writer: FileWriter;
  readonly output: CliOutput;
  /** Print each proposal the CLI rejects, as a unified diff, to stderr. */
  readonly verbose: boolean;
  /** The live step on an interactive terminal. */
  readonly progress?: (fragment: string) => void;
}

/**
 * The loop's host on the command line, where nobody is there to judge a proposal: every proposal the loop asks
 * about (all of them without --auto-accept, those adding validation errors with it) is rejected, so nothing
 * unreviewed is written. Accepted proposals are written atomically, and only over the text they were made from.
 */
export class CliLoopHost implements LoopHost {
  /** The last step the loop entered before it ended, to say where a failure happened. */
  lastStep: LoopEvent | undefined;

  constructor(private readonly options: CliLoopHostOptions) {}

  decide(proposal: Proposal, context: DecisionContext): Promise<LoopDecision> {
    const { output, verbose } = this.options;
    if (verbose) {
      const why = context.autoAcceptBlocked ? blockText(context.autoAcceptBlocked, proposal) : 'no --auto-accept';
      output.err(`[info] iteration ${context.iteration}: rejected the proposal for ${proposal.file} (${why}):`);
      output.err(unifiedDiff(proposal.baseText, proposal.proposedText, proposal.file).replace(/\n$/, ''));
    }
    return Promise.resolve({ decision: 'rejected' });
  }

  apply(proposal: Proposal, text: string): Promise<'applied' | 'stale'> {
    return applyProposal(this.options.writer, proposal, text);
  }

  onEvent(event: LoopEvent): void {
    if (event.step === 'done' || event.step === 'stopped' || event.step === 'failed') return;
    this.lastStep = event;
    const { progress, output, verbose } = this.options;
    const line = `iteration ${event.iteration}: ${event.step}${event.file !== undefined ? ` ${event.file}` : ''}`;
    if (verbose) output.err(`[debug] ${line}${eventDetail(event)}`);
    else progress?.(`\r\x1b[K${line}`);
  }

  /** Ends the live step line so the report starts clean. */
  done(): void {
    if (!this.options.verbose) this.options.progress?.('\r\x1b[K');
  }
}

function eventDetail(event: LoopEvent): string {
  const parts: string[] = [];
  if (event.findings)
    parts.push(
      `findings ${counted(event.findings.error, 'error')}, ${counted(event.findings.warning, 'warning')}, ${event.findings.info} info`,
    );
  if (event.validation)
    parts.push(
      `validation ${event.validation.valid ? 'passes' : 'fails'} (${counted(event.validation.errors, 'error')}, ${counted(event.validation.warnings, 'warning')})`,
    );
  if (event.message !== undefined) parts.push(event.message);
  return parts.length > 0 ? `: ${parts.join('; ')}` : '';
}
