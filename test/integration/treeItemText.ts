import type * as vscode from 'vscode';

/** A tree item's label as the view shows it, whether given as a string or with highlights. */
export function labelText(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** A tree item's tooltip as the hover shows it, whether plain or Markdown. */
export function tooltipText(item: vscode.TreeItem): string {
  return typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
}
