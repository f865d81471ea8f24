import { FixtureWorkspace, WorkspaceManifest } from './workspaceManifest';
import { CRLF_SUFFIX } from './workspaceMaterializer';

/** The two bulk modes every workspace is validated in. */
export const BULK_ARGS = ['validate', '--all', '--json'];
export const BULK_STRICT_ARGS = ['validate', '--all', '--strict', '--json'];

export interface PlannedInvocation {
  /** Unique within its workspace, e.g. `validate --all --json` or `[openspec/changes] validate --all --json`. */
  label: string;
  args: string[];
  /** Relative to the workspace root; '' for the root itself. */
  cwd: string;
}

export interface PlannedWorkspace {
  name: string;
  fixture: FixtureWorkspace;
  manifest: WorkspaceManifest;
  invocations: PlannedInvocation[];
}

function labelOf(args: string[], cwd: string): string {
  const command = args.map((arg) => (/^[\w./~-]+$/.test(arg) ? arg : JSON.stringify(arg))).join(' ');
  return cwd ? `[${cwd}] ${command}` : command;
}

function invocationsFor(manifest: WorkspaceManifest, withExtraRuns: boolean): PlannedInvocation[] {
  const runs = [{ args: BULK_ARGS }, { args: BULK_STRICT_ARGS }, ...(withExtraRuns ? manifest.runs : [])];
  return runs.map((run) => {
    const cwd = 'cwd' in run && run.cwd ? run.cwd : '';
    return { label: labelOf(run.args, cwd), args: run.args, cwd };
  });
}

/**
 * Workspaces and their runs, known before anything is copied or spawned. A CRLF twin gets only the
 * two bulk runs: line endings change parsing, not item resolution, and the reference CLI is slow.
 */
export function planCorpus(corpus: FixtureWorkspace[], only?: Set<string>): PlannedWorkspace[] {
  const planned: PlannedWorkspace[] = [];
  for (const fixture of corpus) {
    const names = fixture.manifest.crlfVariant ? [fixture.name, fixture.name + CRLF_SUFFIX] : [fixture.name];
    for (const name of names) {
      if (only && !only.has(name) && !only.has(fixture.name)) continue;
      planned.push({
        name,
        fixture,
        manifest: fixture.manifest,
        invocations: invocationsFor(fixture.manifest, name === fixture.name),
      });
    }
  }
  return planned;
}
