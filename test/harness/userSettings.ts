import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Settings that keep the workbench quiet and deterministic: no startup editor, tips, update or
 * extension-gallery checks (the machine is offline), and reduced motion for stable screenshots.
 */
export const HARNESS_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.reduceMotion': 'on',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  // The web workbench saves after a delay by default; desktop VS Code, which users run, does not.
  'files.autoSave': 'off',
};

/** Writes `<userDataDir>/User/settings.json`: existing values, then the harness defaults, then `overrides`. */
export function writeUserSettings(userDataDir: string, overrides: Readonly<Record<string, unknown>>): void {
  mergeSettings(join(userDataDir, 'User'), { ...HARNESS_SETTINGS, ...overrides });
}

/** Adds `settings` to `<workspace>/.vscode/settings.json`, keeping what it held. */
export function writeWorkspaceSettings(workspace: string, settings: Readonly<Record<string, unknown>>): void {
  mergeSettings(join(workspace, '.vscode'), settings);
}

function mergeSettings(dir: string, settings: Readonly<Record<string, unknown>>): void {
  const file = join(dir, 'settings.json');
  mkdirSync(dir, { recursive: true });
  let existing: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      existing = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      // settings.json may hold comments (JSONC); the harness owns these files, so start over.
    }
  }
  writeFileSync(file, `${JSON.stringify({ ...existing, ...settings }, null, 2)}\n`);
}
