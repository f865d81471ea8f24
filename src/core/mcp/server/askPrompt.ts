import type { ChatMessage } from '../../ai/chatModel';
import { estimateTokens } from '../../ai/tokenEstimate';
import type { MarkdownDocument, OpenSpecWorkspace } from '../../openspec/model';
import type { RequirementHit } from './requirementSearch';

/** The tokens left for the answer; the rest of the model's context is for the specs. */
export const ASK_ANSWER_TOKENS = 1536;
const DEFAULT_CONTEXT_TOKENS = 8192;

export interface AskPrompt {
  readonly messages: ChatMessage[];
  /** Project-relative paths of the files the prompt shows, the only ones an answer may cite. */
  readonly files: readonly string[];
}

const INSTRUCTIONS =
  "You answer questions about a software project's OpenSpec specifications. Main specs (openspec/specs/) are the current " +
  'truth; delta specs under openspec/changes/<id>/specs/ are proposed changes not yet applied. Answer only from the files ' +
  'shown; when they do not answer the question, say so. Cite every file you rely on by its path exactly as in its ' +
  '<file path="..."> label, and the requirement name when the answer rests on one.';

/**
 * The prompt for `ask`: the files holding the best-matching requirements first (main specs before deltas, as
 * ranked), then the other main specs, as many as fit the model's context.
 */
export function buildAskPrompt(
  workspace: OpenSpecWorkspace,
  question: string,
  hits: readonly RequirementHit[],
  contextLength: number | undefined,
  relative: (file: string) => string,
): AskPrompt {
  const documents = new Map<string, MarkdownDocument>();
  for (const spec of workspace.specs) documents.set(relative(spec.path), spec);
  for (const change of workspace.changes) for (const delta of change.deltas) documents.set(relative(delta.path), delta);
  const order = [...new Set([...hits.map((hit) => hit.file), ...workspace.specs.map((spec) => relative(spec.path))])];
  const hitList = hits
    .map(
      (hit) =>
        `- ${hit.file}: "${hit.requirement}" (line ${hit.line}${hit.change ? `, ${hit.operation ?? 'delta'} in change ${hit.change}` : ''})`,
    )
    .join('\n');
  const task = `${hitList ? `Requirements that match the question best:\n${hitList}\n\n` : ''}Question: ${question}`;
  let budget =
    (contextLength ?? DEFAULT_CONTEXT_TOKENS) -
    ASK_ANSWER_TOKENS -
    estimateTokens(INSTRUCTIONS) -
    estimateTokens(task) -
    600;
  const blocks: string[] = [];
  const files: string[] = [];
  for (const file of order) {
    const document = documents.get(file);
    if (!document) continue;
    const block = `<file path="${file}">\n${document.text.replace(/\n$/, '')}\n</file>`;
    const cost = estimateTokens(block);
    if (cost > budget) continue;
    budget -= cost;
    blocks.push(block);
    files.push(file);
  }
  return {
    messages: [
      { role: 'system', content: INSTRUCTIONS },
      {
        role: 'user',
        content: `${blocks.length > 0 ? blocks.join('\n\n') : '(The project has no specs.)'}\n\n${task}`,
      },
    ],
    files,
  };
}
