import { classifyDocument } from '../openspec/documentPaths';
import { changeById } from './languageTarget';
import type {
  Change,
  DeltaSpecDocument,
  DesignDocument,
  MainSpecDocument,
  OpenSpecWorkspace,
  ProposalDocument,
  TasksDocument,
} from '../openspec/model';

/** A markdown file of the model, with the change it belongs to (none for a main spec). */
export type SpecDocumentAt =
  | { readonly kind: 'mainSpec'; readonly document: MainSpecDocument }
  | { readonly kind: 'delta'; readonly change: Change; readonly document: DeltaSpecDocument }
  | {
      readonly kind: 'changeDocument';
      readonly change: Change;
      readonly document: ProposalDocument | DesignDocument | TasksDocument;
    };

/** The parsed document of `file` (absolute POSIX path), active or archived, as the model holds it now. */
export function specDocumentAt(workspace: OpenSpecWorkspace, file: string): SpecDocumentAt | undefined {
  const role = classifyDocument(workspace.openspecDir, file);
  if (role.kind === 'mainSpec') {
    const document = workspace.specs.find((spec) => spec.path === file);
    return document ? { kind: 'mainSpec', document } : undefined;
  }
  if (role.kind !== 'delta' && role.kind !== 'proposal' && role.kind !== 'design' && role.kind !== 'tasks')
    return undefined;
  const change = changeById(workspace, role.changeId, role.archived);
  if (!change) return undefined;
  if (role.kind === 'delta') {
    const document = change.deltas.find((delta) => delta.path === file);
    return document ? { kind: 'delta', change, document } : undefined;
  }
  const document = change[role.kind];
  return document ? { kind: 'changeDocument', change, document } : undefined;
}
