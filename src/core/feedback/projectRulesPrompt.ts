import { z } from 'zod';
import type { TextChatMessage } from '../ai/chatModel';

const ruleList = (artifact: string) =>
  z
    .array(z.string())
    .nullish()
    .describe(
      `New rules for ${artifact}, each one short imperative sentence; null or empty when there is nothing to add`,
    );

/** What the model answers: additions only; the merge keeps everything config.yaml already has. */
export const projectRulesAnswerSchema = z.object({
  context: z
    .string()
    .nullish()
    .describe(
      'One to three sentences to add to the project context, or null when the lessons say nothing about the project itself',
    ),
  rules: z
    .object({
      proposal: ruleList('proposal.md'),
      specs: ruleList('the delta specs'),
      design: ruleList('design.md'),
      tasks: ruleList('tasks.md'),
    })
    .nullish()
    .describe('New rules per artifact'),
  summary: z.string().min(1).describe('One or two sentences: what you propose to add and which lessons it comes from'),
});

export type ProjectRulesAnswer = z.infer<typeof projectRulesAnswerSchema>;

const INSTRUCTIONS = `You maintain the openspec/config.yaml of a project that uses OpenSpec, the spec-driven workflow. Its "context" is background every AI assistant reads before writing a proposal, spec, design or tasks; its "rules" are short per-artifact instructions (proposal, specs, design, tasks) that every assistant follows.

You turn lessons learned from the team's past decisions on review findings into additions to this file:
- Propose only what the lessons support; do not invent conventions.
- Do not repeat a rule or context sentence the file already has, even in other words.
- A rule is one short imperative sentence about how to write that artifact (for example "Every requirement has a failure scenario."), not about the reviewer.
- Lessons about what reviewers should not flag become rules that say what the team accepts as good enough.
- Leave a field null when there is nothing to add to it.`;

/** The messages asking for additions to `currentText` (undefined when the project has no config.yaml yet). */
export function projectRulesMessages(currentText: string | undefined, lessons: readonly string[]): TextChatMessage[] {
  const current =
    currentText === undefined || currentText.trim() === ''
      ? 'The project has no openspec/config.yaml yet.'
      : `The current openspec/config.yaml:\n<file path="openspec/config.yaml">\n${currentText.replace(/\s+$/, '')}\n</file>`;
  const list = lessons.map((lesson) => `- ${lesson}`).join('\n');
  return [
    { role: 'system', content: INSTRUCTIONS },
    {
      role: 'user',
      content: `${current}\n\nLessons from the team's decisions:\n${list}\n\nPropose the additions to config.yaml as the JSON object.`,
    },
  ];
}
