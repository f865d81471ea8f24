import * as vscode from 'vscode';
import type { ChatModel, GenerationProgress } from '../../core/ai/chatModel';
import { isLlmError, type LlmError, type LlmErrorReason } from '../../core/ai/llmError';
import { connectLmStudio } from '../../core/ai/transport/lmStudio';
import type { Logger } from '../../core/logger';
import { inBackground } from '../background';
import { errorMessage } from '../../core/errorMessage';
import { AI_NEEDS_TRUST, trustedFor } from '../workspaceTrust';
import type { LmStudioSettingsSource } from './aiSettings';
import { actionsFor, performAction } from './failureActions';
import type { ToolDecorator } from '../mcp/registerMcpHub';
import type { FirstAiUse } from './firstAiUse';

/** One AI request the user started: its title, a key that names it for "one notification per failure", its work. */
export interface AiOperation<T> {
  readonly title: string;
  readonly key: string;
  run(model: ChatModel, context: AiRunContext): Promise<T>;
}

export interface AiRunContext {
  readonly signal: AbortSignal;
  /** The model's progress, shown as tokens and tokens/s. */
  readonly onProgress: (progress: GenerationProgress) => void;
  /** A line of the operation's own, shown in the progress notification (the loop's iteration and step). */
  readonly report: (message: string) => void;
}

export type AiOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: LlmErrorReason | 'internal' | 'restricted'; readonly message: string };

/** What the status bar learns from each run. */
export interface LmStudioActivity {
  busy(running: boolean): void;
  succeeded(model: ChatModel): void;
  failed(error: LlmError): void;
}

/**
 * Runs AI operations with a cancellable progress notification (tokens and tokens/s as they stream) and turns
 * every failure into one notification with the actions that fit it; Retry runs the same operation again.
 * A failure of an operation whose notification is still open is logged, not notified again.
 * Every AI request passes here: in Restricted Mode it is refused with the reason, and the first one starts what
 * waits for the first AI use.
 */
export class AiRunner {
  private readonly notified = new Set<string>();

  constructor(
    private readonly logger: Logger,
    private readonly activity: LmStudioActivity,
    private readonly settings: LmStudioSettingsSource,
    private readonly firstUse: FirstAiUse,
    /** Lets the model call the user's allowed MCP tools; each call is reported in the progress notification. */
    private readonly decorate?: ToolDecorator,
  ) {}

  /**
   * For commands, before they ask anything (which change, which file): false in Restricted Mode, after telling the
   * user why `feature` waits for trust.
   */
  available(feature: string): boolean {
    return trustedFor(feature, AI_NEEDS_TRUST, this.logger);
  }

  async run<T>(operation: AiOperation<T>): Promise<AiOutcome<T>> {
    if (!this.available(operation.title))
      return { ok: false, reason: 'restricted', message: 'Not available in Restricted Mode.' };
    this.firstUse.start(operation.title);
    this.activity.busy(true);
    try {
      const value = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: operation.title, cancellable: true },
        (progress, token) => this.attempt(operation, progress, token),
      );
      return { ok: true, value };
    } catch (error) {
      return this.fail(operation, error);
    } finally {
      this.activity.busy(false);
    }
  }

  private async attempt<T>(
    operation: AiOperation<T>,
    progress: vscode.Progress<{ message?: string }>,
    token: vscode.CancellationToken,
  ): Promise<T> {
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort(new Error('Cancelled by the user')));
    try {
      progress.report({ message: 'connecting to LM Studio…' });
      const connected = await connectLmStudio(await this.settings(), { logger: this.logger, signal: abort.signal });
      const model = this.decorate
        ? await this.decorate(
            connected,
            (message) => progress.report({ message: `${connected.id}: ${message}` }),
            abort.signal,
          )
        : connected;
      progress.report({ message: `${model.id}: sending the prompt…` });
      const value = await operation.run(model, {
        signal: abort.signal,
        onProgress: (update) => progress.report({ message: describe(model.id, update) }),
        report: (message) => progress.report({ message }),
      });
      this.activity.succeeded(model);
      return value;
    } finally {
      subscription.dispose();
    }
  }

  private fail<T>(operation: AiOperation<T>, error: unknown): AiOutcome<T> {
    if (!isLlmError(error)) {
      this.logger.error(`${operation.title} failed`, error);
      const message = errorMessage(error);
      inBackground(this.logger, 'Showing the log', async () => {
        const choice = await vscode.window.showErrorMessage(`${operation.title} failed: ${message}`, 'Show Log');
        if (choice) await vscode.commands.executeCommand('openspecLoop.showLog');
      });
      return { ok: false, reason: 'internal', message };
    }
    const detail = error.details.serverMessage ? ` Server said: ${error.details.serverMessage}` : '';
    this.logger.warn(`${operation.title}: ${error.reason}: ${error.message} ${error.hint}${detail}`);
    if (error.reason === 'cancelled') return { ok: false, reason: 'cancelled', message: error.message };
    this.activity.failed(error);
    this.notify(operation, error);
    return { ok: false, reason: error.reason, message: error.message };
  }

  private notify<T>(operation: AiOperation<T>, error: LlmError): void {
    if (this.notified.has(operation.key)) return;
    this.notified.add(operation.key);
    const actions = actionsFor(error);
    inBackground(this.logger, `${operation.title}: the notification's action`, async () => {
      const choice = await vscode.window.showErrorMessage(
        `${operation.title}: ${error.message} ${error.hint}`,
        ...actions,
      );
      this.notified.delete(operation.key);
      if (choice) await performAction(choice, error, () => void this.run(operation));
    });
  }
}

function describe(modelId: string, progress: GenerationProgress): string {
  const seconds = Math.round(progress.elapsedMs / 1000);
  if (progress.phase === 'waiting') return `${modelId}: reading the prompt (${seconds} s)…`;
  return `${modelId}: ${progress.tokens} tokens, ${progress.tokensPerSecond.toFixed(1)} tokens/s`;
}
