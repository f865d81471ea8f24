import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Proposal } from '../../ai/improve/improveDocument';
import { impactJson } from '../../ai/improve/proposalCheck';
import { applyProposal } from '../../ai/improve/proposalWrite';
import { unifiedDiff } from '../../ai/improve/unifiedDiff';
import { loadChangeContext } from '../../ai/prompt/changeContext';
import { LoopOrchestrator, MAX_ITERATIONS } from '../../loop/loopOrchestrator';
import type { DecisionContext, LoopDecision, LoopEvent, LoopHost, LoopReport } from '../../loop/loopTypes';
import { describeRunningLoop } from '../../loop/runningLoops';
import { impactSchema } from './impactSchema';
import { acquireModel } from './modelAccess';
import { staysInside } from './pathConfinement';
import { folderArgument, folderOutput, type FolderContext, type ToolContext } from './toolContext';
import { instrumented, type ToolExtra } from './toolRunner';
import { boundText, structuredResult, ToolRefusal } from './toolResults';
import { locateChange } from './workspaceLookup';
import { changeIdArgument } from './argumentSchemas';

const issueSchema = z.object({
  level: z.string(),
  path: z.string(),
  line: z.number().int().optional(),
  message: z.string(),
});
const countsSchema = z.object({ error: z.number().int(), warning: z.number().int(), info: z.number().int() });
const validationSchema = z.object({ valid: z.boolean(), errors: z.number().int(), warnings: z.number().int() });

const proposalRecordSchema = z.object({
  id: z.string(),
  file: z.string(),
  requirement: z.string().optional(),
  summary: z.string(),
  baseHash: z.string(),
  proposedHash: z.string(),
  newErrors: z.number().int(),
  impact: z.string().optional().describe('What the impact check found ("removes ## Impact and 2 tasks")'),
  decision: z.enum(['accepted', 'rejected', 'acceptedEdited', 'unchanged']).optional(),
  blocked: z.enum(['newErrors', 'destructive', 'dirty']).optional().describe('Why it was not accepted by itself'),
  auto: z.boolean().optional(),
  appliedHash: z.string().optional(),
  result: z.enum(['applied', 'stale']).optional(),
});

/** A proposal as the agent gets it: written by the loop, or returned for the agent to judge and apply. */
interface ReturnedProposal {
  iteration: number;
  file: string;
  summary: string;
  status: 'proposed' | 'applied' | 'stale';
  newErrors: Array<{ level: string; path: string; line?: number; message: string }>;
  impact: ReturnType<typeof impactJson>;
  unifiedDiff: string;
}

