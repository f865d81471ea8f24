import type * as vscode from 'vscode';
import type { ReviewFinding } from '../../core/ai/review/findingSchema';
import type { IterationRecord, LoopEvent, LoopReport } from '../../core/loop/loopTypes';
import type { PendingProposal } from '../ai/proposals/proposalStore';
import type { FolderModel } from '../model/openSpecModels';
import type { ExplorerNode } from './explorerNodes';

/** What the explorer shows of the AI features under each change. */
export interface AiTreeSource {
  readonly onDidChange: vscode.Event<void>;
  findings(folder: FolderModel, changeId: string): readonly ReviewFinding[];
  /** The pending proposals for files of the change in `folder` (another folder may have a change of that id). */
  proposals(folder: FolderModel, changeId: string): readonly PendingProposal[];
  /** The change's last improvement-loop run that ended, in this folder. */
  loop?(folder: FolderModel, changeId: string): LoopReport | undefined;
  /** The change's improvement loop running now in this folder. */
  runningLoop?(folder: FolderModel, changeId: string): RunningLoopView | undefined;
}

/** A running loop as the explorer shows it: its latest step and its iterations so far. */
export interface RunningLoopView {
  readonly changeId: string;
  readonly latest: LoopEvent | undefined;
  readonly iterations: readonly IterationRecord[];
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** The "AI Review" and "Proposals" groups of a change, each only when it has something to show. */
export function aiGroups(
  source: AiTreeSource | undefined,
  folder: FolderModel,
  parentId: string,
  changeId: string,
): ExplorerNode[] {
  if (!source) return [];
  const nodes: ExplorerNode[] = [];
  if (source.findings(folder, changeId).length > 0)
    nodes.push({ kind: 'review', id: `${parentId}/review`, folder, changeId });
  if (source.proposals(folder, changeId).length > 0)
    nodes.push({ kind: 'proposals', id: `${parentId}/proposals`, folder, changeId });
  const running = source.runningLoop?.(folder, changeId);
  const loop = source.loop?.(folder, changeId);
  if (running) nodes.push({ kind: 'loopRun', id: `${parentId}/loop`, folder, running });
  else if (loop) nodes.push({ kind: 'loopRun', id: `${parentId}/loop`, folder, report: loop });
  return nodes;
}

export function reviewChildren(
  source: AiTreeSource | undefined,
  folder: FolderModel,
  parentId: string,
  changeId: string,
): ExplorerNode[] {
  const findings = [...(source?.findings(folder, changeId) ?? [])].sort(
    (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
  );
  return findings.map((finding, index) => ({
    kind: 'reviewFinding',
    id: `${parentId}/finding:${index}`,
    folder,
    finding,
  }));
}

export function proposalChildren(
  source: AiTreeSource | undefined,
  folder: FolderModel,
  parentId: string,
  changeId: string,
): ExplorerNode[] {
  return (source?.proposals(folder, changeId) ?? []).map((entry) => ({
    kind: 'aiProposal',
    id: `${parentId}/proposal:${entry.id}`,
    folder,
    entry,
    proposalId: entry.id,
  }));
}

/** One node per iteration of the loop run (running or last), with its findings and decisions. */
export function loopChildren(
  folder: FolderModel,
  parentId: string,
  iterations: readonly IterationRecord[],
): ExplorerNode[] {
  return iterations.map((iteration) => ({
    kind: 'loopIteration',
    id: `${parentId}/iteration:${iteration.iteration}`,
    folder,
    iteration,
  }));
}
