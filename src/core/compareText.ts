let collator: Intl.Collator | undefined;

/**
 * `localeCompare`'s order (the default locale and options) from one collator: `a.localeCompare(b)` builds the
 * comparison afresh for every pair, which made sorting hundreds of ids a visible part of a run. The collator is
 * made at the first comparison: making it loads the locale's collation data (about 12 ms), which validating one
 * change, with nothing to sort, need not wait for.
 */
export function compareText(a: string, b: string): number {
  return (collator ??= new Intl.Collator()).compare(a, b);
}
