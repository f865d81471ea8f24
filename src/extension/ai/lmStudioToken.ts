import * as vscode from 'vscode';
import type { Logger } from '../../core/logger';
import { whenTrusted } from '../workspaceTrust';

const SECRET_KEY = 'openspecLoop.lmStudio.apiToken';
/**
 * Where the token was kept before: a plain setting, synced and readable by anyone who sees settings.json. It stays
 * declared (deprecated), so old configurations are not flagged as unknown, and a value found there is moved.
 */
const OLD_SECTION = 'openspecLoop.lmStudio';
const OLD_KEY = 'apiKey';
export const OLD_TOKEN_SETTING = `${OLD_SECTION}.${OLD_KEY}`;

/** The scopes a setting can be written in, most specific first, with the name the log uses for each. */
interface SettingScope {
  readonly label: string;
  readonly value: unknown;
  remove(): Thenable<void>;
}

/**
 * LM Studio's API token, in VS Code's secret storage (the OS keychain on the desktop): never synced, never in a
 * settings file. "OpenSpec: Set LM Studio API Token" stores it; a token found in the old setting is moved here.
 */
export class LmStudioToken implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when the stored token changes, here or in another window. */
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;
  private migration: Promise<void> = Promise.resolve();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly logger: Logger,
  ) {
    this.subscription = secrets.onDidChange((event) => {
      if (event.key === SECRET_KEY) this.emitter.fire();
    });
  }

  /** The stored token; waits for a move from the old setting that is under way, so no request goes without it. */
  async get(): Promise<string | undefined> {
    await this.migration;
    const token = (await this.secrets.get(SECRET_KEY))?.trim();
    return token ? token : undefined;
  }

  /** Stores `token`; an empty one removes the stored token. */
  async set(token: string): Promise<void> {
    const trimmed = token.trim();
    if (trimmed) await this.secrets.store(SECRET_KEY, trimmed);
    else await this.secrets.delete(SECRET_KEY);
  }

  /**
   * Moves a token found in the old setting into secret storage and removes it from every scope that held it (the
   * most specific value wins, as it did when the setting was read). One at a time: the removals themselves change
   * the configuration, and that change asks for a migration again, which then finds nothing.
   */
  migrateSetting(): Promise<void> {
    this.migration = this.migration
      .then(() => this.migrateOnce())
      .catch((error: unknown) => {
        this.logger.error(`The LM Studio API token could not be moved out of ${OLD_TOKEN_SETTING}`, error);
      });
    return this.migration;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }

  private async migrateOnce(): Promise<void> {
    const holding = settingScopes().filter((scope) => typeof scope.value === 'string' && scope.value.trim() !== '');
    const [winner] = holding;
    if (!winner) return;
    await this.set(String(winner.value));
    for (const scope of holding) await scope.remove();
    this.logger.info(
      `Moved the LM Studio API token from the ${OLD_TOKEN_SETTING} setting (${holding.map((scope) => scope.label).join(', ')}) to VS Code's secret storage; the setting is removed.`,
    );
  }
}

function settingScopes(): SettingScope[] {
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder): SettingScope => {
    const config = vscode.workspace.getConfiguration(OLD_SECTION, folder.uri);
    return {
      label: `folder settings of ${folder.name}`,
      value: config.inspect<string>(OLD_KEY)?.workspaceFolderValue,
      remove: () => config.update(OLD_KEY, undefined, vscode.ConfigurationTarget.WorkspaceFolder),
    };
  });
  const config = vscode.workspace.getConfiguration(OLD_SECTION);
  const inspected = config.inspect<string>(OLD_KEY);
  return [
    ...folders,
    {
      label: 'workspace settings',
      value: inspected?.workspaceValue,
      remove: () => config.update(OLD_KEY, undefined, vscode.ConfigurationTarget.Workspace),
    },
    {
      label: 'user settings',
      value: inspected?.globalValue,
      remove: () => config.update(OLD_KEY, undefined, vscode.ConfigurationTarget.Global),
    },
  ];
}

/**
 * The token and "OpenSpec: Set LM Studio API Token" (an input box that hides what is typed; a string argument
 * skips it, for keybindings and tests). The old setting is moved once the workspace is trusted: a workspace's own
 * settings file is not touched in Restricted Mode.
 */
export function registerLmStudioToken(deps: { secrets: vscode.SecretStorage; logger: Logger }): {
  token: LmStudioToken;
  disposable: vscode.Disposable;
} {
  const token = new LmStudioToken(deps.secrets, deps.logger);
  return {
    token,
    disposable: vscode.Disposable.from(
      token,
      whenTrusted(() => void token.migrateSetting()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(OLD_TOKEN_SETTING) && vscode.workspace.isTrusted) void token.migrateSetting();
      }),
      vscode.commands.registerCommand('openspecLoop.setLmStudioToken', async (value?: unknown) => {
        const entered =
          typeof value === 'string'
            ? value
            : await vscode.window.showInputBox({
                title: 'LM Studio API Token',
                prompt:
                  'The token LM Studio showed when you created it (Developer → Server Settings → Manage Tokens). Leave empty to remove the stored token.',
                password: true,
                ignoreFocusOut: true,
              });
        if (entered === undefined) return undefined;
        await token.set(entered);
        const stored = entered.trim() !== '';
        deps.logger.info(stored ? 'LM Studio API token stored.' : 'LM Studio API token removed.');
        void vscode.window.showInformationMessage(
          stored
            ? "The LM Studio API token is stored in VS Code's secret storage."
            : 'The stored LM Studio API token is removed.',
        );
        return stored ? 'stored' : 'removed';
      }),
    ),
  };
}
