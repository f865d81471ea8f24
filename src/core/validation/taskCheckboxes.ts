import { matchCheckbox } from '../openspec/taskCheckbox';

/**
 * Task lines as OpenSpec counts them, and the warning for a tracked task set that has no checkbox at all.
 * The task pattern is deliberately wide (any list marker, any one-character box, only `x`/`X` is done) and
 * the list scan deliberately narrow (rendered content only): both mirror `openspec validate`.
 */

export interface TaskDocument {
  /** Relative to the change folder, POSIX-separated. */
  path: string;
  content: string;
}

export interface TaskFileFinding {
  path: string;
  line: number;
  message: string;
}

export interface TaskLine {
  done: boolean;
  description: string;
}

/** Every task line, in order, including ones inside code fences (losing a real task is worse). */
export function parseTaskLines(content: string): TaskLine[] {
  const tasks: TaskLine[] = [];
  for (const line of content.split('\n')) {
    // OpenSpec's own pattern, matched in linear time (its regex backtracks quadratically on long space runs).
    const match = matchCheckbox(line);
    if (match) tasks.push({ done: match.mark.toLowerCase() === 'x', description: match.rest.trim() });
  }
  return tasks;
}

const LIST_ITEM = /^\s*(?:[-*+]|\d{1,9}[.)])\s+\S/;
const CODE_BLOCK_COLUMN = 4;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)/;
const FRONT_MATTER = /^-{3}\s*$/;
const COMMENT_OPEN = '<!--';
const COMMENT_CLOSE = '-->';

export const ZERO_TASKS_MESSAGE =
  'This change counts as 0 tasks: no line in its tracked task files is a checkbox, ' +
  'so "openspec list" and "openspec status" report no work and "openspec archive" ' +
  'has nothing to flag as incomplete. Write each task as "- [ ] 1.1 Description".';

/** One finding per file that lists work as plain bullets, but only when no tracked file has any checkbox. */
export function findMissingTaskCheckboxIssues(documents: readonly TaskDocument[]): TaskFileFinding[] {
  if (documents.length === 0) return [];
  if (documents.some((document) => parseTaskLines(document.content).length > 0)) return [];
  const issues: TaskFileFinding[] = [];
  for (const document of documents) {
    const line = findFirstListItemLine(document.content);
    if (line !== undefined) issues.push({ path: document.path, line, message: ZERO_TASKS_MESSAGE });
  }
  return issues;
}

function indentColumns(line: string): number {
  let column = 0;
  for (const char of line) {
    if (char === ' ') column += 1;
    else if (char === '\t') column += CODE_BLOCK_COLUMN - (column % CODE_BLOCK_COLUMN);
    else break;
  }
  return column;
}

/** 1-based line of the first list item outside fences, comments, front matter and indented code. */
function findFirstListItemLine(content: string): number | undefined {
  const lines = content.split('\n');
  let openFence: { marker: string; length: number } | undefined;
  let inComment = false;
  for (let index = skipFrontMatter(lines); index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (inComment) {
      if (line.includes(COMMENT_CLOSE)) inComment = false;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const run = fence[1] ?? '';
      const marker = run.charAt(0);
      if (openFence === undefined) openFence = { marker, length: run.length };
      else if (marker === openFence.marker && run.length >= openFence.length && (fence[2] ?? '').trim() === '')
        openFence = undefined;
      continue;
    }
    if (openFence !== undefined) continue;
    // Only a comment that opens the line hides it: `- [ ] 1.1 do it <!-- note` is still a task line.
    if (line.trimStart().startsWith(COMMENT_OPEN)) {
      if (!line.includes(COMMENT_CLOSE, line.indexOf(COMMENT_OPEN) + COMMENT_OPEN.length)) inComment = true;
      continue;
    }
    if (LIST_ITEM.test(line) && indentColumns(line) < CODE_BLOCK_COLUMN) return index + 1;
  }
  return undefined;
}

function skipFrontMatter(lines: readonly string[]): number {
  const first = lines[0];
  if (first === undefined || !FRONT_MATTER.test(first.replace(/^\uFEFF/, '').trimEnd())) return 0;
  for (let index = 1; index < lines.length; index++) {
    if (FRONT_MATTER.test((lines[index] ?? '').trimEnd())) return index + 1;
  }
  return 0;
}
