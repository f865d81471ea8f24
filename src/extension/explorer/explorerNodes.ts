import type {
  DeltaOperation,
  DeltaSpecDocument,
  MainSpecDocument,
  Requirement,
  Scenario,
  Task,
  TasksDocument,
} from '../../core/openspec/model';
import type { ReviewFinding } from '../../core/ai/review/findingSchema';
import type { IterationRecord, LoopReport } from '../../core/loop/loopTypes';
import type { PendingProposal } from '../ai/proposals/proposalStore';
import type { RunningLoopView } from './aiChildren';
import type { FolderModel } from '../model/openSpecModels';

/**
 * The elements of the three explorer trees. Every node carries a tree-unique `id` (it keeps the expansion
 * state across refreshes) and the folder it belongs to. Change nodes hold only their id and read the change
 * from the folder's current snapshot, so the same object can be refreshed in place when that change moves.
 */
export type ExplorerNode =
  | WorkspaceFolderNode
  | ChangeNode
  | DocumentNode
  | TasksNode
  | TaskGroupNode
  | TaskNode
  | DeltaNode
  | RequirementNode
  | ScenarioNode
  | CapabilityFolderNode
  | SpecNode
  | AiGroupNode
  | ReviewFindingNode
  | ProposalNode
  | LoopRunNode
  | LoopIterationNode
  | ListedChangeNode;

interface NodeBase {
  readonly id: string;
  readonly folder: FolderModel;
}

export type ViewKind = 'changes' | 'specs' | 'archive';

export interface WorkspaceFolderNode extends NodeBase {
  readonly kind: 'workspaceFolder';
  readonly view: ViewKind;
}

/**
 * A change named by the folder listing while the folder's model is still being read: the Changes view shows
 * the names at once, and the rows become change nodes (same id) when the model is ready.
 */
export interface ListedChangeNode {
  readonly kind: 'listedChange';
  readonly id: string;
  readonly changeId: string;
}

export interface ChangeNode extends NodeBase {
  readonly kind: 'change';
  /** The folder name: the change id, or `YYYY-MM-DD-id` for an archived change. */
  readonly changeId: string;
  readonly archived: boolean;
}

export interface DocumentNode extends NodeBase {
  readonly kind: 'proposal' | 'design';
  readonly path: string;
}

export interface TasksNode extends NodeBase {
  readonly kind: 'tasks';
  readonly document: TasksDocument;
}

export interface TaskGroupNode extends NodeBase {
  readonly kind: 'taskGroup';
  readonly document: TasksDocument;
  /** Index into the document's groups. */
  readonly group: number;
}

export interface TaskNode extends NodeBase {
  readonly kind: 'task';
  readonly document: TasksDocument;
  readonly task: Task;
}

export interface DeltaNode extends NodeBase {
  readonly kind: 'delta';
  readonly document: DeltaSpecDocument;
}

export interface RequirementNode extends NodeBase {
  readonly kind: 'requirement';
  readonly path: string;
  readonly name: string;
  readonly line: number;
  /** Set for requirements of a delta spec. */
  readonly operation?: DeltaOperation;
  /** For RENAMED entries: the old name. */
  readonly renamedFrom?: string;
  readonly requirement?: Requirement;
}

export interface ScenarioNode extends NodeBase {
  readonly kind: 'scenario';
  readonly path: string;
  readonly scenario: Scenario;
}

/** One segment of a nested capability path (`audit` in `audit/log`) that has no spec.md of its own. */
export interface CapabilityFolderNode extends NodeBase {
  readonly kind: 'capabilityFolder';
  /** The capability path up to and including this segment. */
  readonly prefix: string;
}

export interface SpecNode extends NodeBase {
  readonly kind: 'spec';
  readonly document: MainSpecDocument;
}

/** "AI Review" (the latest findings) or "Proposals" (pending AI proposals) under a change. */
export interface AiGroupNode extends NodeBase {
  readonly kind: 'review' | 'proposals';
  readonly changeId: string;
}

export interface ReviewFindingNode extends NodeBase {
  readonly kind: 'reviewFinding';
  readonly finding: ReviewFinding;
}

export interface ProposalNode extends NodeBase {
  readonly kind: 'aiProposal';
  readonly entry: PendingProposal;
  /** Lets Accept/Reject in the node's menu find the proposal. */
  readonly proposalId: string;
}

/** "Loop": the change's improvement loop running now, or else its last run. */
export type LoopRunNode = NodeBase & { readonly kind: 'loopRun' } & (
    | { readonly report: LoopReport; readonly running?: undefined }
    | { readonly running: RunningLoopView; readonly report?: undefined }
  );

export interface LoopIterationNode extends NodeBase {
  readonly kind: 'loopIteration';
  readonly iteration: IterationRecord;
}
