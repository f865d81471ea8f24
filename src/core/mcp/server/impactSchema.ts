import { z } from 'zod';

/** `impactJson` as MCP tools declare it: what a proposal does to its document beyond validation. */
export const impactSchema = z
  .object({
    summary: z
      .string()
      .describe('For a person: "removes ## Impact and 2 tasks; ticks 3 tasks"; empty when nothing is notable'),
    destructive: z
      .boolean()
      .describe(
        'The proposal removes or changes what a review should never lose: sections, tasks, checkboxes, requirements, scenarios',
      ),
    baseLines: z.number().int(),
    proposedLines: z.number().int(),
    keptShare: z.number().describe("Share of the current text's lines the proposal keeps"),
    entries: z.array(
      z.object({ code: z.string(), subject: z.string(), destructive: z.boolean(), detail: z.string().optional() }),
    ),
    unjustified: z
      .array(z.string())
      .describe('Destructive effects nothing asked for; such a proposal is never written unasked'),
    dirty: z
      .array(z.string())
      .describe('Text in the proposal that is no part of a document (think tags, echoed instructions)'),
    cleaned: z
      .array(z.string())
      .describe('What was taken out of the answer before it was shown (a code fence, listing numbers)'),
  })
  .describe('The impact check: what the proposal does to the document; review it before applying');
