// Entry point of the `openspec-loop` command.
import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { NodeFileSystem, toPosix } from '../node/nodeFileSystem';
import { processOutput, type CliOutput } from './output';
import { runValidate, UsageError } from './validateCommand';

const HELP = `Usage: openspec-loop <command> [options]

OpenSpec Loop command line.

Commands:
  validate [item-name...]   Validate changes and specs (same checks, JSON and exit codes as "openspec validate")

Options:
  -V, --version             output the version number
  -h, --help                display help for command

Run "openspec-loop validate --help" for the validate options.`;

/** The version in the package.json next to the bundle (dist/cli.js) or above the compiled sources. */
function readVersion(): string {
  let dir = __dirname;
  for (let depth = 0; depth < 5; depth++) {
    try {
      const manifest = JSON.parse(readFileSync(nodePath.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'openspec-loop' && manifest.version) return manifest.version;
    } catch {
      // Not here; look one folder up.
    }
    dir = nodePath.dirname(dir);
  }
  return 'unknown';
}

export async function main(argv: readonly string[], output: CliOutput = processOutput): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    output.err(HELP);
    return 1;
  }
  if (command === '-h' || command === '--help' || command === 'help') {
    output.out(HELP);
    return 0;
  }
  if (command === '-V' || command === '--version') {
    output.out(readVersion());
    return 0;
  }
  if (command !== 'validate') {
    output.err(`error: unknown command '${command}'`);
    output.err(`Run "openspec-loop --help" for the list of commands.`);
    return 1;
  }
  try {
    return await runValidate(rest, { fs: new NodeFileSystem(), cwd: toPosix(process.cwd()), output });
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`error: ${error.message}`);
      output.err(`Run "openspec-loop validate --help" for usage.`);
      return 1;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
