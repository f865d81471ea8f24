import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { specSummary } from './documentSummaries';
import { staysInside } from './pathConfinement';
import { searchRequirements } from './requirementSearch';
import type { ToolContext } from './toolContext';
import { instrumented } from './toolRunner';
import { structuredResult, ToolRefusal } from './toolResults';
import { findSpec } from './workspaceLookup';
import { ARGUMENT_LIMITS, capabilityArgument } from './argumentSchemas';

const hitSchema = z.object({
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
      description: 'Lists the main specs (openspec/specs/<capability>/spec.md) with their requirement counts.',
      inputSchema: {},
      outputSchema: {
        specs: z.array(
          z.object({
            id: z.string().describe('Capability path, e.g. audit/log'),
            title: z.string().optional().describe("The spec's first heading"),
            requirementCount: z.number().int().describe('Requirements under ## Requirements'),
            file: z.string().describe('Project-relative path'),
          }),
        ),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    instrumented(logger, 'list_specs', async () => {
      const workspace = await context.scan();
      const specs = workspace.specs.map((spec) => ({
        id: spec.capability,
        ...(spec.title !== undefined ? { title: spec.title } : {}),
        requirementCount: spec.requirements.length,
        file: context.relative(spec.path),
      }));
      return structuredResult({ specs });
    }),
  );

  server.registerTool(
    'get_spec',
    {
      title: 'Get a spec',
      description:
        'Reads one main spec: purpose, requirements with their scenarios (1-based lines), and the raw markdown.',
      inputSchema: {
        capability: capabilityArgument.describe('Capability path as list_specs returns it, e.g. audit/log'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    instrumented(logger, 'get_spec', async ({ capability }) => {
      const spec = findSpec(await context.scan(), capability);
      if (!(await staysInside(context.options.fs, context.options.root, spec.path))) {
        throw new ToolRefusal(`${context.relative(spec.path)} is a link leading outside openspec/; refused.`);
      }
      return structuredResult(specSummary(spec, context.relative(spec.path)));
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
      },
      outputSchema: { query: z.string(), hits: z.array(hitSchema) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    instrumented(logger, 'search_requirements', async ({ query, limit, source }) => {
      const workspace = await context.scan();
      const scoped =
        source === 'specs'
          ? { ...workspace, changes: [] }
          : source === 'changes'
            ? { ...workspace, specs: [] }
            : workspace;
      const hits = searchRequirements(scoped, query, { limit: limit ?? 20, mode: 'all', relative: context.relative });
      return structuredResult({ query, hits });
    }),
  );
}
