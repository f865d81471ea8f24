import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { specPage } from './requirementPages';
import { compareHits, searchRequirements } from './requirementSearch';
import { folderArgument, folderOutput, type ToolContext } from './toolContext';
import { instrumented } from './toolRunner';
import { fitListing, structuredResult, truncatedSchema } from './toolResults';
import { locateSpec, scanFolders, unreadableBelow, unreadableSchema } from './workspaceLookup';
import { ARGUMENT_LIMITS, capabilityArgument, formatArgument, requirementArgument } from './argumentSchemas';

const hitSchema = z.object({
  folder: folderOutput,
  source: z.enum(['spec', 'delta']).describe("'spec' for a main spec, 'delta' for a change's delta spec"),
  file: z.string().describe('Project-relative path of the spec file'),
  capability: z.string().describe('Capability path, e.g. audit/log'),
  change: z.string().optional().describe('The change a delta belongs to'),
  operation: z
    .enum(['ADDED', 'MODIFIED', 'REMOVED', 'RENAMED'])
    .optional()
    .describe('Delta section of the requirement'),
  requirement: z.string().describe('Requirement name'),
  line: z.number().int().describe('1-based line of "### Requirement:"'),
  score: z.number().describe('Higher is more relevant'),
  excerpt: z.string().describe('The body line that matched'),
  scenarios: z.array(z.string()).describe('Scenarios that matched'),
});

export function registerSpecTools(server: McpServer, context: ToolContext): void {
  const { logger } = context.options;

  server.registerTool(
    'list_specs',
    {
      title: 'List specs',
      description:
        'Lists the main specs (openspec/specs/<capability>/spec.md) with their requirement counts; with several workspace folders, each spec names its folder.',
      inputSchema: { folder: folderArgument },
      outputSchema: {
        specs: z.array(
          z.object({
            folder: folderOutput,
            id: z.string().describe('Capability path, e.g. audit/log'),
            title: z.string().optional().describe("The spec's first heading"),
            requirementCount: z.number().int().describe('Requirements under ## Requirements'),
            file: z.string().describe('Project-relative path'),
          }),
        ),
        unreadable: unreadableSchema
          .optional()
          .describe('Spec folders and files that could not be read, left out above (absent when there are none)'),
        truncated: truncatedSchema,
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    instrumented(logger, 'list_specs', async ({ folder: name }) => {
      const scanned = await scanFolders(context.within(name));
      const specs = scanned.flatMap(({ folder, workspace }) =>
        workspace.specs.map((spec) => ({
          ...context.folderField(folder),
          id: spec.capability,
          ...(spec.title !== undefined ? { title: spec.title } : {}),
          requirementCount: spec.requirements.length,
          file: folder.relative(spec.path),
        })),
      );
      return structuredResult(
        fitListing(
          unreadableBelow(context, scanned, 'specs'),
          'specs',
          specs,
          context.multiRoot ? 'pass folder to list one folder' : 'read a spec you know with get_spec',
        ),
      );
    }),
  );

  server.registerTool(
    'get_spec',
    {
      title: 'Get a spec',
      description:
        'Reads one main spec: title, purpose, and its requirements with their scenarios (1-based lines), parsed or as markdown. ' +
        'A spec too large for one answer (256 KiB) comes in pages: the answer says `truncated` with the requirement to ask for next.',
      inputSchema: {
        capability: capabilityArgument.describe('Capability path as list_specs returns it, e.g. audit/log'),
        folder: folderArgument,
        format: formatArgument,
        fromRequirement: requirementArgument
          .optional()
          .describe('Start from this requirement (as truncated.nextRequirement names it); default: the first'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    instrumented(logger, 'get_spec', async ({ capability, folder: name, format, fromRequirement }) => {
      const { folder, item: spec } = await locateSpec(context, capability, name);
      const head = { ...context.folderField(folder), capability: spec.capability, file: folder.relative(spec.path) };
      const folderWords = context.multiRoot ? `, folder: "${folder.name}"` : '';
      return structuredResult(
        specPage(spec, head, {
          format: format ?? 'parsed',
          what: `The spec "${spec.capability}"`,
          ...(fromRequirement !== undefined ? { fromRequirement } : {}),
          continuation: (next) =>
            `get_spec again with capability: "${spec.capability}"${folderWords}${format === 'markdown' ? ', format: "markdown"' : ''} and fromRequirement: ${JSON.stringify(next)}`,
        }),
      );
    }),
  );

  server.registerTool(
    'search_requirements',
    {
      title: 'Search requirements',
      description:
        'Case-insensitive search of requirement names, bodies and scenarios in the main specs and in the delta specs of active changes. ' +
        'Every word of the query must occur; results are ranked (name matches first).',
      inputSchema: {
        query: z.string().min(1).max(ARGUMENT_LIMITS.query).describe('Words to look for, e.g. "session timeout"'),
        limit: z.number().int().min(1).max(200).optional().describe('Most results to return (default 20)'),
        source: z
          .enum(['all', 'specs', 'changes'])
          .optional()
          .describe('Search main specs, change deltas, or both (default all)'),
        folder: folderArgument,
      },
      outputSchema: {
        query: z.string(),
        hits: z.array(hitSchema),
        unreadable: unreadableSchema
          .optional()
          .describe('Folders and files that could not be read, so not searched (absent when there are none)'),
        truncated: truncatedSchema,
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    instrumented(logger, 'search_requirements', async ({ query, limit, source, folder: name }) => {
      const most = limit ?? 20;
      const scanned = await scanFolders(context.within(name));
      const hits = scanned
        .flatMap(({ folder, workspace }) => {
          const scoped =
            source === 'specs'
              ? { ...workspace, changes: [] }
              : source === 'changes'
                ? { ...workspace, specs: [] }
                : workspace;
          return searchRequirements(scoped, query, { limit: most, mode: 'all', relative: folder.relative }).map(
            (hit) => ({ ...context.folderField(folder), ...hit }),
          );
        })
        .sort(compareHits)
        .slice(0, most);
      const searched = source === 'specs' ? 'specs' : source === 'changes' ? 'changes' : '';
      return structuredResult(
        fitListing(
          { query, ...unreadableBelow(context, scanned, searched) },
          'hits',
          hits,
          'pass a lower limit, source, folder or more words',
        ),
      );
    }),
  );
}
