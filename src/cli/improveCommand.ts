import { posix as path } from 'node:path';
import { parseArgs } from 'node:util';
import { improveInContext, type Proposal } from '../core/ai/improve/improveDocument';
import { ImproveTargetError, resolveImproveTarget } from '../core/ai/improve/improveTarget';
import { loadChangeContext, type ChangeContext } from '../core/ai/prompt/changeContext';
import { findRequirement } from '../core/ai/review/anchorFindings';
import { checkWarning, impactJson, needsConfirmation } from '../core/ai/improve/proposalCheck';
import { writeProposal } from '../core/ai/improve/proposalWrite';
import { unifiedDiff } from '../core/ai/improve/unifiedDiff';
import type { FileSystem } from '../core/fs/fileSystem';
import type { FileWriter } from '../core/fs/fileWriter';
import type { ValidationIssue } from '../core/validation/types';
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
import { CommandRefusal, printFailure } from './aiFailure';
import { printJson, type CliOutput } from './output';
import { UsageError } from './usageError';

export const IMPROVE_HELP = `Usage: openspec-loop improve [options] <change> --file <path>

Ask the model LM Studio serves for a better version of one document of a change (or one requirement of it),
and print it as a unified diff. Nothing is written without --write.

Options:
${aiOptionsHelp([
  ['--file <path>', 'The document: relative to the working directory, the project or the change folder'],
  ['--requirement <name>', 'Rewrite only this requirement; the rest of the file stays byte for byte'],
  ['--write', 'Write the proposal, if the file is unchanged since it was read'],
  [
    '--force',
    'With --write: write even when the proposal adds validation errors or removes what\nno finding asked to remove (sections, tasks, requirements), ticks tasks, or still\ncarries text that is no part of the document',
  ],
])}

Exit code: 0 when a proposal was made (and written, with --write), 2 otherwise.`;

const improveOptions = {
  ...aiParseOptions,
  file: { type: 'string' },
  requirement: { type: 'string' },
  write: { type: 'boolean', default: false },
  force: { type: 'boolean', default: false },
} as const;

function parseImproveArgs(args: readonly string[]) {
  return parsingUsage(() => {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: improveOptions,
    });
    if (values.help) return { help: true as const };
    const change = changeArgument(positionals);
    if (values.file === undefined) throw new UsageError("required option '--file <path>' not specified");
    return { help: false as const, change, file: values.file, values };
  });
}

/** `openspec-loop improve <change> --file <path>`: returns the exit code. */
export async function runImprove(args: readonly string[], context: AiCommandContext): Promise<number> {
  const parsed = parseImproveArgs(args);
  const { output } = context;
  if (parsed.help) {
    output.out(IMPROVE_HELP);
    return 0;
  }
  const { change, values } = parsed;
  const json = values.json;
  const logger = cliLogger(output, values.verbose);
  try {
    const root = await projectRoot(context);
    const changeContext = await loadChangeContext(context.fs, root, change);
    const request = {
      changeId: change,
      file: await targetPath(context.fs, context.cwd, root, parsed.file),
      ...(values.requirement !== undefined ? { requirement: values.requirement } : {}),
    };
    await checkTarget(context, changeContext, request.file, request.requirement);
    const model = await connect({ baseUrl: values['base-url'], model: values.model, verbose: values.verbose }, logger);
    const progress = progressLine(context, model.id);
    const proposal = await improveInContext(model, context.fs, changeContext, request, {
      logger,
      ...(progress.onProgress ? { onProgress: progress.onProgress } : {}),
    }).finally(() => progress.done());
    const diff = proposal.changed ? unifiedDiff(proposal.baseText, proposal.proposedText, proposal.file) : '';
    if (values.write && proposal.changed) {
      if (!json) printProposal(output, proposal, diff);
      refuseNewErrors(proposal.validation.newErrors, values.force);
      refuseDestructive(proposal, values.force);
      await writeProposalOrRefuse(context.writer, proposal);
      if (json) printJson(output, { ...proposalJson(change, proposal, diff), written: true });
      else output.out(`Wrote ${proposal.file}.`);
      return 0;
    }
    if (json)
      printJson(output, { ...proposalJson(change, proposal, diff), ...(values.write ? { written: false } : {}) });
    else printProposal(output, proposal, diff);
    return 0;
  } catch (error) {
    return printFailure(output, error, json);
  }
}

