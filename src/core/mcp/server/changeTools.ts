import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { posix as path } from 'node:path';
import { z } from 'zod';
import { changeAnswer, CHANGE_DOCUMENTS } from './changeAnswer';
import { changeStatus, tasksSummary } from './documentSummaries';
import type { Change } from '../../openspec/model';
import { rememberedFor } from '../../weakMemo';
import { folderArgument, folderOutput, type FolderContext, type ToolContext } from './toolContext';
import { instrumented } from './toolRunner';
import { fitListing, structuredResult, ToolRefusal, truncatedSchema } from './toolResults';
import { locateChange, scanFolders, unreadableBelow, unreadableReason, unreadableSchema } from './workspaceLookup';
import { capabilityArgument, changeIdArgument, formatArgument, requirementArgument } from './argumentSchemas';
import { compareText } from '../../compareText';

const changeListing = z.object({
  changes: z.array(
    z.object({
      folder: folderOutput,
      id: z.string().describe('Change id: the folder name under openspec/changes/'),
      title: z.string().optional().describe("The proposal's first heading"),
      completedTasks: z.number().int().describe('Tasks checked in tasks.md'),
      totalTasks: z.number().int().describe('Tasks in tasks.md'),
      status: z.enum(['no-tasks', 'complete', 'in-progress']).describe('As `openspec list` reports it'),
      deltaCount: z.number().int().describe('Delta spec files under the change'),
      lastModified: z.string().describe('ISO time of the newest of proposal, design, tasks and metadata'),
    }),
  ),
  unreadable: unreadableSchema
    .optional()
    .describe('Change folders and files that could not be read, left out above (absent when there are none)'),
  truncated: truncatedSchema,
});

type ChangeEntry = z.infer<typeof changeListing>['changes'][number];

export function registerChangeTools(server: McpServer, context: ToolContext): void {
  const { logger } = context.options;
  // A change the model did not re-read since is the same object, and so is its entry: a listing of hundreds
  // builds only the entries of changes that changed.
  const entries = new WeakMap<Change, ChangeEntry>();
  const entryOf = (folder: FolderContext, change: Change): ChangeEntry =>
    rememberedFor(entries, change, () => ({
      ...context.folderField(folder),
      id: change.id,
      ...(change.proposal?.title !== undefined ? { title: change.proposal.title } : {}),
      completedTasks: change.tasks?.completed ?? 0,
      totalTasks: change.tasks?.total ?? 0,
      status: changeStatus(change),
      deltaCount: change.deltas.length,
      lastModified: new Date(change.lastModified).toISOString(),
    }));

  server.registerTool(
    'list_changes',
    {
      title: 'List changes',
      description:
        'Lists the active OpenSpec changes (openspec/changes/*, archive excluded) with task progress, newest first; ' +
        'with several workspace folders, each change names its folder.',
      inputSchema: { folder: folderArgument },
      outputSchema: changeListing.shape,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    instrumented(logger, 'list_changes', async ({ folder: name }) => {
      const scanned = await scanFolders(context.within(name));
      const changes = scanned
        .flatMap(({ folder, workspace }) => workspace.changes.map((change) => ({ folder, change })))
        .filter(({ change }) => unreadableReason(change, change.dir) === undefined)
        .sort((a, b) => b.change.lastModified - a.change.lastModified || compareText(a.change.id, b.change.id))
        .map(({ folder, change }) => entryOf(folder, change));
      return structuredResult(
        fitListing(
          unreadableBelow(context, scanned, 'changes'),
          'changes',
          changes,
          context.multiRoot
            ? 'the newest are shown; pass folder to list one folder'
            : 'the newest are shown; read one you know with get_change',
        ),
      );
    }),
  );

  server.registerTool(
    'get_change',
    {
      title: 'Get a change',
      description:
        'Reads one change: proposal, design, tasks and delta specs, parsed (sections, requirements, scenarios, tasks; 1-based lines) ' +
        'or as markdown (`format`); design.md is always markdown. Use `include` to ask for fewer documents and `delta` for one delta spec, ' +
        'paged by requirement like get_spec. An answer holds at most 256 KiB: documents that do not fit are named in `truncated.omitted` ' +
        'with the call that reads each. Files that could not be read (no permission, a link leading outside openspec/) are named in `unreadable`.',
      inputSchema: {
        change: changeIdArgument.describe('Change id, as list_changes returns it'),
        folder: folderArgument,
        include: z
          .array(z.enum(CHANGE_DOCUMENTS))
          .optional()
          .describe('Documents to return (default: all of proposal, design, tasks, deltas)'),
        format: formatArgument,
        delta: capabilityArgument
          .optional()
          .describe('Return only the delta spec of this capability (e.g. audit/log), paged by requirement'),
        fromRequirement: requirementArgument
          .optional()
          .describe('With delta: start from this requirement (as truncated.nextRequirement names it)'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    instrumented(
      logger,
      'get_change',
      async ({ change: id, folder: name, include, format, delta, fromRequirement }) => {
        const { folder, item: change } = await locateChange(context, id, name);
        return structuredResult(
          changeAnswer(context, folder, change, {
            format: format ?? 'parsed',
            ...(include !== undefined ? { include } : {}),
            ...(delta !== undefined ? { delta } : {}),
            ...(fromRequirement !== undefined ? { fromRequirement } : {}),
          }),
        );
      },
    ),
  );

  server.registerTool(
    'get_tasks',
    {
      title: 'Get tasks',
      description:
        "Lists a change's tasks from tasks.md: id, text, done, 1-based line and group. Pass a line (or id) to set_task_status to check one.",
      inputSchema: {
        change: changeIdArgument.describe('Change id, as list_changes returns it'),
        folder: folderArgument,
      },
      outputSchema: {
        folder: folderOutput,
        change: z.string().describe('Change id'),
        file: z.string().describe('Project-relative path of tasks.md'),
        completed: z.number().int().describe('Tasks checked'),
        total: z.number().int().describe('Tasks in the file'),
        groups: z
          .array(z.object({ number: z.string().optional(), title: z.string(), line: z.number().int() }))
          .describe('`## N. Group` headings'),
        tasks: z
          .array(
            z.object({
              id: z.string().optional().describe('The number the author gave it (1.2)'),
              text: z.string(),
              done: z.boolean(),
              line: z.number().int().describe('1-based line in tasks.md'),
              group: z.string().optional().describe('Title of its group'),
            }),
          )
          .describe('Every task checkbox, in file order'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    instrumented(logger, 'get_tasks', async ({ change: id, folder: name }) => {
      const { folder, item: change } = await locateChange(context, id, name);
      if (!change.tasks) {
        const file = path.join(change.dir, 'tasks.md');
        const failure = unreadableReason(change, file);
        throw new ToolRefusal(
          failure !== undefined
            ? `${folder.relative(file)} cannot be read: ${failure}.`
            : `Change "${id}" has no tasks.md.`,
        );
      }
      return structuredResult({
        ...context.folderField(folder),
        change: change.id,
        ...tasksSummary(change.tasks, folder.relative(change.tasks.path)),
      });
    }),
  );
}
