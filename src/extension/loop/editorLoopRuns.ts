import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import * as vscode from 'vscode';
import type { ChatModel } from '../../core/ai/chatModel';
import type { FileWriter } from '../../core/fs/fileWriter';
import type { Logger } from '../../core/logger';
import type { LoopOptions, LoopOrchestrator } from '../../core/loop/loopOrchestrator';
import type { IterationRecord, LoopEvent, LoopReport } from '../../core/loop/loopTypes';
import { describeRunningLoop, type LoopClaim, type RunningLoop } from '../../core/loop/runningLoops';
import { FileJournalStore } from '../../node/journalFile';
import type { RunJournals, RunLocksRefused } from '../../node/runJournals';
import type { AiOutcome, AiRunContext, AiRunner } from '../ai/aiRunner';
import type { ProposalStore } from '../ai/proposals/proposalStore';
import { inBackground } from '../background';
import type { FolderModel } from '../model/openSpecModels';
import { editorLoopHost } from './editorLoopHost';
import type { FeedbackMemory } from './feedbackMemory';
import type { LoopHistory } from './loopHistory';
import { recheckRun, type InterruptedRun } from './resumeOffer';

/** What Run Improvement Loop and Resume answer: the runner's outcome, or why no run was started. */
export type LoopCommandResult =
  | AiOutcome<LoopReport>
  | { readonly ok: false; readonly reason: 'alreadyRunning' | 'notResumable'; readonly message: string };

export interface EditorLoopDeps {
  readonly logger: Logger;
  /** Accepted proposals are written through it. */
  readonly writer: FileWriter;
  readonly runner: AiRunner;
  readonly proposals: ProposalStore;
  readonly feedback: FeedbackMemory;
  readonly history: LoopHistory;
  readonly journals: RunJournals;
  /** The loop settings a new run starts with; a resumed run keeps its own. */
  readonly settings: () => Required<Pick<LoopOptions, 'maxIterations' | 'autoAccept'>>;
  /** Read at each start, so a resume gets a fresh budget of the current setting. */
  readonly timeBudget: () => Pick<LoopOptions, 'timeBudgetMs'>;
}

/** Why no run was started or resumed: a sentence for the user. */
interface Refused {
  readonly refused: string;
  readonly reason: 'alreadyRunning' | 'notResumable';
}

/** One editor run as the explorer and Stop see it; each attempt (Retry after a failure) gets a fresh stop. */
class EditorRun implements RunningLoop {
  readonly startedBy = 'editor' as const;
  latest: LoopEvent | undefined;
  orchestrator: LoopOrchestrator | undefined;
  stopper = new AbortController();

  constructor(
    readonly root: string,
    readonly change: string,
  ) {}

  iterations(): readonly IterationRecord[] {
    return this.orchestrator?.iterations ?? [];
  }

  stop(): void {
    this.stopper.abort(new Error('Stopped by the user'));
  }
}

/**
 * The editor's improvement-loop runs: one per change per folder (a second start is refused and points at the
 * first), each with a journal of its own held under its locks, and resumes that read the journal and the
 * files again at the moment they start.
 */
export class EditorLoopRuns {
  constructor(private readonly deps: EditorLoopDeps) {}

  /** Starts a new run of `changeId` in `folder`, unless one is going. */
  async start(folder: FolderModel, changeId: string): Promise<LoopCommandResult> {
    return this.guarded(folder, changeId, `Improvement loop on ${changeId}`, async (make, signal) => {
      const runId = randomUUID();
      const journalPath = this.deps.journals.pathFor(folder.root, changeId, runId);
      return this.underLocks(folder, changeId, journalPath, () =>
        make(journalPath, runId).run(changeId, {
          ...this.deps.settings(),
          ...this.deps.timeBudget(),
          ...this.common(folder, signal),
        }),
      );
    });
  }

