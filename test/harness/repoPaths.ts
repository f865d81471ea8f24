import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

/** The repository root, from the compiled location out/test/harness/. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Where test runs leave summaries and screenshots (git-ignored). */
export const TEST_RESULTS_DIR = join(REPO_ROOT, 'test-results');

export interface WorkspaceCopy {
  readonly path: string;
  dispose(): void;
}

/**
 * Copies test/fixtures/workspaces/<name>, or `examples/<name>` when the name says so, to a temporary folder,
 * so a test may change it freely.
 */
export function copyFixtureWorkspace(name: string): WorkspaceCopy {
  const folder = basename(name);
  const root = mkdtempSync(join(tmpdir(), `openspec-loop-workspace-${folder}-`));
  const path = join(root, folder);
  const source = name.startsWith('examples/')
    ? join(REPO_ROOT, name)
    : join(REPO_ROOT, 'test', 'fixtures', 'workspaces', name);
  cpSync(source, path, { recursive: true });
  return { path, dispose: () => rmSync(root, { recursive: true, force: true }) };
}
