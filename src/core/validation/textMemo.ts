/**
 * A pure function of a document's text, remembered by that text. One `validate --all` reads each main spec
 * in its own check and again in the archive dry run of every change that touches it, and each delta spec in
 * its checks and in its dry run; the parse is the same each time. The results are shared between callers,
 * who only read them. Bounded by the characters it holds, so an editor retyping a large spec does not pile
 * up copies: past the budget it starts afresh.
 */
const MAX_CHARS = 4_000_000;

export function rememberedByText<T>(compute: (text: string) => T): (text: string) => T {
  const results = new Map<string, T>();
  let chars = 0;
  return (text) => {
    if (results.has(text)) return results.get(text) as T;
    const result = compute(text);
    if (text.length > MAX_CHARS) return result;
    if (chars + text.length > MAX_CHARS) {
      results.clear();
      chars = 0;
    }
    results.set(text, result);
    chars += text.length;
    return result;
  };
}
