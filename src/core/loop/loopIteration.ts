import { posix as path } from 'node:path';
import { sha256 } from '../hash';
import { loadChangeContext, type ChangeContext } from '../ai/prompt/changeContext';
import { reviewChangeContext } from '../ai/review/reviewChange';
import { validateChange, validationImproved } from './changeValidation';
import {
  blockingCount,
  countFindings,
  groupBySeverity,
  validationFindings,
  withValidationFindings,
} from './findingGroups';
import { loopEnding, type LoopEnding } from './loopEnding';
import type { LoopRun } from './loopRun';
import type { IterationRecord } from './loopTypes';
import { proposeForGroup } from './proposalStep';

/**
 * One iteration: review and validate; end when nothing is left or nothing got better than the previous
 * iteration; otherwise propose for each document with findings, most severe first, and validate the result.
 * Returns the ending, or undefined to go on.
 */
export async function runIteration(run: LoopRun, iteration: number): Promise<LoopEnding | undefined> {
  run.checkCancelled();
  run.enter(iteration, 'reviewing');
  const { signal, logger, lessons } = run.settings;
  const context = await loadChangeContext(run.fs, run.root, run.change);
  const review = await reviewChangeContext(run.model, context, {
    lessons,
    ...(signal ? { signal } : {}),
    ...(logger ? { logger } : {}),
  });
  const findings = countFindings(review.findings);
  await run.journal.record(iteration, 'reviewing', { event: 'reviewed', findings, read: documentHashes(context) });
  const validation = await validateChange(run.fs, run.root, run.change);
  await run.journal.record(iteration, 'reviewing', { event: 'validated', validation: validation.summary });
  const record: IterationRecord = { iteration, findings, validation: validation.summary, proposals: [] };
  run.iterations.push(record);
  run.enter(iteration, 'reviewing', { findings, validation: validation.summary });

  if (blockingCount(findings) === 0 && validation.summary.valid) return loopEnding(run, iteration, 'converged');
  const previous = run.iterations.at(-2);
  if (previous && !improvedOn(previous, record)) return loopEnding(run, iteration, 'noImprovement');

  const groups = groupBySeverity(
    withValidationFindings(review.findings, validationFindings(run.change, validation.issues)),
  );
  for (const group of groups) {
    if (run.budgetSpent()) {
      await validateAfterEdits(run, record);
      return loopEnding(run, iteration, 'timeBudget');
    }
    await proposeForGroup(run, record, group);
  }
  await validateAfterEdits(run, record);
  return undefined;
}

export async function validateAfterEdits(run: LoopRun, record: IterationRecord): Promise<void> {
  run.checkCancelled();
  run.enter(record.iteration, 'validating');
  const validation = await validateChange(run.fs, run.root, run.change);
  record.validationAfter = validation.summary;
  await run.journal.record(record.iteration, 'validating', { event: 'validated', validation: validation.summary });
  run.enter(record.iteration, 'validating', { validation: validation.summary });
}

/** Fewer error and warning findings, or a better validation result, than the iteration before. */
function improvedOn(previous: IterationRecord, current: IterationRecord): boolean {
  return (
    blockingCount(current.findings) < blockingCount(previous.findings) ||
    validationImproved(previous.validation, current.validation)
  );
}

/** Hashes of the change documents the review read, by workspace-relative path. */
function documentHashes(context: ChangeContext): Record<string, string> {
  const { proposal, design, tasks, deltas } = context.change;
  const documents = [proposal, design, tasks, ...deltas].filter((document) => document !== undefined);
  return Object.fromEntries(
    documents.map((document) => [path.relative(context.root, document.path), sha256(document.text)]),
  );
}
