import * as vscode from 'vscode';
import { improveDocument, type Proposal } from '../../core/ai/improve/improveDocument';
import type { FindingToFix } from '../../core/ai/improve/improveInstructions';
import { reviewChange, type ReviewResult } from '../../core/ai/review/reviewChange';
import { PROJECT_CONFIG_FILE } from '../../core/feedback/proposeProjectRules';
import type { FileWriter } from '../../core/fs/fileWriter';
import type { Logger } from '../../core/logger';
import { resolveChange } from '../compare/changeArgument';
import { anyEvent } from '../anyEvent';
import type { AiTreeSource } from '../explorer/aiChildren';
import type { ToolDecorator } from '../mcp/registerMcpHub';
import type { OpenSpecModels } from '../model/openSpecModels';
import { AiRunner, type AiOutcome } from './aiRunner';
import { resolveImproveTarget, type ImproveTarget } from './improveArgument';
import { LmStudioStatus } from './lmStudioStatus';
import { acceptProposal, proposalFromArgument, rejectProposal } from './proposals/proposalDecisions';
import { ProposalFileSystem, PROPOSAL_SCHEME } from './proposals/proposalDocuments';
import { ProposalStore, type PendingProposal } from './proposals/proposalStore';
import { registerProposalNavigation } from './proposals/proposalNavigation';
import { showProposal } from './proposals/showProposal';
import { ImproveQuickFixProvider } from './review/improveQuickFix';
import { ReviewDiagnostics } from './review/reviewDiagnostics';
import { selectModel } from './selectModel';

/** What Improve with AI resolves to: the proposal, and its id when it was kept for a decision. */
export interface ImproveResult {
  readonly proposal: Proposal;
  readonly proposalId?: string;
}

function summarizeReview(changeId: string, result: ReviewResult): void {
  const { findings } = result;
  const count = (severity: string) => findings.filter((finding) => finding.severity === severity).length;
  const summary =
    findings.length === 0
      ? 'no findings'
      : `${findings.length} findings (${count('error')} errors, ${count('warning')} warnings, ${count('info')} info)`;
  void vscode.window
    .showInformationMessage(`AI review of ${changeId}: ${summary}.`, ...(findings.length > 0 ? ['Show Problems'] : []))
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
    });
}

/**
 * A proposal's notification stays up after it was decided from the diff or the explorer (VS Code cannot
 * close it); its buttons then say so instead of doing nothing.
 */
function tellAlreadyDecided(argument: unknown): void {
  if (typeof argument === 'string')
    void vscode.window.showInformationMessage('This proposal was already accepted or rejected; nothing was changed.');
}

export interface AiDeps {
  readonly models: OpenSpecModels;
  readonly logger: Logger;
  /** Accept writes through it. */
  readonly writer: FileWriter;
  readonly workspaceState: vscode.Memento;
  /** Offers the allowed MCP tools to the model. */
  readonly decorateModel?: ToolDecorator;
  /** What this project's earlier decisions taught, for the prompts. */
  readonly lessons?: () => readonly string[];
  /** Told which review findings a new proposal answers, so its decision is remembered with them. */
  readonly noteFindings?: (proposalId: string, findings: readonly FindingToFix[]) => void;
}

/** What the AI features expose to the rest of the extension (the explorer lists pending proposals). */
export interface AiFeatures {
  readonly proposals: ProposalStore;
  readonly runner: AiRunner;
  readonly status: LmStudioStatus;
  readonly treeSource: AiTreeSource;
  readonly disposable: vscode.Disposable;
}

/**
 * Review and Improve with AI through LM Studio: the status bar, the commands, review findings in Problems
 * with an "Improve with AI" quick fix, and proposals shown as diffs that only Accept can write.
 */