  /**
   * Resumes an interrupted run, re-reading its journal and the files now: a run that finished, was superseded or
   * is being run by another window or the CLI since it was offered is not resumed, and the user is told why.
   */
  async resume(offered: InterruptedRun): Promise<LoopCommandResult> {
    const { folder, run, journalPath } = offered;
    // A first look before LM Studio is asked anything, so a run that cannot be resumed says so at once.
    const running = this.deps.history.runs.get(folder.root, run.change);
    if (running) return refusal(this.refuse(folder, running));
    const holder = await this.deps.journals.changeHolder(folder.root, run.change);
    if (holder)
      return refusal(
        this.tell({
          refused: heldElsewhere(folder, run.change, { heldBy: holder, what: 'change' }),
          reason: 'alreadyRunning',
        }),
      );
    const early = await recheckRun(this.deps.journals, offered);
    if (typeof early === 'string') return refusal(this.tell({ refused: early, reason: 'notResumable' }));
    return this.guarded(folder, run.change, `Improvement loop on ${run.change} (resumed)`, (make, signal) =>
      this.underLocks(folder, run.change, journalPath, async () => {
        // Under the locks: what another window or the CLI did with the run meanwhile is in the journal now.
        const state = await recheckRun(this.deps.journals, offered);
        if (typeof state === 'string') return { refused: state, reason: 'notResumable' };
        return make(journalPath).resume(state, { ...this.deps.timeBudget(), ...this.common(folder, signal) });
      }),
    );
  }

  /** The running loop of `changeId` in `folder`, stopped; false when none runs. */
  stop(root: string, changeId: string): boolean {
    const running = this.deps.history.runs.get(root, changeId);
    running?.stop();
    return running !== undefined;
  }

  private common(folder: FolderModel, signal: AbortSignal): Pick<LoopOptions, 'signal' | 'lessons'> {
    return { signal, lessons: this.deps.feedback.lessons(folder) };
  }

  /**
   * Runs `body` as the change's one run in this window: refused at once when another runs, and claimed again by
   * an attempt the runner's Retry starts later. `make` builds the run's orchestrator on its journal.
   */
  private async guarded(
    folder: FolderModel,
    changeId: string,
    title: string,
    body: (
      make: (journalPath: string, runId?: string) => LoopOrchestrator,
      signal: AbortSignal,
    ) => Promise<LoopReport | Refused>,
  ): Promise<LoopCommandResult> {
    const { history, runner } = this.deps;
    const run = new EditorRun(folder.root, changeId);
    let claim: LoopClaim | undefined;
    const take = (): RunningLoop | undefined => {
      const claimed = history.runs.claim(run);
      if ('running' in claimed) return claimed.running;
      claim = claimed;
      return undefined;
    };
    const other = take();
    if (other) return refusal(this.refuse(folder, other));
    const outcome = await runner.run<LoopReport | Refused>({
      title,
      key: `loop:${folder.root}:${changeId}`,
      // Told here rather than after `runner.run`, so an attempt the runner's Retry starts is told too.
      run: async (model, context) => {
        const again = claim ? undefined : take();
        if (again) return this.refuse(folder, again);
        run.stopper = new AbortController();
        let value: LoopReport | Refused;
        try {
          value = await body(
            (journalPath, runId) => {
              const moved = () => claim?.changed();
              run.orchestrator = this.orchestrator(folder, { model, context, run, moved, journalPath, runId });
              return run.orchestrator;
            },
            AbortSignal.any([context.signal, run.stopper.signal]),
          );
        } finally {
          claim?.release();
          claim = undefined;
        }
        if ('refused' in value) this.tell(value);
        else await this.finish(folder, value);
        return value;
      },
    });
    // The runner never called `run` (LM Studio unreachable): the claim is still ours.
    claim?.release();
    if (!outcome.ok) return outcome;
    const value = outcome.value;
    return 'refused' in value ? refusal(value) : { ok: true, value };
  }

