import { randomUUID } from 'node:crypto';
import * as nodePath from 'node:path';
import { parseArgs } from 'node:util';
import type { ChatModel } from '../core/ai/chatModel';
import { loadChangeContext } from '../core/ai/prompt/changeContext';
import type { Logger } from '../core/logger';
import { LoopOrchestrator, MAX_ITERATIONS } from '../core/loop/loopOrchestrator';
import type { LoopEvent, LoopReport } from '../core/loop/loopTypes';
import type { ResumeState } from '../core/loop/resumeState';
import { FileJournalStore } from '../node/journalFile';
import { toNative } from '../node/nodeFileSystem';
import { RunJournals, type RunLocks } from '../node/runJournals';
import {
  aiOptionsHelp,
  aiParseOptions,
  changeArgument,
  cliLogger,
  connect,
  parsingUsage,
  projectRoot,
  type AiCommandContext,
} from './aiCommandSupport';
import { AI_FAILURE_EXIT, describeFailure, printFailure } from './aiFailure';
import { CliLoopHost } from './loopHost';
import { iterationLine } from './loopReportLines';
import {
  interruptedRun,
  journalInDirectory,
  lockJournal,
  lockRunInDirectory,
  refuseIfChangeRunning,
  refuseIfJournalInUse,
  resumeLine,
  type JournalFile,
} from './loopResume';
import { printJson } from './output';
import { UsageError } from './usageError';

export const LOOP_HELP = `Usage: openspec-loop loop [options] <change>

Run the improvement loop on a change with the model LM Studio serves: review, propose an improvement for each
document with findings (most severe first), validate, and review again, until no error or warning findings are
left and validation passes, an iteration brings no improvement, or the iteration limit is reached.

Nobody is there to judge a proposal, so without --auto-accept every proposal is rejected and no file is
written: the run shows what the loop would do. With --auto-accept, proposals that add no validation errors are
written (atomically, and only if the file is unchanged since it was read); the others are rejected.
Rejected proposals are printed as unified diffs on stderr with --verbose only.

Options:
${aiOptionsHelp([
  ['--max-iterations <n>', `Review rounds at most: 1 to ${MAX_ITERATIONS} (default 5)`],
  ['--auto-accept', 'Write the proposals that add no validation errors'],
  [
    '--time-budget <time>',
    'Stop at the next step once this much time is spent: 90s, 10m, 1h (a resume gets a fresh one)',
  ],
  ['--journal <file>', 'Append every step of the run to this JSONL file (none by default)'],
  ['--journal-dir <dir>', 'Journal each run in a file of its own: <dir>/<folder-key>/<change>-<runId>.jsonl'],
  [
    '--resume',
    "Go on with the change's last run in the --journal file or the --journal-dir\n(killed, crashed, Ctrl+C or failed)",
  ],
])}

With --resume, the run goes on where it stopped, appending to the same journal under the same run id: a
proposal already written is never written again, one whose file changed since it was proposed is dropped and
the file left as it is (the next review reads it afresh), and one accepted but not yet written is written if
its file is unchanged. A line on stderr says which is which. The run keeps its own settings: --auto-accept
given again turns auto-accept on, --max-iterations given again replaces the limit. A journal may hold runs
of several changes: the change's own last run is the one resumed. A run that converged, stopped improving or
reached its limit is not resumed (exit 2); one stopped by its time budget is, with a fresh budget.

While it runs, the command holds <file>.lock next to the journal, so a second run with the same --journal
(say, a --resume in another terminal) is refused (exit 2) until the first ends; a lock left by a killed run
is taken over. With --journal-dir it also holds <change>.lock in the project's folder there, so a second run
of the same change on the same project is refused (exit 2) while runs of other changes go on in parallel;
the editor keeps its runs in the same layout in its storage.

Output: one line per iteration (findings, validation, decisions), then what ended the loop; with --json the
loop report (runId, change, outcome, reason, message, iterations).
Exit code: 0 when the loop converged, 1 when it stopped with findings left (no improvement, iteration limit,
time budget, Ctrl+C), 2 when it failed (LM Studio unreachable, unknown change, nothing to resume...). Ctrl+C stops after the
current step and leaves every file as of the last accepted proposal.`;

