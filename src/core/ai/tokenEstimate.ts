/**
 * A cheap, deliberately high estimate of how many tokens a text costs the model. LM Studio's OpenAI-compatible
 * API has no tokenizer endpoint, so prompts are packed against this estimate; the real count only comes back
 * afterwards (usage.prompt_tokens) or as a context-overflow error.
 *
 * Three views of the text are taken and the largest wins:
 * - characters: 3.5 ASCII characters per token, plus one token per other character (accents, CJK and emoji
 *   cost one or more tokens each in every common vocabulary);
 * - words: 1.3 tokens per whitespace-separated word, for prose made of many short words;
 * - pieces: 1.1 tokens per letter run, digit run, punctuation character and line break, plus one for the
 *   space before a number (Llama 3 and o200k split it off), for markdown dense with `- [ ]`, `**WHEN**`,
 *   `1.2` and line-number prefixes, where the other two fall short.
 * Checked against the Llama 3 and o200k tokenizers on 274 OpenSpec documents, plain and line-numbered: never
 * under the larger real count, 1.27x it at the median, 1.23x in aggregate, 1.76x at worst (long prose). The
 * excess is the margin wanted: an underestimate becomes a context-overflow error, an overestimate only a
 * slightly shorter prompt.
 */
const ASCII_CHARS_PER_TOKEN = 3.5;
const TOKENS_PER_WORD = 1.3;
const TOKENS_PER_PIECE = 1.1;

const SPACE = 0;
const LETTER = 1;
const DIGIT = 2;
const PUNCTUATION = 3;
const LINE_BREAK = 4;

export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  let words = 0;
  let pieces = 0;
  let previous = LINE_BREAK;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // A surrogate pair is one character; count it once.
    if (code < 128) ascii++;
    else if (code < 0xdc00 || code > 0xdfff) other++;
    const kind = classify(code);
    const afterSpace = previous === SPACE || previous === LINE_BREAK;
    if (kind !== SPACE && kind !== LINE_BREAK && afterSpace) words++;
    if (kind === PUNCTUATION || (kind !== SPACE && kind !== previous)) pieces++;
    if (kind === DIGIT && previous === SPACE) pieces++;
    previous = kind;
  }
  return Math.ceil(Math.max(ascii / ASCII_CHARS_PER_TOKEN + other, words * TOKENS_PER_WORD, pieces * TOKENS_PER_PIECE));
}

function classify(code: number): number {
  if (code === 10 || code === 13) return LINE_BREAK;
  if (code === 32 || code === 9) return SPACE;
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code >= 128) return LETTER;
  if (code >= 48 && code <= 57) return DIGIT;
  return PUNCTUATION;
}

/** What a chat template adds around each message (role markers, separators), rounded up. */
export const MESSAGE_OVERHEAD_TOKENS = 8;
