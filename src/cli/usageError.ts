/** The command line asks for something the command cannot do: main prints it with a pointer to --help. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * By name rather than `instanceof`: each command is bundled apart from the dispatcher (dist/cli-*.js), so the
 * class a command throws is not the dispatcher's copy of it.
 */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof Error && error.name === 'UsageError';
}
