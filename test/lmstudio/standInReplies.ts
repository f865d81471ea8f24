import type { StandInReply } from './standInTypes';

/** Scripted replies for the content faults: what a weak or reasoning model sends back. */
export const standInReplies = {
  /** JSON cut off mid-string, as a model that ran out of tokens or ignored the grammar sends. */
  invalidJson: '{"findings": [{"title": "Missing scenario", "severity": "err',

  /** Well-formed JSON that ignores the requested schema (wrong field names and types). */
  schemaViolating: '{"result": "looks fine", "score": "high", "findings": "none"}',

  /** Reasoning inside the content, as models without a separate reasoning channel send it. */
  withThink(thinking: string, answer: string): StandInReply {
    return `<think>${thinking}</think>\n\n${answer}`;
  },

  /** The same, with the tags cut across delta boundaries (`<th` + `ink>`...). */
  withSplitThink(thinking: string, answer: string): StandInReply {
    return { chunks: ['<th', `ink>${thinking.slice(0, 3)}`, `${thinking.slice(3)}</`, 'think', `>\n\n${answer}`] };
  },

  /** Reasoning in the separate `reasoning_content` (or gpt-oss `reasoning`) delta field. */
  withReasoningField(
    reasoning: string,
    answer: string,
    field: 'reasoning_content' | 'reasoning' = 'reasoning_content',
  ): StandInReply {
    return { content: answer, reasoning, reasoningField: field };
  },
};
