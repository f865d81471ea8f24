/** The command line asks for something the command cannot do: main prints it with a pointer to --help. */
export class UsageError extends Error {}
