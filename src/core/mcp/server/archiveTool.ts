import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { unifiedDiff } from '../../ai/improve/unifiedDiff';
import { applyArchive, archiveFailureJson, archiveResultJson } from '../../archive/applyArchive';
import type { ArchivePlan, ArchiveStatus } from '../../archive/archiveTypes';
import { planArchive } from '../../archive/planArchive';
import { errorMessage } from '../../errorMessage';
import { makeRoot, toRootOutput, type RootOutput } from '../../validation/projectRoot';
import type { OpenSpecMcpOptions } from './serverOptions';
import { changeIdArgument } from './argumentSchemas';
import { folderArgument, folderOutput, type FolderContext, type ToolContext } from './toolContext';
import { instrumented } from './toolRunner';
import {
  ANSWER_LIMIT_BYTES,
  boundText,
  countFitting,
  errorResult,
  jsonBytes,
  structuredResult,
  truncatedSchema,
} from './toolResults';
import { locateChange } from './workspaceLookup';

const countsSchema = z.object({
  added: z.number().int(),
  modified: z.number().int(),
  removed: z.number().int(),
  renamed: z.number().int(),
});

function previewSchema() {
  return z.object({
    move: z.object({
      from: z.string().describe('Project-relative path of the change folder'),
      to: z.string().describe('Project-relative path it would move to'),
    }),
    tasks: z.object({ completed: z.number().int(), total: z.number().int() }),
    specs: z
      .array(
        z.object({
          capability: z.string(),
          file: z.string().describe('Project-relative path of the main spec'),
          action: z.enum(['create', 'update']),
          counts: countsSchema,
          unifiedDiff: z
            .string()
            .optional()
            .describe(
              'Current text to the merged one (a new spec against /dev/null); absent when left out, see truncated',
            ),
        }),
      )
      .describe('Every main spec the archive would write, in the order it writes them'),
  });
}

/**
 * `archive_change`: `openspec-loop archive <id> --yes --json` for agents, through the same planArchive and
 * applyArchive, so the tool and the CLI refuse, merge and move alike. An agent cannot answer the CLI's
 * questions, so every one is answered yes, as --yes does; dryRun shows what would be written instead.
 */
