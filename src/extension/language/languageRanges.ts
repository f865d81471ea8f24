import * as vscode from 'vscode';
import type { Range } from '../../core/openspec/model';

/** The core's 0-based Range as VS Code's. */
export function toVscodeRange(range: Range): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}
