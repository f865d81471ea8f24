import * as vscode from 'vscode';
import type { LoopReport } from '../../core/loop/loopTypes';
import { anyEvent } from '../anyEvent';
import type { AiTreeSource } from '../explorer/aiChildren';

const STATE_KEY = 'openspecLoop.loopHistory';

/** The last improvement-loop report of each change, kept in the workspace's state for the explorer. */
export class LoopHistory implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly state: vscode.Memento) {}

  last(changeId: string): LoopReport | undefined {
    return this.state.get<Record<string, LoopReport>>(STATE_KEY, {})[changeId];
  }

  async remember(report: LoopReport): Promise<void> {
    await this.state.update(STATE_KEY, { ...this.state.get<Record<string, LoopReport>>(STATE_KEY, {}), [report.change]: report });
    this.emitter.fire();
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** The explorer's AI source with each change's last loop run added. */
export function withLoopHistory(source: AiTreeSource, history: LoopHistory): AiTreeSource {
  return {
    onDidChange: anyEvent(source.onDidChange, history.onDidChange),
    findings: (folder, changeId) => source.findings(folder, changeId),
    proposals: (changeId) => source.proposals(changeId),
    loop: (changeId) => history.last(changeId),
  };
}
