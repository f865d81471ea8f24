import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';

/**
 * What runs only once AI is used: LM Studio's status checks and the MCP servers the user configured. A window in
 * which nobody reviews or improves with AI makes no request to LM Studio and spawns no server. The first use is an
 * AI command (review, improve, the loop, Select Model, an agent's AI tool), or opening the MCP Servers view.
 * Never in Restricted Mode: the commands refuse before they get here, and `start` does nothing there.
 */
export class FirstAiUse implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  private firstUse: string | undefined;

  constructor(private readonly logger: Logger) {}

  get started(): boolean {
    return this.firstUse !== undefined;
  }

  /** `what` names the first use in the log ("Reviewing add-tags with AI", "the MCP Servers view opened"). */
  start(what: string): void {
    if (this.firstUse !== undefined || !vscode.workspace.isTrusted) return;
    this.firstUse = what;
    this.logger.info(`First AI use (${what}): LM Studio's status is checked and the configured MCP servers start.`);
    this.emitter.fire();
  }

  /** Runs `begin` at the first AI use, or now if AI was used already. */
  onStart(begin: () => void): vscode.Disposable {
    if (this.started) {
      begin();
      return new vscode.Disposable(() => undefined);
    }
    const subscription = this.emitter.event(() => {
      subscription.dispose();
      begin();
    });
    return subscription;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
