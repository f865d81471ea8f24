import { parseArgs } from 'node:util';
import { loadChangeContext } from '../core/ai/prompt/changeContext';
import { reviewChangeContext } from '../core/ai/review/reviewChange';
import type { ReviewFinding } from '../core/ai/review/findingSchema';
import {
  aiOptionsHelp,
  aiParseOptions,
  changeArgument,
  cliLogger,
  connect,
  progressLine,
  parsingUsage,
  projectRoot,
  type AiCommandContext,
} from './aiCommandSupport';
import { printFailure } from './aiFailure';
import { printJson, type CliOutput } from './output';
import { findingsSummary } from '../core/ai/review/findingsSummary';

export const REVIEW_HELP = `Usage: openspec-loop review [options] <change>

Review a change with the model LM Studio serves: ambiguities, missing scenarios, contradictions, coverage gaps

Options:
${aiOptionsHelp()}

Output: one line per finding, "SEVERITY file:line [category] message", then a summary.
Exit code: 0 when the review ran (findings or not), 2 when it could not run.`;

function parseReviewArgs(args: readonly string[]) {
  return parsingUsage(() => {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: aiParseOptions,
    });
    if (values.help) return { help: true as const };
    return { help: false as const, change: changeArgument(positionals), values };
  });
}

/** `openspec-loop review <change>`: returns the exit code. */
export async function runReview(args: readonly string[], context: AiCommandContext): Promise<number> {
  const parsed = parseReviewArgs(args);
  const { output } = context;
  if (parsed.help) {
    output.out(REVIEW_HELP);
    return 0;
  }
  const { change, values } = parsed;
  const json = values.json;
  const logger = cliLogger(output, values.verbose);
  try {
    // The change is read before LM Studio is asked anything, so a mistyped id fails fast and says so.
    const changeContext = await loadChangeContext(context.fs, await projectRoot(context), change);
    const model = await connect({ baseUrl: values['base-url'], model: values.model, verbose: values.verbose }, logger);
    const progress = progressLine(context, model.id);
    const result = await reviewChangeContext(model, changeContext, {
      logger,
      ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
    }).finally(() => progress.done());
    if (json) printJson(output, { change: result.change, model: result.model, findings: result.findings });
    else printFindings(output, result.change, result.model, result.findings);
    return 0;
  } catch (error) {
    return printFailure(output, error, json);
  }
}

function printFindings(output: CliOutput, change: string, model: string, findings: readonly ReviewFinding[]): void {
  for (const finding of findings) {
    const where = finding.line !== undefined ? `${finding.file}:${finding.line}` : finding.file;
    output.out(`${finding.severity.toUpperCase()} ${where} [${finding.category}] ${finding.message}`);
    if (finding.suggestion) output.out(`  suggestion: ${finding.suggestion}`);
  }
  output.out(summaryLine(change, model, findings));
}

function summaryLine(change: string, model: string, findings: readonly ReviewFinding[]): string {
  const summary = findingsSummary(findings);
  return `Review of change ${change}: ${summary.charAt(0).toUpperCase()}${summary.slice(1)}; reviewed by ${model}.`;
}
