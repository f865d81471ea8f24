/** The last lines a server wrote to stderr, kept across restarts so a crash loop shows why it crashed. */
export class StderrTail {
  private readonly kept: string[] = [];
  private partial = '';

  constructor(private readonly maxLines = 50) {}

  append(chunk: string): void {
    const pieces = (this.partial + chunk).split(/\r?\n/);
    this.partial = pieces.pop() ?? '';
    for (const line of pieces) this.push(line);
    // A line that never ends must not grow without bound.
    if (this.partial.length > 4000) {
      this.push(this.partial);
      this.partial = '';
    }
  }

  /** Closes a line left without its newline, as a process that dies mid-write leaves it. */
  flush(): void {
    if (this.partial) this.push(this.partial);
    this.partial = '';
  }

  lines(): string[] {
    return this.partial ? [...this.kept, this.partial].slice(-this.maxLines) : [...this.kept];
  }

  private push(line: string): void {
    this.kept.push(line);
    if (this.kept.length > this.maxLines) this.kept.splice(0, this.kept.length - this.maxLines);
  }
}
