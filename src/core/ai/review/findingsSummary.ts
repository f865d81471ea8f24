import { counted } from '../../counted';
import type { ReviewFinding } from './findingSchema';

/** "3 findings (1 error, 2 warnings, 0 info)", or "no findings": how the editor and the CLI sum up a review. */
export function findingsSummary(findings: readonly Pick<ReviewFinding, 'severity'>[]): string {
  if (findings.length === 0) return 'no findings';
  const count = (severity: ReviewFinding['severity']) =>
    findings.filter((finding) => finding.severity === severity).length;
  return `${counted(findings.length, 'finding')} (${counted(count('error'), 'error')}, ${counted(count('warning'), 'warning')}, ${count('info')} info)`;
}
