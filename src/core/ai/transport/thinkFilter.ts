const openTag = '<think>';
const closeTag = '</think>';

/**
 * Separates `<think>...</think>` reasoning from the answer while the reply streams in, so a tag cut across
 * two deltas (`<thi` + `nk>`) is still recognised. Some chat templates put the opening tag in the prompt,
 * so the reply starts with reasoning and only a `</think>` marks its end: an unmatched closing tag turns
 * everything before it into reasoning.
 */
export class ThinkFilter {
  private answer = '';
  private thought = '';
  private pending = '';
  private inside = false;
  private sawThink = false;

  push(text: string): void {
    let buffer = this.pending + text;
    this.pending = '';
    for (;;) {
      const next = this.nextTag(buffer);
      if (!next) break;
      this.emit(buffer.slice(0, next.index));
      buffer = buffer.slice(next.index + next.tag.length);
      this.sawThink = true;
      if (next.tag === openTag) {
        this.inside = true;
      } else if (this.inside) {
        this.inside = false;
      } else {
        this.thought += this.answer;
        this.answer = '';
      }
    }
    const keep = partialTagLength(buffer, this.inside ? [closeTag] : [openTag, closeTag]);
    this.emit(buffer.slice(0, buffer.length - keep));
    this.pending = buffer.slice(buffer.length - keep);
  }

  /** The answer and the reasoning once the stream is over; an unclosed `<think>` keeps the rest as reasoning. */
  end(): { content: string; reasoning: string } {
    this.emit(this.pending);
    this.pending = '';
    return {
      content: this.sawThink ? this.answer.trimStart() : this.answer,
      reasoning: this.thought.trim(),
    };
  }

  /** The answer so far: text outside any think block. */
  get content(): string {
    return this.answer;
  }

  private emit(text: string): void {
    if (this.inside) this.thought += text;
    else this.answer += text;
  }

  private nextTag(buffer: string): { index: number; tag: string } | undefined {
    const close = buffer.indexOf(closeTag);
    const open = this.inside ? -1 : buffer.indexOf(openTag);
    if (open >= 0 && (close < 0 || open < close)) return { index: open, tag: openTag };
    if (close >= 0) return { index: close, tag: closeTag };
    return undefined;
  }
}

/** How many characters at the end of `text` could be the start of one of the tags. */
function partialTagLength(text: string, tags: readonly string[]): number {
  let longest = 0;
  for (const tag of tags) {
    for (let length = Math.min(tag.length - 1, text.length); length > longest; length--) {
      if (text.endsWith(tag.slice(0, length))) {
        longest = length;
        break;
      }
    }
  }
  return longest;
}

/** Strips think blocks from a complete text. */
export function splitThinking(text: string): { content: string; reasoning: string } {
  const filter = new ThinkFilter();
  filter.push(text);
  return filter.end();
}
