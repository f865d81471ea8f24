import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { requestStructured } from '../../ai/structuredOutput';
import { acquireModel } from './modelAccess';
import { ASK_ANSWER_TOKENS, buildAskPrompt } from './askPrompt';
import { progressNotifier } from './progressBridge';
import { searchRequirements } from './requirementSearch';
import { folderOutput, type ToolContext } from './toolContext';
import { instrumented } from './toolRunner';
import { structuredResult } from './toolResults';
import { ARGUMENT_LIMITS, proseArgument } from './argumentSchemas';

const answerSchema = z.object({
  answer: z
    .string()
    .min(1)
    .describe('The answer in a few sentences, from the files shown only; say so when they do not answer it'),
  citations: z
    .array(
      z.object({
        file: z.string().describe('A file the answer rests on, exactly as in its <file path="..."> label'),
        requirement: z
          .string()
          .nullish()
          .describe('The requirement name after "### Requirement:", when the answer rests on one'),
      }),
    )
    .describe('Every file (and requirement) the answer rests on'),
});

export function registerAskTool(server: McpServer, context: ToolContext): void {
  server.registerTool(
    'ask',
    {
      title: 'Ask about the specs',
      description:
        "Answers a question about the project's specs and proposed changes with the local model (LM Studio), citing the files and " +
        'requirements it rests on. Only cites files it was shown.',
      inputSchema: {
        question: proseArgument.min(1).describe('The question, e.g. "What happens when a shared link expires?"'),
        folder: z
          .string()
          .max(ARGUMENT_LIMITS.path)
          .optional()
          .describe('The workspace folder whose specs to ask about; needed when the server serves several folders'),
      },
      outputSchema: {
        folder: folderOutput,
        question: z.string(),
        answer: z.string(),
        citations: z.array(
          z.object({ file: z.string().describe('Project-relative path'), requirement: z.string().optional() }),
        ),
        model: z.string(),
        sources: z.array(z.string()).describe('The files the model was shown'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    instrumented(context.options.logger, 'ask', async ({ question, folder: name }, extra) => {
      const folder = context.single(name);
      const workspace = await folder.scan();
      const hits = searchRequirements(workspace, question, { limit: 12, mode: 'any', relative: folder.relative });
      const model = await acquireModel(context, extra.signal);
      const prompt = buildAskPrompt(workspace, question, hits, model.contextLength, folder.relative);
      const onProgress = progressNotifier(extra, 'Answering');
      const result = await requestStructured(
        model,
        {
          messages: prompt.messages,
          maxTokens: ASK_ANSWER_TOKENS,
          temperature: 0.2,
          signal: extra.signal,
          ...(onProgress ? { onProgress } : {}),
        },
        answerSchema,
        'openspec_answer',
        { logger: context.options.logger },
      );
      const shown = new Set(prompt.files);
      const citations = [];
      for (const citation of result.value.citations) {
        const file = citation.file.trim().replace(/^\.\//, '');
        if (!shown.has(file)) {
          context.options.logger.warn(`ask: citation of a file the model was not shown set aside: ${citation.file}`);
          continue;
        }
        citations.push({ file, ...(citation.requirement ? { requirement: citation.requirement } : {}) });
      }
      const value = {
        ...context.folderField(folder),
        question,
        answer: result.value.answer,
        citations,
        model: result.reply.model || model.id,
        sources: [...prompt.files],
      };
      const cited = citations
        .map((citation) => `- ${citation.file}${citation.requirement ? ` (${citation.requirement})` : ''}`)
        .join('\n');
      return structuredResult(value, `${value.answer}${cited ? `\n\nSources:\n${cited}` : ''}`);
    }),
  );
}
