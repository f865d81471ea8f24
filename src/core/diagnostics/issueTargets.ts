import { posix as path } from 'node:path';
import type {
  Change,
  DeltaSpecDocument,
  MainSpecDocument,
  MarkdownDocument,
  OpenSpecWorkspace,
} from '../openspec/model';
import type { ValidationIssue } from '../validation/types';

/** The file an issue is shown on, with its parsed document when the model has it. */
export interface IssueTarget {
  readonly file: string;
  readonly text?: string;
  readonly delta?: DeltaSpecDocument;
  readonly mainSpec?: MainSpecDocument;
}

const METADATA_FILE = '.openspec.yaml';

/**
 * Where a change's issue belongs. `openspec validate` gives delta paths relative to `<change>/specs/`
 * (`auth/spec.md`), task and metadata paths relative to the change folder, and `file` for the change as a
 * whole, which is shown on proposal.md (else on the change's first file).
 */
export function changeIssueTarget(workspace: OpenSpecWorkspace, changeId: string, issue: ValidationIssue): IssueTarget {
  const change = workspace.changes.find((candidate) => candidate.id === changeId);
  const dir = change?.dir ?? path.join(workspace.openspecDir, 'changes', changeId);
  const specsDir = path.join(dir, 'specs');
  if (issue.path === 'file' || issue.path === '') return wholeChangeTarget(dir, change);
  if (issue.path === 'specs')
    return change?.deltas[0] ? documentTarget(change.deltas[0]) : wholeChangeTarget(dir, change);
  if (issue.path === METADATA_FILE)
    return { file: path.join(dir, METADATA_FILE), ...(change?.metadata ? { text: change.metadata.text } : {}) };
  const inSpecs = path.join(specsDir, issue.path);
  const delta = change?.deltas.find((candidate) => candidate.path === inSpecs);
  if (delta) return { ...documentTarget(delta), delta };
  if (path.basename(issue.path) === 'spec.md' || issue.message.includes(`specs/${issue.path}`))
    return { file: inSpecs };
  const inChange = path.join(dir, issue.path);
  const known = change ? changeDocuments(change).find((document) => document.path === inChange) : undefined;
  return known ? documentTarget(known) : { file: inChange };
}

/** A main spec's issues all belong to its spec.md; their paths name a part of it, not a file. */
export function specIssueTarget(workspace: OpenSpecWorkspace, specId: string): IssueTarget {
  const spec = workspace.specs.find((candidate) => candidate.capability === specId);
  if (!spec) return { file: path.join(workspace.openspecDir, 'specs', ...specId.split('/'), 'spec.md') };
  return { ...documentTarget(spec), mainSpec: spec };
}

function wholeChangeTarget(dir: string, change: Change | undefined): IssueTarget {
  if (change?.proposal) return documentTarget(change.proposal);
  const first = change ? changeDocuments(change)[0] : undefined;
  if (first) return documentTarget(first);
  if (change?.metadata) return { file: change.metadata.path, text: change.metadata.text };
  return { file: path.join(dir, 'proposal.md') };
}

function changeDocuments(change: Change): MarkdownDocument[] {
  const documents: Array<MarkdownDocument | undefined> = [
    change.proposal,
    change.design,
    change.tasks,
    ...change.deltas,
  ];
  return documents.filter((document): document is MarkdownDocument => document !== undefined);
}

function documentTarget(document: MarkdownDocument): IssueTarget {
  return { file: document.path, text: document.text };
}