const loopOptions = {
  ...aiParseOptions,
  'max-iterations': { type: 'string' },
  'time-budget': { type: 'string' },
  // No default: on --resume, absent means "as the run had it".
  'auto-accept': { type: 'boolean' },
  journal: { type: 'string' },
  'journal-dir': { type: 'string' },
  resume: { type: 'boolean', default: false },
} as const;

function parseLoopArgs(args: readonly string[]) {
  return parsingUsage(() => {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: loopOptions,
    });
    if (values.help) return { help: true as const };
    const change = changeArgument(positionals);
    if (values.journal !== undefined && values['journal-dir'] !== undefined)
      throw new UsageError('give --journal <file> or --journal-dir <dir>, not both');
    if (values.resume && values.journal === undefined && values['journal-dir'] === undefined)
      throw new UsageError(
        '--resume needs --journal <file> or --journal-dir <dir>, where the run to resume was journalled',
      );
    return {
      help: false as const,
      change,
      resume: values.resume,
      maxIterations: parseMaxIterations(values['max-iterations']),
      timeBudgetMs: parseTimeBudget(values['time-budget']),
      values,
    };
  });
}

function parseMaxIterations(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_ITERATIONS)
    throw new UsageError(`--max-iterations must be a whole number from 1 to ${MAX_ITERATIONS}, not "${value}"`);
  return Number(value);
}

const TIME_UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000 };

/** `90s`, `10m`, `1.5h`; a bare number is minutes, the unit the editor's setting uses. */
function parseTimeBudget(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([smh]?)$/i.exec(value.trim());
  const ms = match ? Number(match[1]) * (TIME_UNITS[(match[2] || 'm').toLowerCase()] ?? 60_000) : NaN;
  if (!(ms >= 1000))
    throw new UsageError(`--time-budget must be a duration of at least 1s such as 90s, 10m or 1h, not "${value}"`);
  return ms;
}

type LoopArgs = Exclude<ReturnType<typeof parseLoopArgs>, { help: true }>;

/** `openspec-loop loop <change>`: returns the exit code. */
export async function runLoop(args: readonly string[], context: AiCommandContext): Promise<number> {
  const parsed = parseLoopArgs(args);
  const { output } = context;
  if (parsed.help) {
    output.out(LOOP_HELP);
    return 0;
  }
  const { change, values } = parsed;
  const failure = capturingFailures(cliLogger(output, values.verbose));
  const cwd = toNative(context.cwd);
  const journals =
    values['journal-dir'] !== undefined ? new RunJournals(nodePath.resolve(cwd, values['journal-dir'])) : undefined;
  const shown = (path: string) => nodePath.relative(cwd, path) || '.';
  let journal: JournalFile | undefined =
    values.journal !== undefined
      ? { name: values.journal, path: nodePath.resolve(cwd, values.journal), option: `--journal ${values.journal}` }
      : undefined;
  let root: string;
  let resume: ResumeState | undefined;
  let model: ChatModel;
  let lock: RunLocks | undefined;
  const runId = randomUUID();
  try {
    root = await projectRoot(context);
    // A mistyped change id, a journal in use or with nothing to resume, fails before LM Studio is asked anything.
    await loadChangeContext(context.fs, root, change);
    if (journals) {
      journal = parsed.resume
        ? await journalInDirectory(journals, root, change, shown)
        : {
            name: shown(journals.pathFor(root, change, runId)),
            path: journals.pathFor(root, change, runId),
            option: `--journal-dir ${values['journal-dir']}`,
          };
      await refuseIfChangeRunning(journals, root, change, journal);
    }
    if (journal) await refuseIfJournalInUse(journal);
    if (parsed.resume && journal) resume = await interruptedRun(context.fs, root, journal, change);
    model = await connect(
      { baseUrl: values['base-url'], model: values.model, verbose: values.verbose },
      failure.logger,
    );
    // Taken last, so a refused command leaves even a stale lock as it was.
    if (journals && journal) lock = await lockRunInDirectory(journals, root, change, journal);
    else if (journal) lock = await lockJournal(journal, parsed.resume, failure.logger);
    // Read again under the lock: another run may have gone on with the journal since the first read.
    if (parsed.resume && journal) resume = await interruptedRun(context.fs, root, journal, change);
  } catch (error) {
    await lock?.release();
    return printFailure(output, error, values.json);
  }
  try {
    return await runLocked(parsed, context, { root, model, resume, journal, runId, failure });
  } finally {
    await lock?.release();
  }
}

