import { sha256 } from '../../ai/improve/improveDocument';
import type { FileSystem } from '../../fs/fileSystem';
import { matchCheckbox } from '../../openspec/taskCheckbox';

export type TaskStatusOutcome = 'toggled' | 'unchanged' | 'stale';

/**
 * How the MCP server changes files. The CLI writes to disk; the extension applies an undoable WorkspaceEdit,
 * so an agent's change lands in the editor like the user's own.
 */
export interface WorkspaceWriter {
  /**
   * Checks or unchecks the task on `line` (0-based) of `file` (absolute POSIX path of a tasks.md).
   * 'stale' when that line no longer holds a task checkbox (the file changed since it was read): nothing is
   * written. 'unchanged' when the task already has that state.
   */
  setTaskStatus(file: string, line: number, done: boolean): Promise<TaskStatusOutcome>;
  /**
   * Replaces the whole text of `file` (absolute POSIX path) only while it still hashes (sha256, hex) to
   * `baseHash`, as one step; 'stale' and nothing written otherwise. Without it the server writes no proposals.
   */
  replaceText?(file: string, baseHash: string, text: string): Promise<'applied' | 'stale'>;
}

/** Writes a whole file; the CLI's version writes a temporary file and renames it over the old one. */
export type WriteText = (file: string, text: string) => Promise<void>;

/**
 * A writer over the FileSystem the server reads: it re-reads the file, rewrites only the character between
 * the brackets of that line (or checks the whole text's hash, for a proposal), and hands the whole text to
 * `writeText`.
 */
export function createTaskStatusWriter(fs: FileSystem, writeText: WriteText): WorkspaceWriter {
  return {
    async setTaskStatus(file, line, done) {
      const text = await fs.readFile(file);
      const next = toggledText(text, line, done);
      if (next === 'stale' || next === 'unchanged') return next;
      await writeText(file, next);
      return 'toggled';
    },
    replaceText: (file, baseHash, text) => replaceIfBaseUnchanged(fs, writeText, file, baseHash, text),
  };
}

/** The text with the checkbox on `line` set to `done`, keeping every line ending as it was. */
export function toggledText(text: string, line: number, done: boolean): string | 'stale' | 'unchanged' {
  const pieces = text.split(/(\r\n|\r|\n)/);
  const index = line * 2;
  const current = pieces[index];
  if (!Number.isInteger(line) || line < 0 || current === undefined) return 'stale';
  const match = matchCheckbox(current);
  if (!match) return 'stale';
  const isDone = match.mark === 'x' || match.mark === 'X';
  if (isDone === done) return 'unchanged';
  pieces[index] = `${current.slice(0, match.open + 1)}${done ? 'x' : ' '}${current.slice(match.close)}`;
  return pieces.join('');
}

/**
 * Replaces a file's text only while it still hashes to `baseHash`: a file edited since the proposal was made
 * (or gone) is left alone and answered with 'stale'.
 */
export async function replaceIfBaseUnchanged(
  fs: FileSystem,
  writeText: WriteText,
  file: string,
  baseHash: string,
  text: string,
): Promise<'applied' | 'stale'> {
  let current: string;
  try {
    current = await fs.readFile(file);
  } catch {
    return 'stale';
  }
  if (sha256(current) !== baseHash) return 'stale';
  await writeText(file, text);
  return 'applied';
}
