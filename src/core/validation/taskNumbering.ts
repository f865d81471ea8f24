import { parseTaskLines, type TaskDocument, type TaskFileFinding } from './taskCheckboxes';

/**
 * Ambiguous task references across a change's task files: a task whose leading number points at another
 * `## N.` group, and a task id declared twice. Numbering is read only inside numbered groups, as the
 * built-in `spec-driven` template writes them; unnumbered sections and tasks are ignored.
 */
const LEVEL_TWO_HEADING = /^ {0,3}##(?!#)(?:[ \t]+|[ \t]*\r?$)/;
const NUMBERED_GROUP_HEADING = /^ {0,3}##[ \t]+(\d+)\.(?:[ \t]|\r?$)/;
const TASK_ID = /^(\d+(?:\.\d+)+(?:[A-Za-z]+)?)(?=\s|$)/;

export function findTaskNumberingIssues(documents: readonly TaskDocument[]): TaskFileFinding[] {
  const issues: TaskFileFinding[] = [];
  const firstLocationById = new Map<string, { path: string; line: number }>();
  for (const document of documents) {
    const lines = document.content.split('\n');
    if (!lines.some((line) => NUMBERED_GROUP_HEADING.test(line))) continue;
    let currentGroup: string | undefined;
    lines.forEach((line, index) => {
      if (LEVEL_TWO_HEADING.test(line)) currentGroup = NUMBERED_GROUP_HEADING.exec(line)?.[1];
      if (currentGroup === undefined) return;
      const id = TASK_ID.exec(parseTaskLines(line)[0]?.description ?? '')?.[1];
      if (!id) return;
      const lineNumber = index + 1;
      const taskGroup = id.split('.')[0] ?? '';
      if (taskGroup.replace(/^0+(?=\d)/, '') !== currentGroup.replace(/^0+(?=\d)/, '')) {
        issues.push({
          path: document.path,
          line: lineNumber,
          message: `Task "${id}" is under group ${currentGroup}, but its leading number points to group ${taskGroup}. Move it to group ${taskGroup} or renumber it.`,
        });
      }
      const first = firstLocationById.get(id);
      if (first !== undefined) {
        const where = first.path === document.path ? `on line ${first.line}` : `in ${first.path} on line ${first.line}`;
        issues.push({
          path: document.path,
          line: lineNumber,
          message: `Task ID "${id}" is duplicated; it was first declared ${where}.`,
        });
      } else {
        firstLocationById.set(id, { path: document.path, line: lineNumber });
      }
    });
  }
  return issues;
}
