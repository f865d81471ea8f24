import type * as vscode from 'vscode';

/** Collects keys for `delay` ms after the last one, then hands the set over in one call. */
export class Debouncer<T> implements vscode.Disposable {
  private pending = new Set<T>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly delay: number,
    private readonly deliver: (keys: readonly T[]) => void,
  ) {}

  add(key: T): void {
    this.pending.add(key);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.delay);
  }

  /**
   * Hands over what is pending now instead of when the delay ends (nothing when nothing is): a reader that
   * must see every key added before it does not wait out the delay.
   */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size === 0) return;
    const keys = [...this.pending];
    this.pending = new Set();
    this.deliver(keys);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
