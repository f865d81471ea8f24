import * as vscode from 'vscode';
import type { IterationRecord, LoopEvent, LoopReport } from '../../core/loop/loopTypes';
import { anyEvent } from '../anyEvent';
import type { AiTreeSource, RunningLoopView } from '../explorer/aiChildren';

const STATE_KEY = 'openspecLoop.loopHistory';

/** A loop running now: where it is, what it did so far, and how to stop it. */
export interface RunningLoop {
  readonly latest?: LoopEvent;
  iterations(): readonly IterationRecord[];
  stop(): void;
}

/**
 * The last improvement-loop report of each change, kept in the workspace's state for the explorer, and the
 * loops running now, so the explorer follows a run step by step and can stop it.
 */
export class LoopHistory implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly live = new Map<string, RunningLoop>();

  constructor(private readonly state: vscode.Memento) {}

  last(changeId: string): LoopReport | undefined {
    return this.state.get<Record<string, LoopReport>>(STATE_KEY, {})[changeId];
  }

  async remember(report: LoopReport): Promise<void> {
    await this.state.update(STATE_KEY, {
      ...this.state.get<Record<string, LoopReport>>(STATE_KEY, {}),
      [report.change]: report,
    });
    this.emitter.fire();
  }

  running(changeId: string): RunningLoop | undefined {
    return this.live.get(changeId);
  }

  /** Shows `loop` as the change's running loop until the returned disposable is disposed. */
  track(changeId: string, loop: RunningLoop): vscode.Disposable {
    this.live.set(changeId, loop);
    this.emitter.fire();
    return new vscode.Disposable(() => {
      if (this.live.get(changeId) !== loop) return;
      this.live.delete(changeId);
      this.emitter.fire();
    });
  }

  /** The running loop moved on: a new step, a new iteration. */
  changed(): void {
    this.emitter.fire();
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** The explorer's AI source with each change's running loop, or else its last run, added. */
export function withLoopHistory(source: AiTreeSource, history: LoopHistory): AiTreeSource {
  return {
    onDidChange: anyEvent(source.onDidChange, history.onDidChange),
    findings: (folder, changeId) => source.findings(folder, changeId),
    proposals: (folder, changeId) => source.proposals(folder, changeId),
    loop: (changeId) => history.last(changeId),
    runningLoop: (changeId): RunningLoopView | undefined => {
      const running = history.running(changeId);
      return running ? { changeId, latest: running.latest, iterations: running.iterations() } : undefined;
    },
  };
}
