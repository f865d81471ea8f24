import { classifyDocument } from '../openspec/documentPaths';
import type { OpenSpecWorkspace } from '../openspec/model';
import { capabilityCompletions } from './capabilityCompletion';
import { changeById } from './languageTarget';
import { requirementCompletions } from './requirementCompletion';
import { specSnippets } from './specSnippets';

/** One suggestion, free of any editor API: the shell maps it onto a CompletionItem. */
export interface SpecCompletion {
  readonly label: string;
  readonly kind: 'requirement' | 'capability' | 'snippet';
  readonly detail?: string;
  /** Markdown shown beside the list. */
  readonly documentation?: string;
  readonly insertText: string;
  /** True when insertText is a snippet (`${1:...}` tab stops), false for text inserted as is. */
  readonly snippet: boolean;
  /** The characters of `line` the suggestion replaces (end exclusive); the editor filters on what they hold. */
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly filterText?: string;
  readonly sortText?: string;
}

/**
 * Suggestions at a position of an OpenSpec file. `lineText` is the line as the editor has it now, so the
 * suggestions follow what was just typed even before the model has parsed that keystroke.
 */
export function completionsAt(
  workspace: OpenSpecWorkspace,
  file: string,
  line: number,
  character: number,
  lineText: string,
): SpecCompletion[] {
  const role = classifyDocument(workspace.openspecDir, file);
  if (role.kind === 'mainSpec') return specSnippets(line, character, lineText);
  if (role.kind !== 'delta' && role.kind !== 'proposal') return [];
  const change = changeById(workspace, role.changeId, role.archived);
  if (role.kind === 'proposal') {
    return change?.proposal ? capabilityCompletions(workspace, change, line, character, lineText) : [];
  }
  const delta = change?.deltas.find((candidate) => candidate.path === file);
  const names = delta ? requirementCompletions(workspace, delta, line, character, lineText) : [];
  return names.length > 0 ? names : specSnippets(line, character, lineText);
}