export function registerLoopTool(server: McpServer, context: ToolContext): void {
  const { options } = context;
  server.registerTool(
    'run_improvement_loop',
    {
      title: 'Run the improvement loop on a change',
      description:
        'Reviews a change with the local model (LM Studio), proposes an improved version of each document with findings (most severe first), ' +
        'validates, and reviews again until no error or warning findings are left and validation passes, an iteration brings no improvement, ' +
        'or maxIterations is reached. Proposals are written only when the server was started with --allow-write and autoAccept is true, and ' +
        'then only those adding no validation errors and removing nothing their findings did not ask to remove (sections, tasks, checkboxes, ' +
        'requirements), each only if its file is unchanged since it was read. Every other proposal is returned with its impact check ' +
        'and its unified diff (status "proposed") and recorded as rejected in the iterations; as nothing is written then, one iteration is run. ' +
        'Slow: progress is reported per step, and cancelling stops after the current step.',
      inputSchema: {
        change: changeIdArgument.describe('Change id, as list_changes returns it'),
        folder: folderArgument,
        maxIterations: z
          .number()
          .int()
          .min(1)
          .max(MAX_ITERATIONS)
          .optional()
          .describe('Review rounds at most (default 5); 1 when nothing can be written'),
        autoAccept: z
          .boolean()
          .optional()
          .describe('Write proposals that add no validation errors (needs --allow-write)'),
        timeBudgetMs: z
          .number()
          .int()
          .min(1000)
          .max(24 * 3_600_000)
          .optional()
          .describe('Stop at the next step boundary once this many milliseconds are spent (reason "timeBudget")'),
      },
      outputSchema: {
        folder: folderOutput,
        runId: z.string(),
        change: z.string(),
        outcome: z.enum(['converged', 'stopped', 'failed']),
        reason: z.enum(['converged', 'noImprovement', 'maxIterations', 'timeBudget', 'cancelled', 'error']),
        message: z.string().describe('What ended the loop'),
        writes: z.boolean().describe('Whether this run could write files (--allow-write and autoAccept)'),
        iterations: z.array(
          z.object({
            iteration: z.number().int(),
            findings: countsSchema.describe('Review findings at the start of the iteration'),
            validation: validationSchema.describe('Validation at the start of the iteration'),
            proposals: z.array(proposalRecordSchema),
            validationAfter: validationSchema.optional().describe("Validation after the iteration's written proposals"),
          }),
        ),
        proposals: z.array(
          z.object({
            iteration: z.number().int(),
            file: z.string().describe('Project-relative path'),
            summary: z.string(),
            status: z
              .enum(['proposed', 'applied', 'stale'])
              .describe("'proposed': returned, not written; 'stale': the file changed, not written"),
            newErrors: z.array(issueSchema).describe('Validation errors the proposal would add'),
            impact: impactSchema,
            unifiedDiff: z.string(),
          }),
        ),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    instrumented(
      options.logger,
      'run_improvement_loop',
      async ({ change: id, folder: name, maxIterations, autoAccept, timeBudgetMs }, extra) => {
        const { folder } = await locateChange(context, id, name);
        await loadChangeContext(folder.fs, folder.root, id);
        const writes = options.allowWrite && autoAccept === true && options.writer !== undefined;
        // Shown (and stoppable) in the editor's explorer when the server runs in the window.
        const stop = new AbortController();
        let latest: LoopEvent | undefined;
        let orchestrator: LoopOrchestrator | undefined;
        const claim = context.loopRuns.claim({
          root: folder.root,
          change: id,
          startedBy: 'agent',
          get latest() {
            return latest;
          },
          iterations: () => orchestrator?.iterations ?? [],
          stop: () => stop.abort(new Error('Stopped by the user')),
        });
        if ('running' in claim)
          throw new ToolRefusal(
            `An improvement loop is already running on ${id} (${describeRunningLoop(claim.running)}): wait for it to end, or have it stopped, and call run_improvement_loop again.`,
          );
        const progress = progressReporter(extra);
        const host = new McpLoopHost(context, folder, (event) => {
          latest = event;
          claim.changed();
          progress?.(event);
        });
        let report: LoopReport;
        try {
          const model = await acquireModel(context, extra.signal);
          orchestrator = new LoopOrchestrator({
            model,
            fs: folder.fs,
            root: folder.root,
            host,
            logger: options.logger,
          });
          report = await orchestrator.run(id, {
            autoAccept: writes,
            signal: AbortSignal.any([extra.signal, stop.signal]),
            maxIterations: writes ? (maxIterations ?? undefined) : 1,
            ...(timeBudgetMs !== undefined ? { timeBudgetMs } : {}),
          });
        } finally {
          claim.release();
        }
        const value = {
          ...context.folderField(folder),
          runId: report.runId,
          change: report.change,
          outcome: report.outcome,
          reason: report.reason,
          message: report.message,
          writes,
          iterations: report.iterations.map((record) => ({
            ...record,
            proposals: record.proposals.map((proposal) => ({ ...proposal })),
          })),
          proposals: host.proposals,
        };
        const result = structuredResult(value, resultText(value.message, host.proposals));
        return report.outcome === 'failed' ? { ...result, isError: true } : result;
      },
    ),
  );
}

/**
 * The loop's host for an agent: nobody judges a proposal during the call, so every proposal the loop asks about
 * is returned (recorded as rejected, never written); auto-accepted ones go through the server's writer.
 */
class McpLoopHost implements LoopHost {
  readonly proposals: ReturnedProposal[] = [];
  private iteration = 1;

  constructor(
    private readonly context: ToolContext,
    private readonly folder: FolderContext,
    private readonly report: (event: LoopEvent) => void,
  ) {}

  decide(proposal: Proposal, decision: DecisionContext): Promise<LoopDecision> {
    this.proposals.push(this.returned(proposal, decision.iteration, 'proposed'));
    return Promise.resolve({ decision: 'rejected' });
  }

  async apply(proposal: Proposal, text: string): Promise<'applied' | 'stale'> {
    const { options } = this.context;
    const { writer } = options;
    let result: 'applied' | 'stale' = 'stale';
    if (!options.allowWrite || !writer) {
      options.logger.warn(
        `run_improvement_loop: ${proposal.file} was not written: this server cannot write proposals.`,
      );
    } else if (!(await staysInside(this.folder.fs, this.folder.root, proposal.absolutePath))) {
      options.logger.warn(`run_improvement_loop: ${proposal.file} leads outside openspec/; not written.`);
    } else {
      result = await applyProposal(writer, proposal, text);
    }
    this.proposals.push(this.returned(proposal, this.iteration, result));
    return result;
  }

  onEvent(event: LoopEvent): void {
    this.iteration = event.iteration;
    this.report(event);
  }

  private returned(proposal: Proposal, iteration: number, status: ReturnedProposal['status']): ReturnedProposal {
    return {
      iteration,
      file: proposal.file,
      summary: proposal.summary,
      status,
      newErrors: proposal.validation.newErrors.map((issue) => ({ ...issue })),
      impact: impactJson(proposal.check),
      unifiedDiff: boundText(unifiedDiff(proposal.baseText, proposal.proposedText, proposal.file)),
    };
  }
}

/** One `notifications/progress` per loop step, for a client that sent a progressToken. */
function progressReporter(extra: ToolExtra): ((event: LoopEvent) => void) | undefined {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return undefined;
  let sent = 0;
  return (event) => {
    if (extra.signal.aborted) return;
    sent++;
    const message = `Iteration ${event.iteration}: ${event.step}${event.file !== undefined ? ` ${event.file}` : ''}${event.message !== undefined ? ` (${event.message})` : ''}`;
    extra
      .sendNotification({ method: 'notifications/progress', params: { progressToken, progress: sent, message } })
      .catch(() => undefined);
  };
}

function resultText(message: string, proposals: readonly ReturnedProposal[]): string {
  const parts = proposals.map(
    (proposal) =>
      `[${proposal.status}] iteration ${proposal.iteration}, ${proposal.file}: ${proposal.summary}\n${proposal.unifiedDiff}`,
  );
  return [message, ...parts].join('\n\n');
}
