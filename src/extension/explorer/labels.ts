import * as vscode from 'vscode';
import type { Change, Task } from '../../core/openspec/model';

/** `1.2 Add the farewell message`, indented by nesting so subtasks read as such in a flat list. */
export function taskLabel(task: Task): string {
  const indent = '\u2003'.repeat(Math.floor(task.depth / 2));
  return `${indent}${task.id ? `${task.id} ` : ''}${task.text}`;
}

/** What a change is about at a glance: progress, why, and which capabilities it touches. */
export function changeTooltip(change: Change, archivedOn: string | undefined): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, true);
  tooltip.appendMarkdown(`**${escape(change.id)}**`);
  if (archivedOn) tooltip.appendMarkdown(` \u2014 archived ${escape(archivedOn)}`);
  const tasks = change.tasks;
  if (tasks && tasks.total > 0) tooltip.appendMarkdown(`\n\nTasks: ${tasks.completed}/${tasks.total} done`);
  const why = change.metadata?.data.goal ?? change.proposal?.why?.body;
  if (why) tooltip.appendMarkdown(`\n\n${escape(firstLines(why, 3))}`);
  if (change.deltas.length > 0) {
    tooltip.appendMarkdown(`\n\nSpecs: ${change.deltas.map((delta) => escape(delta.capability)).join(', ')}`);
  }
  return tooltip;
}

function firstLines(text: string, count: number): string {
  const lines = text.split('\n');
  return lines.length > count ? `${lines.slice(0, count).join('\n')}\u2026` : text;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
