import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CliResult, runCli, runPool } from './cliRunner';
import { PlannedInvocation, PlannedWorkspace } from './invocationPlan';
import { compareInvocation, InvocationComparison } from './reportComparison';
import { digestWorkspace, ReferenceCache } from './referenceCache';
import { findEnclosingOpenSpecFolder, materializeWorkspaces } from './workspaceMaterializer';

export interface SessionOptions {
  referenceScript: string;
  oursScript: string;
  concurrency: number;
  timeoutMs: number;
  /** Reference results from earlier runs are reused when the cache knows them. */
  cache?: ReferenceCache;
}

export interface InvocationOutcome {
  workspace: string;
  invocation: PlannedInvocation;
  reference: CliResult;
  ours: CliResult;
  /** A bulk run made again right after `ours`, answered from the verdicts `ours` saved. */
  oursAgain?: CliResult;
  comparison: InvocationComparison;
}

/** The runs that save their verdicts for the next one. */
const BULK_FLAGS: ReadonlySet<string> = new Set(['--all', '--changes', '--specs']);

/** Copies the corpus to a scratch folder, runs both CLIs on every planned invocation, keeps the outcomes. */
export class DifferentialSession {
  private scratchRoot: string | undefined;
  private readonly outcomes = new Map<string, InvocationOutcome>();

  constructor(
    private readonly workspaces: PlannedWorkspace[],
    private readonly options: SessionOptions,
  ) {}

  async run(): Promise<void> {
    this.scratchRoot = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'openspec-differential-')));
    const stray = findEnclosingOpenSpecFolder(this.scratchRoot);
    if (stray) throw new Error(`${stray} sits above the scratch folder and would be picked up as the project root`);
    const scratchRoot = this.scratchRoot;
    const dirs = materializeWorkspaces(this.workspaces, scratchRoot);
    const env = this.environment(scratchRoot);
    const jobs = this.workspaces.flatMap((workspace) => {
      const dir = dirs.get(workspace.name) as string;
      const digest = this.options.cache ? digestWorkspace(dir) : '';
      return workspace.invocations.map((invocation) => async (): Promise<void> => {
        const call = {
          args: invocation.args,
          cwd: path.join(dir, invocation.cwd),
          env,
          timeoutMs: this.options.timeoutMs,
        };
        const cache = this.options.cache;
        const cacheKey = cache?.key(workspace.name, digest, invocation.args, invocation.cwd) ?? '';
        // Sequential on purpose: both CLIs must see the same untouched folder.
        let reference = cache?.read(cacheKey, scratchRoot);
        if (!reference) {
          reference = await runCli({ ...call, script: this.options.referenceScript });
          cache?.write(cacheKey, reference, scratchRoot);
        }
        const ours = await runCli({ ...call, script: this.options.oursScript });
        const bulk = invocation.args.some((arg) => BULK_FLAGS.has(arg)) && !invocation.args.includes('--no-cache');
        const oursAgain = bulk ? await runCli({ ...call, script: this.options.oursScript }) : undefined;
        this.outcomes.set(this.key(workspace.name, invocation.label), {
          workspace: workspace.name,
          invocation,
          reference,
          ours,
          ...(oursAgain ? { oursAgain } : {}),
          comparison: compareInvocation(reference, ours),
        });
      });
    });
    await runPool(jobs, this.options.concurrency);
  }

  outcome(workspace: string, label: string): InvocationOutcome {
    const found = this.outcomes.get(this.key(workspace, label));
    if (!found) throw new Error(`no outcome for ${workspace} :: ${label} (did the session run?)`);
    return found;
  }

  allOutcomes(): InvocationOutcome[] {
    return [...this.outcomes.values()];
  }

  dispose(): void {
    if (this.scratchRoot) fs.rmSync(this.scratchRoot, { recursive: true, force: true });
    this.scratchRoot = undefined;
  }

  private key(workspace: string, label: string): string {
    return `${workspace}\u0000${label}`;
  }

  /** Telemetry off, and a private global config/data folder so no user store or schema leaks in. */
  private environment(scratchRoot: string): NodeJS.ProcessEnv {
    const globalDir = path.join(scratchRoot, '.global');
    return {
      ...process.env,
      OPENSPEC_TELEMETRY: '0',
      DO_NOT_TRACK: '1',
      NO_COLOR: '1',
      XDG_CONFIG_HOME: path.join(globalDir, 'config'),
      XDG_DATA_HOME: path.join(globalDir, 'data'),
      OPENSPEC_LOOP_CACHE: path.join(globalDir, 'cache'),
    };
  }
}
