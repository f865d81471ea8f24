import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root, from the compiled location out/test/harness/. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Where test runs leave summaries and screenshots (git-ignored). */
export const TEST_RESULTS_DIR = join(REPO_ROOT, 'test-results');

export interface WorkspaceCopy {
  readonly path: string;
  dispose(): void;
}

/** Copies test/fixtures/workspaces/<name> to a temporary folder, so a test may change it freely. */
export function copyFixtureWorkspace(name: string): WorkspaceCopy {
  const root = mkdtempSync(join(tmpdir(), `openspec-loop-workspace-${name}-`));
  const path = join(root, name);
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'workspaces', name), path, { recursive: true });
  return { path, dispose: () => rmSync(root, { recursive: true, force: true }) };
}
