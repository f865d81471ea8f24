import { checkWarning, impactJson } from '../../ai/improve/proposalCheck';
import { impactSchema } from './impactSchema';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { improveInContext } from '../../ai/improve/improveDocument';
import { unifiedDiff } from '../../ai/improve/unifiedDiff';
import { loadChangeContext } from '../../ai/prompt/changeContext';
import { reviewChangeContext } from '../../ai/review/reviewChange';
import { changeFilePath } from './changeFileArgument';
import { acquireModel } from './modelAccess';
import { progressNotifier } from './progressBridge';
import { folderArgument, folderOutput, type ToolContext } from './toolContext';
import { instrumented } from './toolRunner';
import { boundText, structuredResult } from './toolResults';
import { locateChange } from './workspaceLookup';
import { ARGUMENT_LIMITS, changeFileArgument, changeIdArgument, proseArgument } from './argumentSchemas';

const issueSchema = z.object({
  level: z.string(),
  path: z.string(),
  line: z.number().int().optional(),
  message: z.string(),
});

export function registerAiTools(server: McpServer, context: ToolContext): void {
  const { logger } = context.options;

  server.registerTool(
    'review_change',
    {
      title: 'Review a change with the local model',
      description:
        'Asks the local model (LM Studio) to review one change: ambiguities, missing scenarios, contradictions between proposal, design, ' +
        'tasks and specs, coverage gaps. Returns findings anchored to files and 1-based lines. Slow on CPU models: progress is reported.',
      inputSchema: {
        change: changeIdArgument.describe('Change id, as list_changes returns it'),
        folder: folderArgument,
      },
      outputSchema: {
        folder: folderOutput,
        change: z.string(),
        model: z.string().describe('The model that answered'),
        findings: z.array(
          z.object({
            severity: z.enum(['error', 'warning', 'info']),
            category: z.string(),
            file: z.string().describe('Project-relative path'),
            line: z.number().int().optional().describe('1-based'),
            requirement: z.string().optional(),
            message: z.string(),
            suggestion: z.string().optional(),
          }),
        ),
        trimmed: z.array(z.string()).describe('What was shortened or left out of the prompt to fit the model'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    instrumented(logger, 'review_change', async ({ change: id, folder: name }, extra) => {
      const { folder } = await locateChange(context, id, name);
      const changeContext = await loadChangeContext(folder.fs, folder.root, id);
      const model = await acquireModel(context, extra.signal);
      const onProgress = progressNotifier(extra, `Reviewing ${id}`);
      const result = await reviewChangeContext(model, changeContext, {
        signal: extra.signal,
        logger,
        ...(onProgress ? { onProgress } : {}),
      });
      const value = {
        ...context.folderField(folder),
        change: result.change,
        model: result.model,
        findings: result.findings.map((finding) => ({ ...finding })),
        trimmed: result.trimmed.map((note) => note.message),
      };
      const lines = result.findings.map(
        (finding) =>
          `${finding.severity.toUpperCase()} ${finding.file}${finding.line !== undefined ? `:${finding.line}` : ''} [${finding.category}] ${finding.message}`,
      );
      const text = `${lines.length > 0 ? lines.join('\n') : `No findings for change ${id}.`}\n\n${JSON.stringify(value)}`;
      return structuredResult(value, text);
    }),
  );

  server.registerTool(
    'propose_improvement',
    {
      title: 'Propose an improvement with the local model',
      description:
        'Asks the local model for a better version of one document of a change (or of one requirement in it) and returns the new text ' +
        'and a unified diff, with any validation errors the new text would add and its impact (sections, tasks, requirements it removes, ' +
        'checkboxes it changes, text that is no part of a document). Never writes: apply the diff yourself if you agree.',
      inputSchema: {
        change: changeIdArgument.describe('Change id, as list_changes returns it'),
        folder: folderArgument,
        file: changeFileArgument.describe(
          'The document, relative to the change folder (proposal.md, specs/auth/spec.md) or to the project',
        ),
        requirement: z
          .string()
          .max(ARGUMENT_LIMITS.prose)
          .optional()
          .describe('Rewrite only this requirement (its name after "### Requirement:"); the rest stays byte for byte'),
        instruction: proseArgument.optional().describe('What to improve, in your words'),
      },
      outputSchema: {
        folder: folderOutput,
        change: z.string(),
        file: z.string().describe('Project-relative path'),
        model: z.string(),
        summary: z.string().describe("The model's summary of what it changed"),
        changed: z.boolean().describe('False when the model kept the document as it is'),
        newErrors: z.array(issueSchema).describe('Validation errors the proposal would add'),
        impact: impactSchema,
        unifiedDiff: z
          .string()
          .describe("Unified diff from the file's current text to the proposal; empty when unchanged"),
        proposedText: z.string().describe('The whole proposed text of the file'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    instrumented(
      logger,
      'propose_improvement',
      async ({ change: id, folder: name, file, requirement, instruction }, extra) => {
        const { folder, item: change } = await locateChange(context, id, name);
        const absolute = await changeFilePath(folder, change, file);
        const changeContext = await loadChangeContext(folder.fs, folder.root, id);
        const model = await acquireModel(context, extra.signal);
        const onProgress = progressNotifier(extra, `Improving ${folder.relative(absolute)}`);
        const proposal = await improveInContext(
          model,
          folder.fs,
          changeContext,
          {
            changeId: id,
            file: absolute,
            ...(requirement !== undefined ? { requirement } : {}),
            ...(instruction !== undefined ? { instruction } : {}),
          },
          { signal: extra.signal, logger, ...(onProgress ? { onProgress } : {}) },
        );
        const diff = proposal.changed ? unifiedDiff(proposal.baseText, proposal.proposedText, proposal.file) : '';
        const value = {
          ...context.folderField(folder),
          change: id,
          file: proposal.file,
          model: proposal.model,
          summary: proposal.summary,
          changed: proposal.changed,
          newErrors: proposal.validation.newErrors.map((issue) => ({ ...issue })),
          impact: impactJson(proposal.check),
          unifiedDiff: boundText(diff),
          proposedText: boundText(proposal.proposedText),
        };
        const warning = checkWarning(proposal.check);
        const text = `${proposal.summary}${warning ? `\nWarning: the proposal ${warning}.` : ''}\n\n${proposal.changed ? boundText(diff) : `${proposal.file}: no change proposed.`}`;
        return structuredResult(value, text);
      },
    ),
  );
}
