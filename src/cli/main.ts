// Entry point of the `openspec-loop` command.
import { NodeFileSystem, toPosix } from '../node/nodeFileSystem';
import { NodeFileWriter } from '../node/nodeFileWriter';
import { VerdictFiles, userCacheFolder } from '../node/verdictFiles';
import * as nodePath from 'node:path';
import type { AiCommandContext } from './aiCommandSupport';
import { readCliVersion } from './cliVersion';
import { processOutput, standardError, type CliOutput } from './output';
import { isUsageError } from './usageError';
import { errorMessage } from '../core/errorMessage';

const HELP = `Usage: openspec-loop <command> [options]

OpenSpec Loop command line.

Commands:
  validate [item-name...]   Validate changes and specs (same checks, JSON and exit codes as "openspec validate")
  archive <change>          Archive a change and update the main specs (same result, JSON and exit codes as "openspec archive")
  review <change>           Review a change with the model LM Studio serves
  improve <change> --file <path>
                            Propose a better version of one document of a change, as a diff (--write applies it)
  loop <change>             Review and improve a change until it converges (--auto-accept writes clean proposals)
  mcp                       Serve the project to MCP clients (agents) over stdio

Options:
  -V, --version             output the version number
  -h, --help                display help for command

Run "openspec-loop <command> --help" for a command's options.`;

type CommandRunner = (args: readonly string[], context: AiCommandContext) => Promise<number>;

/**
 * Each command is loaded when it runs, so `validate` does not pay for the MCP SDK or the model client. The
 * bundler (esbuild.mjs) turns each of these requires into a bundle of its own next to dist/cli.js. `require`
 * rather than `import()`: under Node16 resolution a CommonJS module's `import()` stays a real ES import.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const commands: Readonly<Record<string, () => CommandRunner>> = {
  validate: () => (require('./validateCommand') as typeof import('./validateCommand')).runValidate,
  archive: () => (require('./archiveCommand') as typeof import('./archiveCommand')).runArchive,
  review: () => (require('./reviewCommand') as typeof import('./reviewCommand')).runReview,
  improve: () => (require('./improveCommand') as typeof import('./improveCommand')).runImprove,
  loop: () => (require('./loopCommand') as typeof import('./loopCommand')).runLoop,
  mcp: () => (require('./mcpCommand') as typeof import('./mcpCommand')).runMcp,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Progress goes to the terminal only: redirected or CI stderr gets the final lines alone. */
function terminalProgress(): ((fragment: string) => void) | undefined {
  return standardError.isTerminal ? (fragment) => standardError.write(fragment) : undefined;
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
    output.out(readCliVersion());
    return 0;
  }
  const load = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (!load) {
    output.err(`error: unknown command '${command}'`);
    output.err(`Run "openspec-loop --help" for the list of commands.`);
    return 1;
  }
  const run = load();
  const progress = terminalProgress();
  try {
    return await run(rest, {
      fs: new NodeFileSystem(),
      writer: new NodeFileWriter(),
      cwd: toPosix(process.cwd()),
      output,
      verdicts: new VerdictFiles(nodePath.join(userCacheFolder(), 'validate')),
      ...(progress ? { progress } : {}),
    });
  } catch (error) {
    if (isUsageError(error)) {
      output.err(`error: ${error.message}`);
      output.err(`Run "openspec-loop ${command} --help" for usage.`);
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
      standardError.write(`Error: ${errorMessage(error)}\n`);
      process.exitCode = 1;
    },
  );
}
