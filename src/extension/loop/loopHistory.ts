import * as vscode from 'vscode';
import type { LoopReport } from '../../core/loop/loopTypes';
import { loopRunKey, RunningLoops } from '../../core/loop/runningLoops';
import { anyEvent } from '../anyEvent';
import type { AiTreeSource, RunningLoopView } from '../explorer/aiChildren';

const STATE_KEY = 'openspecLoop.loopHistory';

/**
 * The last improvement-loop report of each change of each folder, kept in the workspace's state for the
 * explorer, and the loops running now (the editor's and the in-window MCP server's), so the explorer follows
 * each run step by step and can stop the right one.
 */
export class LoopHistory implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  /** One run per change per folder, in this window. */
  readonly runs = new RunningLoops(() => this.emitter.fire());

  constructor(private readonly state: vscode.Memento) {}

  last(root: string, changeId: string): LoopReport | undefined {
    const reports = this.state.get<Record<string, LoopReport>>(STATE_KEY, {});
    // Reports kept before they were keyed by folder are keyed by the change id alone.
    return reports[loopRunKey(root, changeId)] ?? reports[changeId];
  }

  async remember(root: string, report: LoopReport): Promise<void> {
    await this.state.update(STATE_KEY, {
      ...this.state.get<Record<string, LoopReport>>(STATE_KEY, {}),
      [loopRunKey(root, report.change)]: report,
    });
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
    loop: (folder, changeId) => history.last(folder.root, changeId),
    runningLoop: (folder, changeId): RunningLoopView | undefined => {
      const running = history.runs.get(folder.root, changeId);
      return running ? { changeId, latest: running.latest, iterations: running.iterations() } : undefined;
    },
  };
}
