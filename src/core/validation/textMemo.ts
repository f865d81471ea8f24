/**
 * A pure function of a document's text, remembered by that text. One `validate --all` reads each main spec
 * in its own check and again in the archive dry run of every change that touches it, and each delta spec in
 * its checks and in its dry run; the parse is the same each time. The results are shared between callers,
 * who only read them. Bounded, so an editor retyping a large spec does not pile up copies: past the bound
 * it starts afresh.
 */
export interface TextMemoBounds {
  /** Characters of text held at most (default 4 M); a longer text is never remembered. */
  readonly maxChars?: number;
  /** Texts held at most (default: no count). */
  readonly maxEntries?: number;
  /** Remember a throw too and throw it again for the same text (default false: a throw is not remembered). */
  readonly failures?: boolean;
}

const MAX_CHARS = 4_000_000;

type Remembered<T> = { readonly value: T } | { readonly error: unknown };

export function rememberedByText<T>(compute: (text: string) => T, bounds: TextMemoBounds = {}): (text: string) => T {
  const maxChars = bounds.maxChars ?? MAX_CHARS;
  const maxEntries = bounds.maxEntries ?? Infinity;
  const results = new Map<string, Remembered<T>>();
  let chars = 0;
  const remember = (text: string, entry: Remembered<T>) => {
    if (text.length > maxChars) return;
    if (chars + text.length > maxChars || results.size >= maxEntries) {
      results.clear();
      chars = 0;
    }
    results.set(text, entry);
    chars += text.length;
  };
  return (text) => {
    let entry = results.get(text);
    if (!entry) {
      try {
        entry = { value: compute(text) };
      } catch (error) {
        if (bounds.failures === true) remember(text, { error });
        throw error;
      }
      remember(text, entry);
    }
    if ('error' in entry) throw entry.error;
    return entry.value;
  };
}
