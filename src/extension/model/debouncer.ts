import type * as vscode from 'vscode';

/** Collects keys for `delay` ms after the last one, then hands the set over in one call. */
export class Debouncer<T> implements vscode.Disposable {
  private pending = new Set<T>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly delay: number,
    private readonly flush: (keys: readonly T[]) => void,
  ) {}

  add(key: T): void {
    this.pending.add(key);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const keys = [...this.pending];
      this.pending = new Set();
      this.flush(keys);
    }, this.delay);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.pending.clear();
  }
}
