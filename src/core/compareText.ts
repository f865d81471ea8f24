/**
 * `localeCompare`'s order (the default locale and options) from one collator made once: `a.localeCompare(b)`
 * builds the comparison afresh for every pair, which made sorting hundreds of ids a visible part of a run.
 */
export const compareText: (a: string, b: string) => number = new Intl.Collator().compare;
