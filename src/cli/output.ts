import { fstatSync, writeSync } from 'node:fs';
import type * as NodeTty from 'node:tty';

/** Where the CLI writes; injectable so commands are tested without touching the process streams. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

/**
 * Writes to one of the process's standard descriptors. On POSIX systems the text goes to the descriptor
 * directly: creating `process.stdout` loads Node's stream modules (and for a terminal, its network modules) and
 * builds the stream, a few milliseconds of a `validate <change>` that takes some 50 ms beyond Node's own start.
 * Windows keeps Node's streams, which speak to its console in UTF-16. A descriptor that cannot take the whole
 * text at once (a full non-blocking pipe) goes over to the stream, which waits for it: from then on everything
 * for it goes through the stream, in order. A reader that has gone (EPIPE, as in `| head`) gets nothing more,
 * and the command finishes as it would have.
 */
export class StandardDescriptor {
  private stream: NodeJS.WriteStream | undefined;
  private readonly direct = process.platform !== 'win32';
  private readerGone = false;

  constructor(
    private readonly fd: 1 | 2,
    private readonly streamOf: () => NodeJS.WriteStream,
  ) {}

  /**
   * Whether the descriptor is a terminal, as `process.stderr.isTTY` says, without creating the stream. Only a
   * character device can be one, so a file or a pipe is answered without loading Node's terminal module.
   */
  get isTerminal(): boolean {
    try {
      if (!fstatSync(this.fd).isCharacterDevice()) return false;
    } catch {
      return false; // a closed descriptor is no terminal
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for a character device
    return (require('node:tty') as typeof NodeTty).isatty(this.fd);
  }

  write(text: string): void {
    if (this.readerGone) return;
    if (this.direct && this.stream === undefined) {
      const rest = this.writeDirectly(Buffer.from(text, 'utf8'));
      if (rest === undefined) return;
      (this.stream = this.streamOf()).write(rest);
      return;
    }
    (this.stream ??= this.streamOf()).write(text);
  }

  /** What could not be written directly, for the stream; undefined when all of it was (or the reader is gone). */
  private writeDirectly(bytes: Buffer): Buffer | undefined {
    let rest = bytes;
    try {
      while (rest.length > 0) rest = rest.subarray(writeSync(this.fd, rest));
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPIPE') return rest;
      this.readerGone = true;
      return undefined;
    }
  }
}

export const standardOut = new StandardDescriptor(1, () => process.stdout);
export const standardError = new StandardDescriptor(2, () => process.stderr);

export const processOutput: CliOutput = {
  out: (line) => standardOut.write(line + '\n'),
  err: (line) => standardError.write(line + '\n'),
};

/** JSON exactly as the OpenSpec CLI prints it (two-space indent). */
export function printJson(output: CliOutput, value: unknown): void {
  output.out(JSON.stringify(value, null, 2));
}