interface LoopSetup {
  readonly root: string;
  readonly model: ChatModel;
  readonly resume: ResumeState | undefined;
  readonly journal: JournalFile | undefined;
  /** The id of a new run (a resumed one keeps its own). */
  readonly runId: string;
  readonly failure: FailureCapture;
}

async function runLocked(
  parsed: LoopArgs,
  context: AiCommandContext,
  { root, model, resume, journal, runId, failure }: LoopSetup,
): Promise<number> {
  const { change, values } = parsed;
  const { output } = context;
  const json = values.json;
  if (resume) output.err(resumeLine(resume));
  const host = new CliLoopHost({
    writer: context.writer,
    output,
    verbose: values.verbose,
    ...(context.progress ? { progress: context.progress } : {}),
  });
  const journalStore = journal ? new FileJournalStore(journal.path) : undefined;
  const orchestrator = new LoopOrchestrator({
    model,
    fs: context.fs,
    root,
    host,
    logger: failure.logger,
    newRunId: () => runId,
    ...(journalStore ? { journalStore } : {}),
  });
  const stop = new AbortController();
  const onInterrupt = () => stop.abort();
  process.once('SIGINT', onInterrupt);
  let report: LoopReport;
  try {
    const options = {
      signal: stop.signal,
      ...(values['auto-accept'] !== undefined ? { autoAccept: values['auto-accept'] } : {}),
      ...(parsed.maxIterations !== undefined ? { maxIterations: parsed.maxIterations } : {}),
      ...(parsed.timeBudgetMs !== undefined ? { timeBudgetMs: parsed.timeBudgetMs } : {}),
    };
    report = resume ? await orchestrator.resume(resume, options) : await orchestrator.run(change, options);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    host.done();
  }
  if (json) printJson(output, report);
  else for (const record of report.iterations) output.out(iterationLine(record));
  if (report.outcome === 'failed') {
    output.err(failureLine(report, host.lastStep, failure.last));
    return AI_FAILURE_EXIT;
  }
  if (!json) output.out(report.message);
  return report.outcome === 'converged' ? 0 : 1;
}

/**
 * The loop reports a failure as a sentence written for the editor; the error itself, which the loop logs,
 * is described as the other commands describe it (hints naming the CLI's options, not the settings).
 */
function failureLine(report: LoopReport, step: LoopEvent | undefined, error: unknown): string {
  if (error === undefined || step === undefined) return `error: ${report.message}`;
  const { message, hint } = describeFailure(error);
  return `error: The loop failed in iteration ${step.iteration} while ${step.step}: ${message} ${hint}`
    .replace(/\s+/g, ' ')
    .trim();
}

interface FailureCapture {
  readonly logger: Logger;
  /** The last error the loop logged. */
  readonly last: unknown;
}

function capturingFailures(inner: Logger): FailureCapture {
  const state: { logger: Logger; last: unknown } = {
    last: undefined,
    logger: {
      ...inner,
      error: (message, error) => {
        state.last = error;
        inner.error(message, error);
      },
    },
  };
  return state;
}
