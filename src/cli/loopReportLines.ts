import type { IterationRecord, ValidationSummary } from '../core/loop/loopTypes';
import { counted } from '../core/counted';

/**
 * One line per iteration, e.g.
 * `iteration 2: 1 error, 2 warnings; validation failed (1 error); 1 proposal accepted, 0 rejected`,
 * with stale and unchanged proposals and the validation after the accepted edits when there is something to say.
 */
export function iterationLine(record: IterationRecord): string {
  const { findings } = record;
  const found = [
    counted(findings.error, 'error'),
    counted(findings.warning, 'warning'),
    ...(findings.info > 0 ? [`${findings.info} info`] : []),
  ].join(', ');
  const count = (test: (decision: string | undefined) => boolean) =>
    record.proposals.filter((proposal) => test(proposal.decision)).length;
  const accepted = count((decision) => decision === 'accepted' || decision === 'acceptedEdited');
  const decisions = [
    `${counted(accepted, 'proposal')} accepted`,
    `${count((decision) => decision === 'rejected')} rejected`,
  ];
  const stale = record.proposals.filter((proposal) => proposal.result === 'stale').length;
  if (stale > 0) decisions.push(`${stale} not written (file changed)`);
  const unchanged = count((decision) => decision === 'unchanged');
  if (unchanged > 0) decisions.push(`${unchanged} unchanged`);
  // A proposal auto-accept refused is named with what it would have done, so nobody wonders why nothing was written.
  for (const proposal of record.proposals) {
    if (proposal.blocked && proposal.blocked !== 'newErrors' && proposal.impact)
      decisions.push(`not accepting ${proposal.file}: it ${proposal.impact}`);
  }
  const parts = [found, validationText(record.validation)];
  if (record.proposals.length > 0) parts.push(decisions.join(', '));
  if (accepted > 0 && record.validationAfter) parts.push(`then ${validationText(record.validationAfter)}`);
  return `iteration ${record.iteration}: ${parts.join('; ')}`;
}

function validationText(validation: ValidationSummary): string {
  if (validation.valid)
    return validation.warnings > 0
      ? `validation passed (${counted(validation.warnings, 'warning')})`
      : 'validation passed';
  const issues = [
    counted(validation.errors, 'error'),
    ...(validation.warnings > 0 ? [counted(validation.warnings, 'warning')] : []),
  ];
  return `validation failed (${issues.join(', ')})`;
}
