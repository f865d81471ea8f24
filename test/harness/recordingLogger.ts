import type { Logger } from '../../src/core/logger';

/** A logger that keeps every line, to assert what the features report to the log channel. */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  debug(message: string): void {
    this.lines.push(`debug ${message}`);
  }
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
  text(): string {
    return this.lines.join('\n');
  }
}