export function registerArchiveTool(server: McpServer, context: ToolContext): void {
  const { options } = context;
  server.registerTool(
    'archive_change',
    {
      title: 'Archive change',
      description:
        "Archives a finished change as `openspec archive <id> --yes` does: merges the change's delta specs into the main specs " +
        'under openspec/specs/ and moves the change folder to openspec/changes/archive/YYYY-MM-DD-<id>, all in one write. ' +
        "Open tasks do not stop it (as with --yes; check get_tasks first). A refusal carries the CLI's status codes " +
        '(archive_validation_failed, archive_change_not_found, archive_target_exists, ...). ' +
        'dryRun: true writes nothing and returns the plan with a unified diff of every main spec it would write. ' +
        'Archiving (not dryRun) is refused unless the server was started with --allow-write.',
      inputSchema: {
        change: changeIdArgument.describe('Change id, as list_changes returns it'),
        folder: folderArgument,
        skipSpecs: z
          .boolean()
          .optional()
          .describe('Move the change without touching the main specs (--skip-specs): for tooling or doc-only changes'),
        noValidate: z
          .boolean()
          .optional()
          .describe('Archive without validating the delta specs first (--no-validate; not recommended)'),
        dryRun: z
          .boolean()
          .optional()
          .describe('Write nothing: return the plan and the unified diff of each main spec it would write'),
      },
      outputSchema: {
        folder: folderOutput,
        archive: z
          .object({
            change: z.string(),
            archivedAs: z.string().describe('The archive folder name, YYYY-MM-DD-<id>'),
            path: z.string().describe('Absolute path of the archive folder'),
            specsUpdated: z.boolean().describe('True when at least one main spec is (or would be) written'),
            totals: countsSchema.optional(),
            warnings: z.array(z.string()).optional(),
          })
          .nullable()
          .describe('What the CLI reports for the archive (with dryRun: what it would report); null when refused'),
        root: z.object({ path: z.string(), source: z.enum(['nearest', 'implicit']) }).optional(),
        status: z
          .array(
            z.object({
              severity: z.enum(['error', 'warning']),
              code: z.string(),
              message: z.string(),
              fix: z.string().optional(),
            }),
          )
          .optional()
          .describe("Why the archive was refused, as the CLI's --json status (its codes)"),
        preview: previewSchema().optional().describe('Present with dryRun: true; nothing was written'),
        truncated: truncatedSchema,
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    },
    instrumented(
      options.logger,
      'archive_change',
      async ({ change: id, folder: name, skipSpecs, noValidate, dryRun }) => {
        const writes = dryRun !== true;
        if (writes && !options.allowWrite) {
          return errorResult(
            'Writing is not allowed: this MCP server was started read-only. Start it with --allow-write (openspec-loop mcp --allow-write) to let agents archive changes, or pass dryRun: true to preview the archive.',
          );
        }
        const folder = await archiveFolder(context, id, name);
        const root = makeRoot(folder.root, 'nearest');
        const rootOutput = toRootOutput(root);
        const planning = await planArchive(folder.fs, root, id, {
          ...(skipSpecs === true ? { skipSpecs: true } : {}),
          validate: noValidate !== true,
        });
        if (!planning.ok) return statusResult(context, folder, planning.status, rootOutput);
        if (!writes) return previewResult(context, folder, planning.plan, rootOutput);
        const { writer } = options;
        if (!writer) return errorResult('This MCP server has no way to write files.');
        const applied = await applyArchive(writer, planning.plan);
        if (!applied.ok) return statusResult(context, folder, applied.status, rootOutput);
        await tellArchived(options, folder.root, applied.plan);
        return structuredResult({ ...context.folderField(folder), ...archiveResultJson(applied.plan, rootOutput) });
      },
    ),
  );
}

/**
 * The folder the change is archived in: the one named, the only one, or (with several and none named) the one
 * holding the change. In a single folder the CLI's own checks answer an unknown change, with its code.
 */
async function archiveFolder(context: ToolContext, id: string, name: string | undefined): Promise<FolderContext> {
  if (name !== undefined || !context.multiRoot) return context.single(name);
  return (await locateChange(context, id)).folder;
}

/** A refused archive: the CLI's `{archive: null, root, status}` as the structure, its messages as the words. */
function statusResult(
  context: ToolContext,
  folder: FolderContext,
  status: readonly ArchiveStatus[],
  root: RootOutput,
): CallToolResult {
  const words = status.map((entry) => [entry.message, entry.fix && `Fix: ${toToolArguments(entry.fix)}`]);
  const text = words.map((parts) => parts.filter(Boolean).join(' ')).join('\n');
  return {
    ...structuredResult({ ...context.folderField(folder), ...archiveFailureJson(status, root) }, text),
    isError: true,
  };
}

/** The CLI's fixes name its flags; an agent calling this tool passes the matching arguments instead. */
function toToolArguments(fix: string): string {
  return fix.replace(/--no-validate/g, 'noValidate: true').replace(/--skip-specs/g, 'skipSpecs: true');
}

/**
 * The plan, unwritten: the CLI's report of it, the move, and each main spec with its diff. Every spec is listed;
 * diffs come in order while the answer stays within its limit, and the ones left out are named.
 */
function previewResult(
  context: ToolContext,
  folder: FolderContext,
  plan: ArchivePlan,
  root: RootOutput,
): CallToolResult {
  const specs = plan.specs.map((spec) => ({
    capability: spec.capability,
    file: folder.relative(spec.file),
    action: spec.before === undefined ? ('create' as const) : ('update' as const),
    counts: spec.counts,
  }));
  const diffs = plan.specs.map((spec) => unifiedDiff(spec.before, spec.after, folder.relative(spec.file)));
  const base = {
    ...context.folderField(folder),
    ...archiveResultJson(plan, root),
    preview: {
      move: { from: folder.relative(plan.changeDir), to: folder.relative(plan.archivePath) },
      tasks: plan.tasks,
      specs,
    },
  };
  // Room for the diffs besides everything else, their `"unifiedDiff":` keys and a note naming those left out.
  const room = ANSWER_LIMIT_BYTES - jsonBytes(base) - specs.length * 16 - NOTE_ROOM;
  let shown = countFitting(diffs, room);
  const shownDiffs = diffs.slice(0, shown);
  // A first diff larger than the whole answer still comes, cut and marked, so a preview always shows something.
  if (shown === 0 && diffs.length > 0) {
    shownDiffs.push(boundText(diffs[0] ?? '', Math.max(room, 1024)));
    shown = 1;
  }
  const withDiffs = specs.map((spec, index) => {
    const diff = shownDiffs[index];
    return diff === undefined ? spec : { ...spec, unifiedDiff: diff };
  });
  const leftOut = specs.slice(shown).map((spec) => spec.capability);
  return structuredResult({
    ...base,
    preview: { ...base.preview, specs: withDiffs },
    ...(leftOut.length > 0
      ? {
          truncated: {
            shown,
            total: specs.length,
            message: `truncated: diffs of ${shown} of ${specs.length} specs shown; left out: ${boundText(leftOut.join(', '), 2048)}. The archive writes them all; get_spec and get_change show the texts they come from.`,
          },
        }
      : {}),
  });
}

const NOTE_ROOM = 4096;

/** The archive is written whatever the listener does: its failure is logged, never the agent's answer. */
async function tellArchived(options: OpenSpecMcpOptions, root: string, plan: ArchivePlan): Promise<void> {
  try {
    await options.onArchived?.(root, plan);
  } catch (error) {
    options.logger.warn(`Archived ${plan.change}, but recording it failed: ${errorMessage(error)}`);
  }
}
