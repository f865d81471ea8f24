import type { JournalEntry } from './journalEntries';
import type { IterationRecord } from './loopTypes';

const UNKNOWN_VALIDATION = { valid: false, errors: 0, warnings: 0 };

/** The iteration records a run's journal entries describe, as the orchestrator kept them while running. */
export function rebuildIterations(entries: readonly JournalEntry[]): IterationRecord[] {
  const iterations: IterationRecord[] = [];
  const at = (iteration: number): IterationRecord => {
    let record = iterations.find((candidate) => candidate.iteration === iteration);
    if (!record) {
      record = {
        iteration,
        findings: { error: 0, warning: 0, info: 0 },
        validation: UNKNOWN_VALIDATION,
        proposals: [],
      };
      iterations.push(record);
    }
    return record;
  };
  for (const entry of entries) {
    switch (entry.event) {
      case 'reviewed':
        at(entry.iteration).findings = entry.findings;
        break;
      case 'validated':
        if (entry.step === 'validating') at(entry.iteration).validationAfter = entry.validation;
        else at(entry.iteration).validation = entry.validation;
        break;
      case 'proposed': {
        const { proposal } = entry;
        at(entry.iteration).proposals.push({
          id: proposal.id,
          file: proposal.file,
          ...(proposal.requirement !== undefined ? { requirement: proposal.requirement } : {}),
          summary: proposal.summary,
          baseHash: proposal.baseHash,
          proposedHash: proposal.proposedHash,
          newErrors: proposal.validation.newErrors.length,
          ...(proposal.changed ? {} : { decision: 'unchanged' as const }),
        });
        break;
      }
      case 'decided': {
        const record = at(entry.iteration).proposals.find((candidate) => candidate.id === entry.proposalId);
        if (record)
          Object.assign(record, {
            decision: entry.decision,
            auto: entry.auto,
            ...(entry.appliedHash !== undefined ? { appliedHash: entry.appliedHash } : {}),
          });
        break;
      }
      case 'applied': {
        const record = at(entry.iteration).proposals.find((candidate) => candidate.id === entry.proposalId);
        if (record) record.result = entry.result;
        break;
      }
      default:
        break;
    }
  }
  return iterations.sort((a, b) => a.iteration - b.iteration);
}