export function registerAi(deps: AiDeps): AiFeatures {
  const { models, logger } = deps;
  const status = new LmStudioStatus(logger);
  const runner = new AiRunner(logger, status, deps.decorateModel);
  const proposals = new ProposalStore(deps.workspaceState);
  const reviews = new ReviewDiagnostics();
  const proposalFiles = new ProposalFileSystem(proposals);

  const review = async (argument?: unknown): Promise<AiOutcome<ReviewResult> | undefined> => {
    await models.ready;
    const found = await resolveChange(models, argument);
    if (!found) return undefined;
    const { folder, change } = found;
    // What to do with the answer is part of the operation, so a Retry from the failure notification delivers it too.
    return runner.run({
      title: `Reviewing ${change.id} with AI`,
      key: `review:${folder.root}:${change.id}`,
      run: async (model, context) => {
        const result = await reviewChange(model, folder.fs, folder.root, change.id, {
          ...context,
          logger,
          lessons: deps.lessons?.() ?? [],
        });
        await reviews.show(folder, change.id, result.findings);
        summarizeReview(change.id, result);
        return result;
      },
    });
  };

  const improve = (target: ImproveTarget): Promise<AiOutcome<ImproveResult>> => {
    const scope = target.requirement ? ` (${target.requirement})` : '';
    const relative = vscode.workspace.asRelativePath(target.file);
    return runner.run({
      title: `Improving ${relative}${scope} with AI`,
      key: `improve:${target.file}:${target.requirement ?? ''}`,
      run: async (model, context) => {
        const proposal = await improveDocument(
          model,
          target.folder.fs,
          target.folder.root,
          {
            changeId: target.changeId,
            file: target.file,
            ...(target.requirement ? { requirement: target.requirement } : {}),
            ...(target.findings ? { findings: target.findings } : {}),
          },
          { ...context, logger, lessons: deps.lessons?.() ?? [] },
        );
        if (!proposal.changed) {
          void vscode.window.showInformationMessage(
            `The model proposes no change to ${relative}${scope}: ${proposal.summary}`,
          );
          return { proposal };
        }
        const entry = await proposals.add(target.changeId, proposal);
        if (target.findings) deps.noteFindings?.(entry.id, target.findings);
        await showProposal(entry);
        return { proposal, proposalId: entry.id };
      },
    });
  };

  const rerun = (entry: PendingProposal) => {
    if (entry.proposal.file === PROJECT_CONFIG_FILE) {
      void vscode.commands.executeCommand('openspecLoop.proposeProjectRules');
      return;
    }
    void vscode.commands.executeCommand('openspecLoop.improveWithAi', {
      uri: vscode.Uri.file(entry.proposal.absolutePath),
      ...(entry.proposal.requirement ? { requirement: entry.proposal.requirement } : {}),
    });
  };

  void status.check();
  const treeSource: AiTreeSource = {
    onDidChange: anyEvent(proposals.onDidChange, reviews.onDidChange),
    findings: (folder, changeId) => reviews.findingsOf(folder, changeId).map((diagnostic) => diagnostic.finding),
    proposals: (changeId) => proposals.forChange(changeId),
  };
  return {
    proposals,
    runner,
    status,
    treeSource,
    disposable: vscode.Disposable.from(
      status,
      proposals,
      reviews,
      proposalFiles,
      vscode.workspace.registerFileSystemProvider(PROPOSAL_SCHEME, proposalFiles, { isCaseSensitive: true }),
      vscode.languages.registerCodeActionsProvider(
        { scheme: 'file', pattern: '**/openspec/**/*.md' },
        new ImproveQuickFixProvider(reviews),
        ImproveQuickFixProvider.metadata,
      ),
      vscode.commands.registerCommand('openspecLoop.reviewWithAi', review),
      vscode.commands.registerCommand('openspecLoop.improveWithAi', async (argument?: unknown) => {
        await models.ready;
        const target = resolveImproveTarget(models, argument);
        if (typeof target === 'string') {
          void vscode.window.showWarningMessage(target);
          return undefined;
        }
        return improve(target);
      }),
      vscode.commands.registerCommand('openspecLoop.acceptProposal', async (argument?: unknown) => {
        const entry = proposalFromArgument(proposals, argument);
        if (!entry) tellAlreadyDecided(argument);
        return entry ? acceptProposal(deps.writer, proposals, entry, rerun) : 'unknown';
      }),
      vscode.commands.registerCommand('openspecLoop.rejectProposal', async (argument?: unknown) => {
        const entry = proposalFromArgument(proposals, argument);
        if (entry) await rejectProposal(proposals, entry);
        else tellAlreadyDecided(argument);
        return entry ? 'rejected' : 'unknown';
      }),
      vscode.commands.registerCommand('openspecLoop.showProposal', async (argument?: unknown) => {
        const entry = proposalFromArgument(proposals, argument);
        if (entry) await showProposal(entry);
      }),
      vscode.commands.registerCommand('openspecLoop.selectModel', () => selectModel(status)),
      registerProposalNavigation(proposals, showProposal),
    ),
  };
}
