import { isLlmError } from '../core/ai/llmError';
import { ChangeNotFoundError } from '../core/ai/prompt/changeContext';
import { ImproveTargetError } from '../core/ai/improve/improveTarget';
import { lmStudioSettingNames } from '../core/ai/transport/lmStudio';
import { API_TOKEN_VARIABLE } from './aiCommandSupport';
import { RootSelectionError } from '../core/validation/projectRoot';
import { printJson, type CliOutput } from './output';
import { errorMessage } from '../core/errorMessage';

/** Exit code of an AI command that could not produce its result. */
export const AI_FAILURE_EXIT = 2;

/** A failure as `--json` prints it; `reason` is an LlmError reason or one of the CLI's own. */
export interface CliFailure {
  readonly reason: string;
  readonly message: string;
  readonly hint: string;
}

/** A refusal decided by the command itself (say, a stale base when writing). */
export class CommandRefusal extends Error {
  constructor(
    readonly reason: string,
    message: string,
    readonly hint = '',
  ) {
    super(message);
  }
}

export function describeFailure(error: unknown): CliFailure {
  if (isLlmError(error)) return { reason: error.reason, message: error.message, hint: forCli(error.hint) };
  if (error instanceof CommandRefusal) return { reason: error.reason, message: error.message, hint: error.hint };
  if (error instanceof ChangeNotFoundError) {
    return { reason: 'changeNotFound', message: error.message, hint: 'Run `openspec list` to see the change ids.' };
  }
  if (error instanceof ImproveTargetError) return { reason: 'badTarget', message: error.message, hint: '' };
  if (error instanceof RootSelectionError) {
    return { reason: 'noOpenSpecRoot', message: error.message, hint: error.diagnostic.fix ?? '' };
  }
  return { reason: 'internal', message: errorMessage(error), hint: '' };
}

/** One line on stderr whatever the message holds; with --json the same as an object on stdout. */
export function printFailure(output: CliOutput, error: unknown, json: boolean): number {
  const failure = describeFailure(error);
  output.err(oneLine(`error: ${failure.message} ${failure.hint}`));
  if (json) printJson(output, { error: failure });
  return AI_FAILURE_EXIT;
}

/** The core's hints name the extension's settings; on the command line the matching options are what to change. */
function forCli(hint: string): string {
  return hint
    .split(`${lmStudioSettingNames.baseUrl} setting`)
    .join('--base-url option')
    .split(lmStudioSettingNames.baseUrl)
    .join('--base-url')
    .split(lmStudioSettingNames.model)
    .join('--model')
    .split(lmStudioSettingNames.apiToken)
    .join(`the ${API_TOKEN_VARIABLE} environment variable`);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
