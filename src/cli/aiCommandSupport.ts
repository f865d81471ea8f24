import { type FileSystem } from '../core/fs/fileSystem';
import type { FileWriter } from '../core/fs/fileWriter';
import { type Logger, silentLogger } from '../core/logger';
import type { ChatModel, GenerationProgress } from '../core/ai/chatModel';
import { connectLmStudio, normalizeLmStudioSettings, type LmStudioSettings } from '../core/ai/transport/lmStudio';
import { baseUrlProblem } from '../core/ai/transport/lmStudioSettings';
import { resolveOpenSpecRoot } from '../core/validation/projectRoot';
import type { VerdictStore } from '../core/validation/verdictCache';
import type { CliOutput } from './output';
import { UsageError } from './usageError';
import { errorMessage } from '../core/errorMessage';

/** What `review` and `improve` need from the process; tests inject every part. */
export interface AiCommandContext {
  fs: FileSystem;
  /** Every write a command makes goes through it. */
  writer: FileWriter;
  /** Absolute POSIX working directory. */
  cwd: string;
  output: CliOutput;
  /**
   * Writes a progress fragment (no newline) to an interactive terminal; absent when stderr is not a TTY,
   * so CI logs carry no carriage-return noise.
   */
  progress?: (fragment: string) => void;
  /** Where `validate` keeps verdicts between runs; without it every run validates everything afresh. */
  verdicts?: VerdictStore;
}

/** Options both AI commands take, as `node:util` parseArgs declares them. */
export const aiParseOptions = {
  json: { type: 'boolean', default: false },
  'base-url': { type: 'string' },
  model: { type: 'string' },
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/**
 * LM Studio's API token reaches the CLI in the variable LM Studio's own SDKs read. There is no option for it on
 * purpose: a command line shows in every process list and shell history.
 */
export const API_TOKEN_VARIABLE = 'LM_API_TOKEN';

export const API_TOKEN_HELP = `Environment:
  ${API_TOKEN_VARIABLE}        LM Studio's API token, when its server requires authentication`;

/** One option of a command's help: the flag with its argument, and what it does (lines after the first indented). */
export type OptionHelp = readonly [flag: string, description: string];

/** The options every AI command takes, after its own. */
export const AI_OPTIONS: readonly OptionHelp[] = [
  ['--base-url <url>', "LM Studio's server (default http://127.0.0.1:1234/v1)"],
  ['--model <id>', 'Model identifier (default: the model LM Studio has loaded)'],
  ['--json', 'Print the result as JSON on stdout'],
  ['--verbose', 'Log what happens to stderr'],
  ['-h, --help', 'display help for command'],
];

/** A help's options as one table: descriptions start in one column, past the longest flag. */
export function optionTable(options: readonly OptionHelp[]): string {
  const width = Math.max(...options.map(([flag]) => flag.length)) + 3;
  return options
    .flatMap(([flag, description]) => {
      const [first = '', ...more] = description.split('\n');
      return [`  ${flag.padEnd(width)}${first}`, ...more.map((line) => `${' '.repeat(width + 2)}${line}`)];
    })
    .join('\n');
}

/** The Options table of an AI command (its own options first) and the environment it reads. */
export function aiOptionsHelp(own: readonly OptionHelp[] = []): string {
  return `${optionTable([...own, ...AI_OPTIONS])}

${API_TOKEN_HELP}`;
}

export interface ConnectionFlags {
  readonly baseUrl?: string;
  readonly model?: string;
  readonly verbose: boolean;
}

/** Lines on stderr with --verbose; nothing otherwise, so stdout stays the command's result alone. */
export function cliLogger(output: CliOutput, verbose: boolean): Logger {
  if (!verbose) return silentLogger;
  return {
    debug: (message) => output.err(`[debug] ${message}`),
    info: (message) => output.err(`[info] ${message}`),
    warn: (message) => output.err(`[warn] ${message}`),
    error: (message, error) => output.err(`[error] ${message}${error instanceof Error ? `: ${error.message}` : ''}`),
  };
}

/** How the CLI reaches LM Studio: the options, the defaults, and the token from the environment. */
export function cliLmStudioSettings(
  flags: Pick<ConnectionFlags, 'baseUrl' | 'model'>,
  env: NodeJS.ProcessEnv = process.env,
): LmStudioSettings {
  const apiKey = env[API_TOKEN_VARIABLE];
  const problem = flags.baseUrl === undefined ? undefined : baseUrlProblem(flags.baseUrl);
  if (problem) throw new UsageError(`--base-url: ${problem}`);
  return normalizeLmStudioSettings({
    ...(flags.baseUrl !== undefined ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.model !== undefined ? { model: flags.model } : {}),
    ...(apiKey !== undefined ? { apiKey } : {}),
  });
}

export async function connect(flags: ConnectionFlags, logger: Logger): Promise<ChatModel> {
  return connectLmStudio(cliLmStudioSettings(flags), { logger });
}

/** The project folder, found from the working directory as `openspec-loop validate <item>` finds it. */
export async function projectRoot(context: AiCommandContext): Promise<string> {
  const root = await resolveOpenSpecRoot(context.fs, context.cwd, { warn: (message) => context.output.err(message) });
  return root.path;
}

/**
 * A live `\r<model>: N tokens, X tok/s` line on the terminal. `done()` ends the line so the next stderr
 * message starts clean.
 */
export function progressLine(
  context: AiCommandContext,
  modelId: string,
): { onProgress?: (progress: GenerationProgress) => void; done(): void } {
  const write = context.progress;
  if (!write) return { done() {} };
  let shown = false;
  return {
    onProgress: (progress) => {
      shown = true;
      const seconds = Math.round(progress.elapsedMs / 1000);
      const text =
        progress.phase === 'waiting'
          ? `${modelId}: reading the prompt (${seconds} s)`
          : `${modelId}: ${progress.tokens} tokens, ${progress.tokensPerSecond.toFixed(1)} tok/s`;
      write(`\r\x1b[K${text}`);
    },
    done: () => {
      if (shown) write('\r\x1b[K');
    },
  };
}

/** Runs an argument parser; whatever it throws becomes a UsageError, which the CLI prints with the usage hint. */
export function parsingUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError(errorMessage(error));
  }
}

/** The single `<change>` argument of review, improve and loop. */
export function changeArgument(positionals: readonly string[]): string {
  const [change, ...extra] = positionals;
  if (change === undefined) throw new UsageError('missing required argument <change>');
  if (extra.length > 0) throw new UsageError(`too many arguments: ${extra.join(' ')}`);
  return change;
}