/**
 * Writes the proposal over its file only while the file still holds the text the model read (an edit saved while
 * the model was answering is never overwritten), or creates the file it proposes only while nothing is there.
 */
async function writeProposalOrRefuse(writer: FileWriter, proposal: Proposal): Promise<void> {
  const outcome = await writeProposal(writer, proposal, proposal.proposedText);
  const again = 'Run the command again on the current text.';
  switch (outcome.kind) {
    case 'written':
    case 'unchanged':
      return;
    case 'stale':
      throw new CommandRefusal(
        'fileChanged',
        `${proposal.file}: file changed since it was read; nothing written.`,
        again,
      );
    case 'exists':
      throw new CommandRefusal(
        'fileChanged',
        `${proposal.file} was created since it was read; nothing written.`,
        again,
      );
    case 'missing':
      throw new CommandRefusal('fileChanged', `${proposal.file} is no longer there; nothing written.`, again);
    case 'refused':
      throw new CommandRefusal('writeFailed', `Could not write ${proposal.file}: ${outcome.reason}; nothing written.`);
  }
}

/**
 * The core resolves paths against the project and the change folder; a path the user typed relative to where
 * they stand is rebased on the project first when it names a file there, so messages show it project-relative.
 */
async function targetPath(fs: FileSystem, cwd: string, root: string, file: string): Promise<string> {
  if (path.isAbsolute(file)) return file;
  const fromCwd = path.join(cwd, file);
  if ((await fs.stat(fromCwd)) === undefined) return file;
  const relative = path.relative(root, fromCwd);
  return relative.startsWith('..') ? fromCwd : relative;
}

/** A wrong change, file or requirement fails before LM Studio is asked anything. */
async function checkTarget(
  context: AiCommandContext,
  changeContext: ChangeContext,
  file: string,
  requirement: string | undefined,
): Promise<void> {
  const target = await resolveImproveTarget(context.fs, changeContext, file);
  if (requirement !== undefined && !findRequirement(target.requirements, requirement)) {
    throw new ImproveTargetError(`${target.file} has no requirement "${requirement}".`);
  }
}

function refuseNewErrors(newErrors: readonly ValidationIssue[], force: boolean): void {
  const [first] = newErrors;
  if (!first || force) return;
  const more = newErrors.length > 1 ? ` (and ${newErrors.length - 1} more)` : '';
  throw new CommandRefusal(
    'newValidationErrors',
    `the proposal adds validation errors, first: ${issueText(first)}${more}; nothing written.`,
    'Review the diff and pass --force to write it anyway.',
  );
}

/** A proposal nobody asked to be destructive is written only with --force, like one adding validation errors. */
function refuseDestructive(proposal: Proposal, force: boolean): void {
  if (force || !needsConfirmation(proposal.check)) return;
  throw new CommandRefusal(
    'destructiveProposal',
    `the proposal ${checkWarning(proposal.check)}; nothing written.`,
    'Review the diff and pass --force to write it anyway.',
  );
}

function proposalJson(change: string, proposal: Proposal, diff: string) {
  return {
    change,
    file: proposal.file,
    model: proposal.model,
    summary: proposal.summary,
    changed: proposal.changed,
    newErrors: proposal.validation.newErrors,
    impact: impactJson(proposal.check),
    diff,
  };
}

function printProposal(output: CliOutput, proposal: Proposal, diff: string): void {
  if (proposal.summary) output.out(proposal.summary);
  if (!proposal.changed) {
    output.out(`${proposal.file}: no change proposed.`);
    return;
  }
  for (const issue of proposal.validation.newErrors) output.out(`New validation error: ${issueText(issue)}`);
  const warning = checkWarning(proposal.check);
  if (warning) output.out(`Warning: the proposal ${warning}.`);
  output.out('');
  output.out(diff.replace(/\n$/, ''));
}

function issueText(issue: ValidationIssue): string {
  return `${issue.path}${issue.line !== undefined ? `:${issue.line}` : ''}: ${issue.message}`;
}
