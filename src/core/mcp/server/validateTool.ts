import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { makeRoot } from '../../validation/projectRoot';
import { ItemSelectionError, validateItems, type ValidationSelection } from '../../validation/validateItems';
import type { ToolContext } from './toolContext';
import { instrumented } from './toolRunner';
import { errorResult, structuredResult } from './toolResults';
import { itemNamesArgument } from './argumentSchemas';

/** `validate`: the object `openspec-loop validate --json` (and `openspec validate --json`) prints. */
export function registerValidateTool(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'validate',
    {
      title: 'Validate',
      description:
        'Runs the checks of `openspec validate` on changes and specs and returns the same JSON as `openspec validate --json`: ' +
        'items with issues (level, path, line, message) and a summary. Without items, validates everything.',
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
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    instrumented(context.options.logger, 'validate', async ({ items, type, changes, specs, strict }) => {
      const root = makeRoot(context.options.root, 'nearest');
      const bulkAll = changes === undefined && specs === undefined;
      const selection: ValidationSelection =
        items && items.length > 0
          ? { kind: 'items', names: items, ...(type ? { type } : {}) }
          : { kind: 'bulk', changes: bulkAll || changes === true, specs: bulkAll || specs === true };
      try {
        const run = await validateItems(context.options.fs, root, selection, { strict: strict ?? false });
        return structuredResult(run as unknown as Record<string, unknown>);
      } catch (error) {
        if (error instanceof ItemSelectionError)
          return errorResult(JSON.stringify({ status: error.diagnostics }, null, 2));
        throw error;
      }
    }),
  );
}
