/** Where the CLI writes; injectable so commands are tested without touching the process streams. */
export interface CliOutput {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: CliOutput = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
};

/** JSON exactly as the OpenSpec CLI prints it (two-space indent). */
export function printJson(output: CliOutput, value: unknown): void {
  output.out(JSON.stringify(value, null, 2));
}