  private orchestrator(
    folder: FolderModel,
    {
      model,
      context,
      run,
      moved,
      journalPath,
      runId,
    }: {
      model: ChatModel;
      context: AiRunContext;
      run: EditorRun;
      /** The run entered a step: the explorer follows it. */
      moved: () => void;
      journalPath: string;
      runId: string | undefined;
    },
  ): LoopOrchestrator {
    const host = editorLoopHost(this.deps.proposals, this.deps.feedback, this.deps.writer, context.report);
    return new (orchestratorModule().LoopOrchestrator)({
      model,
      fs: folder.fs,
      root: folder.root,
      host: {
        ...host,
        onEvent: (event) => {
          host.onEvent?.(event);
          run.latest = event;
          moved();
        },
      },
      journalStore: new FileJournalStore(journalPath),
      logger: this.deps.logger,
      ...(runId !== undefined ? { newRunId: () => runId } : {}),
    });
  }

  /** Runs `body` holding the change's and the journal's locks, which another window or the CLI may hold instead. */
  private async underLocks(
    folder: FolderModel,
    changeId: string,
    journalPath: string,
    body: () => Promise<LoopReport | Refused>,
  ): Promise<LoopReport | Refused> {
    const locks = await this.deps.journals.lockRun(folder.root, changeId, journalPath);
    if ('heldBy' in locks) return { refused: heldElsewhere(folder, changeId, locks), reason: 'alreadyRunning' };
    try {
      return await body();
    } finally {
      await locks.release();
    }
  }

  private async finish(folder: FolderModel, report: LoopReport): Promise<void> {
    await this.deps.history.remember(folder.root, report);
    const show =
      report.outcome === 'converged' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    void show(`Improvement loop on ${report.change}: ${report.message}`);
  }

  /** A second start on a change that has a run going: said once, with the way to the running one. */
  private refuse(folder: FolderModel, running: RunningLoop): Refused {
    const message = alreadyRunning(folder, running);
    this.deps.logger.info(message);
    inBackground(this.deps.logger, `the choice on the running loop of ${running.change}`, async () => {
      const choice = await vscode.window.showWarningMessage(message, 'Show', 'Stop');
      if (choice === 'Stop') this.stop(running.root, running.change);
      if (choice === 'Show')
        await vscode.commands.executeCommand('openspecLoop.revealChange', {
          changeId: running.change,
          folder: running.root,
        });
    });
    return { refused: message, reason: 'alreadyRunning' };
  }

  /** Says why a run was not started or resumed. */
  private tell(refused: Refused): Refused {
    this.deps.logger.info(refused.refused);
    void vscode.window.showWarningMessage(refused.refused);
    return refused;
  }
}

/** A refusal as the command answers it. */
function refusal({ refused, reason }: Refused): LoopCommandResult {
  return { ok: false, reason, message: refused };
}

function alreadyRunning(folder: FolderModel, running: RunningLoop): string {
  return `An improvement loop is already running on ${running.change} in ${folder.folder.name} (${describeRunningLoop(running)}): it was not started again. Show it, or stop it first.`;
}

function heldElsewhere(folder: FolderModel, changeId: string, { heldBy, what }: RunLocksRefused): string {
  const who = `process ${heldBy.pid}${heldBy.host === hostname() ? '' : ` on ${heldBy.host}`}, since ${heldBy.startedAt}`;
  const doing = what === 'change' ? `runs the improvement loop on ${changeId}` : `uses the journal of this run`;
  return `Another window or an openspec-loop command (${who}) ${doing} in ${folder.folder.name}: it is not run twice. Wait for it to end.`;
}

/* eslint-disable @typescript-eslint/no-require-imports */
/** Loaded when the first loop starts, not with the extension: it brings the review and improvement engines along. */
const orchestratorModule = (): typeof import('../../core/loop/loopOrchestrator') =>
  require('../../core/loop/loopOrchestrator') as typeof import('../../core/loop/loopOrchestrator');
/* eslint-enable @typescript-eslint/no-require-imports */
