import * as vscode from 'vscode';
import type { Proposal } from '../../core/ai/improve/improveDocument';
import type { FindingToFix } from '../../core/ai/improve/improveInstructions';
import type { ReviewResult } from '../../core/ai/review/reviewChange';
import { PROJECT_CONFIG_FILE } from '../../core/openspec/documentPaths';
import type { FileWriter } from '../../core/fs/fileWriter';
import type { Logger } from '../../core/logger';
import { changeFromArgument } from '../model/changeArgument';
import { anyEvent } from '../anyEvent';
import type { AiTreeSource } from '../explorer/aiChildren';
import type { ToolDecorator } from '../mcp/registerMcpHub';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';
import { AiRunner, type AiOutcome } from './aiRunner';
import type { LmStudioSettingsSource } from './aiSettings';
import type { FirstAiUse } from './firstAiUse';
import { resolveImproveRequest, type ImproveRequest } from './improveArgument';
import { LmStudioStatus } from './lmStudioStatus';
import { acceptProposal, proposalFromArgument, rejectProposal } from './proposals/proposalDecisions';
import { ProposalFileSystem, PROPOSAL_SCHEME } from './proposals/proposalDocuments';
import { ProposalStore, type PendingProposal } from './proposals/proposalStore';
import { registerProposalNavigation } from './proposals/proposalNavigation';
import { showProposal } from './proposals/showProposal';
import { ImproveQuickFixProvider } from './review/improveQuickFix';
import { ReviewDiagnostics } from './review/reviewDiagnostics';
import { selectModel } from './selectModel';
import { findingsSummary } from '../../core/ai/review/findingsSummary';

/** What Improve with AI resolves to: the proposal, and its id when it was kept for a decision. */
export interface ImproveResult {
  readonly proposal: Proposal;
  readonly proposalId?: string;
}

function summarizeReview(changeId: string, result: ReviewResult): void {
  const { findings } = result;
  const summary = findingsSummary(findings);
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
  /** The settings and the stored token every request to LM Studio is built from. */
  readonly lmStudio: LmStudioSettingsSource;
  /** Fires when the stored token changes, so the status checks again. */
  readonly tokenChanged: vscode.Event<void>;
  readonly firstUse: FirstAiUse;
  /** Offers the allowed MCP tools to the model. */
  readonly decorateModel?: ToolDecorator;
  /** What the earlier decisions on a folder's proposals taught, for the prompts of that folder's changes. */
  readonly lessons?: (folder: FolderModel) => readonly string[];
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
  const status = new LmStudioStatus(logger, deps.lmStudio, deps.firstUse, deps.tokenChanged);
  const runner = new AiRunner(logger, status, deps.lmStudio, deps.firstUse, deps.decorateModel);
  const proposals = new ProposalStore(deps.workspaceState);
  const reviews = new ReviewDiagnostics();
  const proposalFiles = new ProposalFileSystem(proposals);

  const review = async (argument?: unknown): Promise<AiOutcome<ReviewResult> | undefined> => {
    if (!runner.available('Review Change with AI')) return undefined;
    await models.ready;
    const found = await changeFromArgument(models, argument);
    if (!found) return undefined;
    const { folder, change } = found;
    // What to do with the answer is part of the operation, so a Retry from the failure notification delivers it too.
    return runner.run({
      title: `Reviewing ${change.id} with AI`,
      key: `review:${folder.root}:${change.id}`,
      run: async (model, context) => {
        const result = await reviewModule().reviewChange(model, folder.fs, folder.root, change.id, {
          ...context,
          logger,
          lessons: deps.lessons?.(folder) ?? [],
        });
        await reviews.show(folder, change.id, result.findings);
        summarizeReview(change.id, result);
        return result;
      },
    });
  };

  const improve = (request: ImproveRequest): Promise<AiOutcome<ImproveResult>> => {
    const scope = request.requirement ? ` (${request.requirement})` : '';
    const relative = vscode.workspace.asRelativePath(request.file);
    return runner.run({
      title: `Improving ${relative}${scope} with AI`,
      key: `improve:${request.file}:${request.requirement ?? ''}`,
      run: async (model, context) => {
        const proposal = await improveModule().improveDocument(
          model,
          request.folder.fs,
          request.folder.root,
          {
            changeId: request.changeId,
            file: request.file,
            ...(request.requirement ? { requirement: request.requirement } : {}),
            ...(request.findings ? { findings: request.findings } : {}),
          },
          { ...context, logger, lessons: deps.lessons?.(request.folder) ?? [] },
        );
        if (!proposal.changed) {
          void vscode.window.showInformationMessage(
            `The model proposes no change to ${relative}${scope}: ${proposal.summary}`,
          );
          return { proposal };
        }
        const entry = await proposals.add(request.changeId, proposal);
        if (request.findings) deps.noteFindings?.(entry.id, request.findings);
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

  const treeSource: AiTreeSource = {
    onDidChange: anyEvent(proposals.onDidChange, reviews.onDidChange),
    findings: (folder, changeId) => reviews.findingsOf(folder, changeId).map((diagnostic) => diagnostic.finding),
    proposals: (folder, changeId) =>
      proposals.forChange(changeId).filter((entry) => entry.proposal.absolutePath.startsWith(`${folder.root}/`)),
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
      models.onDidRemoveFolder((folder) => reviews.forgetFolder(folder)),
      proposalFiles,
      vscode.workspace.registerFileSystemProvider(PROPOSAL_SCHEME, proposalFiles, { isCaseSensitive: true }),
      vscode.languages.registerCodeActionsProvider(
        { scheme: 'file', pattern: '**/openspec/**/*.md' },
        new ImproveQuickFixProvider(reviews),
        ImproveQuickFixProvider.metadata,
      ),
      vscode.commands.registerCommand('openspecLoop.reviewWithAi', review),
      vscode.commands.registerCommand('openspecLoop.improveWithAi', async (argument?: unknown) => {
        if (!runner.available('Improve with AI')) return undefined;
        await models.ready;
        const request = resolveImproveRequest(models, argument);
        if (typeof request === 'string') {
          void vscode.window.showWarningMessage(request);
          return undefined;
        }
        return improve(request);
      }),
      vscode.commands.registerCommand('openspecLoop.acceptProposal', async (argument?: unknown) => {
        const entry = proposalFromArgument(proposals, argument);
        if (!entry) tellAlreadyDecided(argument);
        return entry ? acceptProposal({ writer: deps.writer, logger }, proposals, entry, rerun) : 'unknown';
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
      vscode.commands.registerCommand('openspecLoop.selectModel', () =>
        selectModel({ status, settings: deps.lmStudio, firstUse: deps.firstUse, logger }),
      ),
      registerProposalNavigation(proposals, showProposal),
    ),
  };
}

/* eslint-disable @typescript-eslint/no-require-imports */
/*
 * Loaded at the first review or improvement, not with the extension: their answer schemas and prompt builders were
 * the largest part of running the bundle, which the extension host waits for before activating anything.
 */
const reviewModule = (): typeof import('../../core/ai/review/reviewChange') =>
  require('../../core/ai/review/reviewChange') as typeof import('../../core/ai/review/reviewChange');
const improveModule = (): typeof import('../../core/ai/improve/improveDocument') =>
  require('../../core/ai/improve/improveDocument') as typeof import('../../core/ai/improve/improveDocument');
/* eslint-enable @typescript-eslint/no-require-imports */
