import { InvocationOutcome } from './differentialSession';
import { isCleanDiff } from './issueMatching';
import { describeHardMismatches, describeSoftMismatches, itemAgrees } from './reportComparison';

export interface AgreementFigures {
  invocations: number;
  invocationsAgreeing: number;
  exitCodesAgreeing: number;
  referenceItems: number;
  itemsAgreeing: number;
  referenceErrorsAndWarnings: number;
  errorsAndWarningsMatched: number;
  extraErrorsAndWarnings: number;
  referenceInfo: number;
  infoMatched: number;
  extraInfo: number;
  itemsWithInfoMismatch: number;
  invocationsWithOrderDifference: number;
}

export function computeAgreement(outcomes: InvocationOutcome[]): AgreementFigures {
  const figures: AgreementFigures = {
    invocations: outcomes.length,
    invocationsAgreeing: 0,
    exitCodesAgreeing: 0,
    referenceItems: 0,
    itemsAgreeing: 0,
    referenceErrorsAndWarnings: 0,
    errorsAndWarningsMatched: 0,
    extraErrorsAndWarnings: 0,
    referenceInfo: 0,
    infoMatched: 0,
    extraInfo: 0,
    itemsWithInfoMismatch: 0,
    invocationsWithOrderDifference: 0,
  };
  for (const { reference, ours, comparison } of outcomes) {
    if (reference.exitCode === ours.exitCode) figures.exitCodesAgreeing++;
    if (describeHardMismatches(comparison).length === 0) figures.invocationsAgreeing++;
    if (comparison.orderProblem) figures.invocationsWithOrderDifference++;
    figures.referenceItems += comparison.items.length + comparison.missingItems.length;
    figures.referenceErrorsAndWarnings += comparison.referenceCounts.errorsAndWarnings;
    figures.referenceInfo += comparison.referenceCounts.info;
    for (const item of comparison.items) {
      if (itemAgrees(item)) figures.itemsAgreeing++;
      figures.errorsAndWarningsMatched += item.errorsAndWarnings.matched;
      figures.extraErrorsAndWarnings +=
        item.errorsAndWarnings.onlyOurs.length + item.errorsAndWarnings.lineDiffers.length;
      figures.infoMatched += item.info.matched;
      figures.extraInfo += item.info.onlyOurs.length + item.info.lineDiffers.length;
      if (!isCleanDiff(item.info)) figures.itemsWithInfoMismatch++;
    }
  }
  return figures;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '100.0%' : `${((100 * part) / whole).toFixed(1)}%`;
}

export function formatAgreement(figures: AgreementFigures): string[] {
  return [
    `invocations fully agreeing (exit code, envelope, items, verdicts, ERROR/WARNING): ${figures.invocationsAgreeing}/${figures.invocations} (${percent(figures.invocationsAgreeing, figures.invocations)})`,
    `exit codes agreeing: ${figures.exitCodesAgreeing}/${figures.invocations} (${percent(figures.exitCodesAgreeing, figures.invocations)})`,
    `items agreeing (verdict + ERROR/WARNING multiset): ${figures.itemsAgreeing}/${figures.referenceItems} (${percent(figures.itemsAgreeing, figures.referenceItems)})`,
    `ERROR/WARNING issues reproduced: ${figures.errorsAndWarningsMatched}/${figures.referenceErrorsAndWarnings} (${percent(figures.errorsAndWarningsMatched, figures.referenceErrorsAndWarnings)}), extra or misplaced in openspec-loop: ${figures.extraErrorsAndWarnings}`,
    `INFO issues reproduced: ${figures.infoMatched}/${figures.referenceInfo} (${percent(figures.infoMatched, figures.referenceInfo)}), extra or misplaced: ${figures.extraInfo}, items with an INFO mismatch: ${figures.itemsWithInfoMismatch}`,
    `runs listing items in a different order: ${figures.invocationsWithOrderDifference}`,
  ];
}

/** Every mismatch of the run, grouped by invocation, for the end-of-run printout. */
export function formatAllMismatches(outcomes: InvocationOutcome[]): string[] {
  const lines: string[] = [];
  for (const outcome of outcomes) {
    const hard = describeHardMismatches(outcome.comparison);
    const info = describeSoftMismatches(outcome.comparison).map((line) => `(soft) ${line}`);
    if (hard.length + info.length === 0) continue;
    lines.push(`${outcome.workspace} :: ${outcome.invocation.label}`);
    lines.push(...[...hard, ...info].map((line) => `    ${line}`));
  }
  return lines;
}
