import { isLlmError } from '../ai/llmError';
import { blockingCount } from './findingGroups';
import type { LoopRun } from './loopRun';
import type { LoopOutcome, LoopReason, LoopStep } from './loopTypes';
import { errorMessage } from '../errorMessage';
import { counted } from '../counted';

export interface LoopEnding {
  readonly iteration: number;
  readonly step: Extract<LoopStep, 'done' | 'stopped' | 'failed'>;
  readonly outcome: LoopOutcome;
  readonly reason: LoopReason;
  readonly message: string;
}

/** How the loop ends, with the sentence the user sees; built from what the iterations recorded. */
export function loopEnding(run: LoopRun, iteration: number, reason: LoopReason, error?: unknown): LoopEnding {
  const last = run.iterations.at(-1);
  const previous = run.iterations.at(-2);
  const left = last ? blockingCount(last.findings) : 0;
  switch (reason) {
    case 'converged':
      return {
        iteration,
        step: 'done',
        outcome: 'converged',
        reason,
        message: `Converged after ${counted(iteration, 'iteration')}: no error or warning findings, and validation passes.`,
      };
    case 'noImprovement': {
      const before = previous ? blockingCount(previous.findings) : left;
      const message =
        `Stopped: iteration ${iteration} brought no improvement ` +
        `(${counted(left, 'error or warning finding')}, was ${before}; ${counted(last?.validation.errors ?? 0, 'validation error')}, was ${previous?.validation.errors ?? 0}).`;
      return { iteration, step: 'stopped', outcome: 'stopped', reason, message };
    }
    case 'maxIterations':
      return {
        iteration,
        step: 'stopped',
        outcome: 'stopped',
        reason,
        message: `Stopped after the maximum of ${counted(run.settings.maxIterations, 'iteration')}; the last review left ${counted(left, 'error or warning finding')}.`,
      };
    case 'timeBudget':
      return {
        iteration,
        step: 'stopped',
        outcome: 'stopped',
        reason,
        message:
          `Stopped: the time budget of ${duration(run.settings.timeBudgetMs ?? 0)} was spent in iteration ${iteration}; ` +
          `the last review left ${counted(left, 'error or warning finding')}. Resume to go on with a fresh budget.`,
      };
    case 'cancelled':
      return {
        iteration,
        step: 'stopped',
        outcome: 'stopped',
        reason,
        message: `Stopped by the user in iteration ${iteration}; every file is as of the last accepted step.`,
      };
    default:
      return {
        iteration,
        step: 'failed',
        outcome: 'failed',
        reason: 'error',
        message: `The loop failed in iteration ${iteration} while ${run.step}: ${describe(error)}`,
      };
  }
}

function describe(error: unknown): string {
  if (isLlmError(error)) return `${error.message} ${error.hint}`.trim();
  return errorMessage(error);
}

/** `90 s`, `10 min`, `1 h 30 min`: the budget as the user gave it, roughly. */
function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h${minutes % 60 > 0 ? ` ${minutes % 60} min` : ''}`;
}
