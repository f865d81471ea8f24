/** Why archive refuses a delta. The message is archive's own, word for word. */
export type SpecMergeRefusal =
  | 'unpaired-rename'
  | 'duplicate'
  | 'conflict'
  | 'no-operations'
  | 'missing-main-spec'
  | 'invalid-main-spec'
  | 'rename-failed'
  | 'remove-failed'
  | 'modify-failed'
  | 'add-failed';

export class SpecMergeError extends Error {
  constructor(
    readonly reason: SpecMergeRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'SpecMergeError';
  }

  static is(error: unknown, reason?: SpecMergeRefusal): error is SpecMergeError {
    return error instanceof SpecMergeError && (reason === undefined || error.reason === reason);
  }
}
