/**
 * Parsed documents by path, reused while a file's text is unchanged. A full re-scan still reads every file
 * (the text is the only truth that also covers unsaved editor text), but parsing, the bulk of a scan's cost,
 * runs only for files whose text differs from the last parse.
 */
export class ParseCache {
  private readonly entries = new Map<string, { readonly text: string; readonly value: unknown }>();
  private readonly used = new Set<string>();

  parse<T>(file: string, text: string, parse: (text: string) => T): T {
    this.used.add(file);
    const known = this.entries.get(file);
    // A key names one parser's output: callers use one parser per path, so the cast holds.
    if (known && known.text === text) return known.value as T;
    const value = parse(text);
    this.entries.set(file, { text, value });
    return value;
  }

  /** Forgets files no parse asked for since the last sweep (deleted or moved), so the cache cannot grow without bound. */
  sweep(): void {
    for (const file of this.entries.keys()) if (!this.used.has(file)) this.entries.delete(file);
    this.used.clear();
  }
}
