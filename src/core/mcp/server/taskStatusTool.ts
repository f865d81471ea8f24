import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Task } from '../../openspec/model';
import { checkboxEdit } from '../../openspec/taskCheckbox';
import { staysInside } from './pathConfinement';
import { folderArgument, folderOutput, type ToolContext } from './toolContext';
import { instrumented } from './toolRunner';
import { errorResult, structuredResult, ToolRefusal } from './toolResults';
import { locateChange } from './workspaceLookup';
import { ARGUMENT_LIMITS, changeIdArgument } from './argumentSchemas';

export function registerTaskStatusTool(server: McpServer, context: ToolContext): void {
  const { options } = context;
  server.registerTool(
    'set_task_status',
    {
      title: 'Set task status',
      description:
        "Checks or unchecks one task in a change's tasks.md, named by its 1-based line or its id (as get_tasks returns them). " +
        'Only the character between the brackets changes. Refused unless the server was started with --allow-write.',
      inputSchema: {
        change: changeIdArgument.describe('Change id, as list_changes returns it'),
        folder: folderArgument,
        line: z.number().int().min(1).optional().describe('1-based line of the task in tasks.md (from get_tasks)'),
        id: z
          .string()
          .max(ARGUMENT_LIMITS.name)
          .optional()
          .describe('The task number, e.g. "1.2", when line is not given'),
        done: z.boolean().describe('true checks the task ([x]), false unchecks it ([ ])'),
      },
      outputSchema: {
        folder: folderOutput,
        change: z.string(),
        file: z.string().describe('Project-relative path of tasks.md'),
        line: z.number().int().describe('1-based line of the task'),
        id: z.string().optional(),
        text: z.string(),
        done: z.boolean().describe('The state asked for'),
        outcome: z.enum(['toggled', 'unchanged']).describe("'unchanged' when the task already had that state"),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    instrumented(options.logger, 'set_task_status', async ({ change: id, folder: name, line, id: taskId, done }) => {
      if (!options.allowWrite) {
        return errorResult(
          'Writing is not allowed: this MCP server was started read-only. Start it with --allow-write to let agents check tasks.',
        );
      }
      if (!options.writer) return errorResult('This MCP server has no way to write files.');
      const { folder, item: change } = await locateChange(context, id, name);
      const tasks = change.tasks;
      if (!tasks) throw new ToolRefusal(`Change "${id}" has no tasks.md.`);
      if (!(await staysInside(folder.fs, folder.root, tasks.path))) {
        throw new ToolRefusal(`${folder.relative(tasks.path)} is a link leading outside openspec/; refused.`);
      }
      const task = pickTask(tasks.tasks, line, taskId, folder.relative(tasks.path));
      const outcome = await options.writer.update(tasks.path, checkboxEdit(task, done));
      const file = folder.relative(tasks.path);
      switch (outcome.kind) {
        case 'written':
        case 'unchanged':
          break;
        case 'stale':
          throw new ToolRefusal(
            `${file} changed while the task was being set; nothing written. Call get_tasks and try again.`,
          );
        case 'missing':
        case 'exists':
          throw new ToolRefusal(`${file} is no longer there; nothing written. Call get_tasks and try again.`);
        case 'refused':
          throw new ToolRefusal(`${file} was not written: ${outcome.reason}.`);
      }
      return structuredResult({
        ...context.folderField(folder),
        change: change.id,
        file,
        line: task.line + 1,
        ...(task.id !== undefined ? { id: task.id } : {}),
        text: task.text,
        done,
        outcome: outcome.kind === 'written' ? 'toggled' : 'unchanged',
      });
    }),
  );
}

function pickTask(tasks: readonly Task[], line: number | undefined, id: string | undefined, file: string): Task {
  if (line !== undefined) {
    const task = tasks.find((candidate) => candidate.line === line - 1);
    if (!task) throw new ToolRefusal(`${file} has no task on line ${line}. Call get_tasks for the task lines.`);
    if (id !== undefined && task.id !== id)
      throw new ToolRefusal(`Line ${line} of ${file} is task ${task.id ?? '(no id)'}, not ${id}; nothing written.`);
    return task;
  }
  if (id === undefined) throw new ToolRefusal('Name the task by line or by id.');
  const matches = tasks.filter((candidate) => candidate.id === id);
  const [task] = matches;
  if (!task) throw new ToolRefusal(`${file} has no task "${id}". Call get_tasks for the task ids.`);
  if (matches.length > 1)
    throw new ToolRefusal(`${file} has ${matches.length} tasks numbered "${id}"; name the task by its line instead.`);
  return task;
}
