import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { makeRoot } from '../../validation/projectRoot';
import {
  ItemSelectionError,
  validateItems,
  type ItemType,
  type ValidationSelection,
} from '../../validation/validateItems';
import { folderArgument, type FolderContext, type ToolContext } from './toolContext';
import { instrumented } from './toolRunner';
import { errorResult, fitListing, structuredResult, ToolRefusal } from './toolResults';
import { scanFolders } from './workspaceLookup';
import { itemNamesArgument } from './argumentSchemas';

/**
 * `validate`: the object `openspec-loop validate --json` (and `openspec validate --json`) prints, for the one
 * folder the call concerns; `{ folders: [{ folder, ...that object }] }` when it concerns several.
 */
export function registerValidateTool(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'validate',
    {
      title: 'Validate',
      description:
        'Runs the checks of `openspec validate` on changes and specs and returns the same JSON as `openspec validate --json`: ' +
        'items with issues (level, path, line, message) and a summary. Without items, validates everything. ' +
        'With several workspace folders, named items are validated in the folder holding them, and a call covering several folders ' +
        'returns { folders: [{ folder, items, summary, ... }] }.',
      inputSchema: {
        items: itemNamesArgument
          .optional()
          .describe('Change ids or spec capabilities to validate; omit to validate all'),
        type: z
          .enum(['change', 'spec'])
          .optional()
          .describe('With items: the type, when a name is both a change and a spec'),
        changes: z
          .boolean()
          .optional()
          .describe('Without items: validate all changes (default true when specs is not set)'),
        specs: z
          .boolean()
          .optional()
          .describe('Without items: validate all specs (default true when changes is not set)'),
        strict: z.boolean().optional().describe('Warnings fail an item too (like --strict)'),
        folder: folderArgument,
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    instrumented(context.options.logger, 'validate', async ({ items, type, changes, specs, strict, folder: name }) => {
      const bulkAll = changes === undefined && specs === undefined;
      const bulk: ValidationSelection = {
        kind: 'bulk',
        changes: bulkAll || changes === true,
        specs: bulkAll || specs === true,
      };
      const plan =
        items && items.length > 0
          ? await itemsByFolder(context, context.within(name), items, type)
          : context.within(name).map((folder) => ({ folder, selection: bulk }));
      try {
        const runs = [];
        for (const { folder, selection } of plan) {
          const run = await validateItems(await folder.files(), makeRoot(folder.root, 'nearest'), selection, {
            strict: strict ?? false,
          });
          runs.push({ ...context.folderField(folder), ...run });
        }
        const [only] = runs;
        if (!only || runs.length > 1) return structuredResult({ folders: runs });
        const { items: checked, ...rest } = only;
        return structuredResult(
          fitListing(rest, 'items', checked, 'name fewer items, or validate changes or specs alone'),
        );
      } catch (error) {
        if (error instanceof ItemSelectionError) return errorResult(JSON.stringify({ status: error.diagnostics }));
        throw error;
      }
    }),
  );
}

/**
 * Named items grouped by the folder that holds them. One folder gets every name as it is (its validator says
 * what is wrong with a bad one, as the CLI does); with several, each name goes to the folder holding it, and
 * a name no folder or more than one holds is refused with the folders.
 */
async function itemsByFolder(
  context: ToolContext,
  folders: readonly FolderContext[],
  names: readonly string[],
  type: ItemType | undefined,
): Promise<Array<{ folder: FolderContext; selection: ValidationSelection }>> {
  const typed = { ...(type ? { type } : {}) };
  const [only] = folders;
  if (only && folders.length === 1) return [{ folder: only, selection: { kind: 'items', names, ...typed } }];
  const scanned = await scanFolders(folders);
  const grouped = new Map<FolderContext, string[]>();
  for (const name of names) {
    const holders = scanned.filter(
      ({ workspace }) =>
        (type !== 'spec' && workspace.changes.some((change) => change.id === name)) ||
        (type !== 'change' && workspace.specs.some((spec) => spec.capability === name)),
    );
    const [holder] = holders;
    if (!holder) {
      throw new ToolRefusal(
        `"${name}" is no ${type ?? 'change or spec'} of any folder (${context.folders.map((folder) => folder.name).join(', ')}); list_changes and list_specs name them.`,
      );
    }
    if (holders.length > 1) {
      throw new ToolRefusal(
        `"${name}" is in ${holders.length} folders: ${holders.map(({ folder }) => folder.name).join(', ')}. Pass folder to name one.`,
      );
    }
    grouped.set(holder.folder, [...(grouped.get(holder.folder) ?? []), name]);
  }
  return [...grouped].map(([folder, held]) => ({ folder, selection: { kind: 'items', names: held, ...typed } }));
}
