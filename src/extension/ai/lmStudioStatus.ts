import * as vscode from 'vscode';
import type { ChatModel } from '../../core/ai/chatModel';
import type { LlmError } from '../../core/ai/llmError';
import { probeServer, type ServerStatus } from '../../core/ai/transport/lmStudio';
import type { Logger } from '../../core/logger';
import { whenTrusted } from '../workspaceTrust';
import { affectsLmStudio, readLmStudioSettings, type LmStudioSettingsSource } from './aiSettings';
import type { LmStudioActivity } from './aiRunner';
import type { FirstAiUse } from './firstAiUse';

/** Re-check delays while LM Studio is offline: soon at first, then rarely, so a closed LM Studio costs nothing. */
const OFFLINE_BACKOFF_MS = [5_000, 10_000, 30_000, 60_000, 120_000, 300_000];
const ONLINE_RECHECK_MS = 120_000;

export type LmStudioState =
  /** Before the first AI use: nothing was asked of LM Studio. */
  | { readonly kind: 'idle' }
  | { readonly kind: 'checking' }
  | { readonly kind: 'online'; readonly model: string | undefined; readonly contextLength: number | undefined }
  | { readonly kind: 'offline'; readonly error: LlmError };

/**
 * The status bar item for LM Studio: the model in use when online, "offline" (re-checked with backoff) when
 * not, a spinner while a request runs. Clicking it opens model selection.
 *
 * Until the first AI use it is a plain "LM Studio" entry that asks nothing of the server: someone who only reads
 * and validates specs gets no background requests and no "offline" they never asked about, and still sees where
 * the AI is and can pick a model from it (which is a first use). Hidden in Restricted Mode, where no AI runs.
 */
export class LmStudioStatus implements LmStudioActivity, vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'openspecLoop.lmStudio',
    vscode.StatusBarAlignment.Right,
    100,
  );
  private readonly emitter = new vscode.EventEmitter<LmStudioState>();
  readonly onDidChange = this.emitter.event;
  private current: LmStudioState = { kind: 'idle' };
  private running = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private offlineChecks = 0;
  private probing: AbortController | undefined;
  private readonly subscriptions: vscode.Disposable;

  constructor(
    private readonly logger: Logger,
    private readonly settings: LmStudioSettingsSource,
    private readonly firstUse: FirstAiUse,
    tokenChanged: vscode.Event<void>,
  ) {
    this.item.name = 'LM Studio';
    this.item.command = 'openspecLoop.selectModel';
    const recheck = () => {
      if (this.firstUse.started) void this.check();
      else this.render();
    };
    this.subscriptions = vscode.Disposable.from(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsLmStudio(event)) recheck();
      }),
      tokenChanged(recheck),
      whenTrusted(() => this.item.show()),
      firstUse.onStart(() => void this.check()),
    );
    this.render();
  }

  get state(): LmStudioState {
    return this.current;
  }

  /** Asks LM Studio now (once AI was used); schedules the next check by the result. */
  async check(): Promise<LmStudioState> {
    if (!this.firstUse.started) return this.current;
    this.probing?.abort();
    const probing = new AbortController();
    this.probing = probing;
    let status: ServerStatus;
    try {
      status = await probeServer(await this.settings(), probing.signal);
    } catch {
      return this.current;
    }
    if (this.probing !== probing) return this.current;
    if (status.state === 'online')
      this.set({
        kind: 'online',
        model: configuredOr(status.loadedModel?.id),
        contextLength: status.loadedModel?.contextLength,
      });
    else this.set({ kind: 'offline', error: status.error });
    return this.current;
  }

  busy(running: boolean): void {
    this.running = Math.max(0, this.running + (running ? 1 : -1));
    this.render();
  }

  succeeded(model: ChatModel): void {
    this.set({ kind: 'online', model: model.id, contextLength: model.contextLength });
  }

  failed(error: LlmError): void {
    if (error.reason === 'unreachable') this.set({ kind: 'offline', error });
    else void this.check();
  }

  dispose(): void {
    this.probing?.abort();
    if (this.timer) clearTimeout(this.timer);
    this.subscriptions.dispose();
    this.emitter.dispose();
    this.item.dispose();
  }

  private set(state: LmStudioState): void {
    const wasOffline = this.current.kind === 'offline';
    this.current = state;
    if (state.kind === 'offline' && !wasOffline) this.logger.info(`LM Studio offline: ${state.error.message}`);
    if (state.kind !== 'offline') this.offlineChecks = 0;
    this.render();
    this.schedule();
    this.emitter.fire(state);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const delay =
      this.current.kind === 'offline'
        ? OFFLINE_BACKOFF_MS[Math.min(this.offlineChecks++, OFFLINE_BACKOFF_MS.length - 1)]
        : ONLINE_RECHECK_MS;
    this.timer = setTimeout(() => void this.check(), delay);
  }

  private render(): void {
    const state = this.current;
    const baseUrl = readLmStudioSettings().baseUrl;
    const words = this.running > 0 ? 'answering a request' : describeState(state);
    this.item.accessibilityInformation = { label: `LM Studio at ${baseUrl}: ${words}` };
    if (this.running > 0) {
      this.item.text = `$(sync~spin) ${state.kind === 'online' && state.model ? state.model : 'LM Studio'}`;
      this.item.tooltip = `LM Studio is answering a request (${baseUrl}).`;
      this.item.backgroundColor = undefined;
      return;
    }
    if (state.kind === 'online') {
      this.item.text = `$(hubot) ${state.model ?? 'no model loaded'}`;
      this.item.tooltip = state.model
        ? `LM Studio at ${baseUrl}: ${state.model}${state.contextLength ? `, context ${state.contextLength} tokens` : ''}. Click to choose another model.`
        : `LM Studio at ${baseUrl} has no model loaded. Click to choose one.`;
      this.item.backgroundColor = state.model ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    } else if (state.kind === 'offline') {
      this.item.text = '$(debug-disconnect) LM Studio offline';
      this.item.tooltip = `${state.error.message} ${state.error.hint}`;
      // Plain, not a warning color: many users open specs without wanting the AI, and nothing is wrong then.
      this.item.backgroundColor = undefined;
    } else if (state.kind === 'idle') {
      this.item.text = '$(hubot) LM Studio';
      this.item.tooltip = `LM Studio at ${baseUrl}: not contacted until you use an AI feature. Click to choose a model.`;
      this.item.backgroundColor = undefined;
    } else {
      this.item.text = '$(loading~spin) LM Studio';
      this.item.tooltip = `Checking LM Studio at ${baseUrl}…`;
    }
  }
}

/** What screen readers hear after the address; it names the state in words where the item shows an icon. */
function describeState(state: LmStudioState): string {
  switch (state.kind) {
    case 'idle':
      return 'not contacted until the first AI use';
    case 'checking':
      return 'checking';
    case 'online':
      return state.model ? `online, model ${state.model}` : 'online, no model loaded';
    case 'offline':
      return 'offline';
  }
}

/** The configured model wins over the loaded one: it is what requests will use. */
function configuredOr(loaded: string | undefined): string | undefined {
  return readLmStudioSettings().model || loaded;
}
