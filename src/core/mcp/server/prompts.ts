import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import type { MarkdownDocument } from '../../openspec/model';
import { checkRelativePath } from './pathConfinement';
import type { FolderContext, ToolContext } from './toolContext';
import { ANSWER_LIMIT_BYTES, boundText, MAX_TEXT_BYTES } from './toolResults';
import { locateChange } from './workspaceLookup';
import { ARGUMENT_LIMITS, capabilityArgument, changeIdArgument, proseArgument } from './argumentSchemas';

const promptFolder = z
  .string()
  .max(ARGUMENT_LIMITS.path)
  .optional()
  .describe('The workspace folder, when the change id is in more than one');

const DELTA_FORMAT = [
  'Delta spec format (checked by `openspec validate`):',
  '- Sections: `## ADDED Requirements`, `## MODIFIED Requirements`, `## REMOVED Requirements`, `## RENAMED Requirements`.',
  '- Each requirement: `### Requirement: <name>`, then a body line containing SHALL or MUST (not only in the header).',
  '- Each requirement needs at least one `#### Scenario: <name>` (exactly four #) with `- **WHEN** ...` and `- **THEN** ...` steps (optional `- **AND** ...`).',
  '- MODIFIED repeats the whole requirement, including every scenario the current spec has.',
  '- REMOVED gives `**Reason**` and `**Migration**`; RENAMED uses ``- FROM: `### Requirement: Old` `` then ``- TO: `### Requirement: New` ``.',
].join('\n');

/** The prompts an MCP client offers its user: a review of a change, and writing a delta spec. */
export function registerPrompts(server: McpServer, context: ToolContext): void {
  server.registerPrompt(
    'review-change',
    {
      title: 'Review an OpenSpec change',
      description: 'Review one change for ambiguities, missing scenarios, contradictions and coverage gaps',
      argsSchema: { change: changeIdArgument.describe('Change id under openspec/changes/'), folder: promptFolder },
    },
    async ({ change: id, folder: name }): Promise<GetPromptResult> => {
      const { folder, item: change } = await locateChange(context, id, name);
      const documents = [change.proposal, change.design, change.tasks, ...change.deltas].filter(
        (document) => document !== undefined,
      );
      const text = [
        `Review the OpenSpec change "${change.id}" below before it is implemented. Look for: ambiguous or untestable wording; requirements`,
        'without SHALL/MUST or without a failure or edge-case scenario; contradictions between proposal, design, tasks and delta specs;',
        'capabilities the proposal names with no delta spec; tasks with no requirement and requirements with no task.',
        'For each problem give the file and line, what is wrong, and the text to write instead. Use the validate tool for format errors.',
        '',
        DELTA_FORMAT,
        '',
      ].join('\n');
      const withFiles = `${text}\n${fileBlocks(folder, documents, text)}`;
      return {
        description: `Review of change ${change.id}`,
        messages: [{ role: 'user', content: { type: 'text', text: withFiles } }],
      };
    },
  );

  server.registerPrompt(
    'write-delta-spec',
    {
      title: 'Write a delta spec',
      description: 'Write the delta spec of one capability for a change, in the format openspec validate accepts',
      argsSchema: {
        change: changeIdArgument.describe('Change id under openspec/changes/'),
        capability: capabilityArgument.describe('Capability path, e.g. auth or audit/log'),
        what: proseArgument.describe('What the change does to this capability'),
        folder: promptFolder,
      },
    },
    async ({ change: id, capability, what, folder: name }): Promise<GetPromptResult> => {
      const { folder, workspace, item: change } = await locateChange(context, id, name);
      checkRelativePath(capability, 'Capability');
      const mainSpec = workspace.specs.find((spec) => spec.capability === capability);
      const existingDelta = change.deltas.find((delta) => delta.capability === capability);
      const target = `openspec/changes/${change.id}/specs/${capability}/spec.md`;
      const text = [
        `Write ${target}: the delta spec of capability "${capability}" for change "${change.id}".`,
        `What the change does to it: ${what}`,
        '',
        DELTA_FORMAT,
        mainSpec
          ? 'Use ADDED for new requirements and MODIFIED/REMOVED/RENAMED for requirements of the current spec below.'
          : `There is no main spec for "${capability}" yet: use ADDED, and you may start with a \`## Purpose\` section (50+ characters).`,
        'Check the result with the validate tool.',
        '',
      ].join('\n');
      const documents = [mainSpec, change.proposal, existingDelta].filter((document) => document !== undefined);
      const withFiles = `${text}\n${fileBlocks(folder, documents, text)}`;
      return {
        description: `Delta spec of ${capability} for ${change.id}`,
        messages: [{ role: 'user', content: { type: 'text', text: withFiles } }],
      };
    },
  );
}

/** Below this much room a file is named instead of shown: a few lines of it would only mislead. */
const SMALLEST_BLOCK_BYTES = 4096;

/**
 * The documents as `<file>` blocks after `intro`, the whole prompt within one answer's budget: each file whole
 * while there is room, the one that meets the end cut (and marked as cut), the rest named with where to read them.
 */
function fileBlocks(folder: FolderContext, documents: readonly MarkdownDocument[], intro: string): string {
  let room = ANSWER_LIMIT_BYTES - Buffer.byteLength(intro, 'utf8') - SMALLEST_BLOCK_BYTES;
  const blocks: string[] = [];
  const left: string[] = [];
  for (const document of documents) {
    const file = folder.relative(document.path);
    if (room < SMALLEST_BLOCK_BYTES) {
      left.push(file);
      continue;
    }
    const block = `<file path="${file}">\n${boundText(document.text, Math.min(MAX_TEXT_BYTES, room - 256)).replace(/\n$/, '')}\n</file>\n`;
    blocks.push(block);
    room -= Buffer.byteLength(block, 'utf8') + 1;
  }
  if (left.length > 0) {
    const note = `Left out to keep this prompt within ${ANSWER_LIMIT_BYTES / 1024} KiB (read them with get_change, get_spec or their openspec:// resources): ${left.join(', ')}`;
    blocks.push(boundText(note, SMALLEST_BLOCK_BYTES - 64));
  }
  return blocks.join('\n');
}
