/**
 * The few DOM members the workbench tests read inside `locator.evaluate`. The tests compile without the DOM
 * library (they run in Node), so the callbacks name this shape instead of `Element`.
 */
export interface RenderedElement {
  readonly textContent: string | null;
  readonly parentElement: RenderedElement | null;
  readonly children: Iterable<RenderedElement>;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): Iterable<RenderedElement>;
  getBoundingClientRect(): { readonly top: number };
}
