import { proposalWarnings } from '../../core/ai/improve/proposalCheck';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeLoopStep } from '../../core/loop/runningLoops';
import type { AiGroupNode, LoopIterationNode, LoopRunNode, ProposalNode, ReviewFindingNode } from './explorerNodes';
import { counted } from '../../core/counted';

const SEVERITY_ICONS = { error: 'error', warning: 'warning', info: 'info' } as const;

export function aiGroupItem(node: AiGroupNode, count: number): vscode.TreeItem {
  const review = node.kind === 'review';
  const treeItem = new vscode.TreeItem(review ? 'AI Review' : 'Proposals', vscode.TreeItemCollapsibleState.Collapsed);
  treeItem.id = node.id;
  treeItem.contextValue = node.kind;
  treeItem.description = review ? `${counted(count, 'finding')}` : `${count} pending`;
  treeItem.iconPath = new vscode.ThemeIcon(review ? 'sparkle' : 'git-pull-request');
  return treeItem;
}

export function reviewFindingItem(node: ReviewFindingNode): vscode.TreeItem {
  const { finding } = node;
  const treeItem = new vscode.TreeItem(
    finding.message.split('\n')[0] ?? finding.message,
    vscode.TreeItemCollapsibleState.None,
  );
  treeItem.id = node.id;
  treeItem.contextValue = 'reviewFinding';
  treeItem.description = `${finding.category} · ${path.basename(finding.file)}${finding.line ? `:${finding.line}` : ''}`;
  treeItem.tooltip = finding.suggestion ? `${finding.message}\n\nSuggestion: ${finding.suggestion}` : finding.message;
  treeItem.iconPath = new vscode.ThemeIcon(SEVERITY_ICONS[finding.severity]);
  const line = Math.max(0, (finding.line ?? 1) - 1);
  const position = new vscode.Position(line, 0);
  treeItem.command = {
    title: 'Open',
    command: 'vscode.open',
    arguments: [
      node.folder.toUri(`${node.folder.root}/${finding.file}`),
      { selection: new vscode.Range(position, position), preview: true },
    ],
  };
  return treeItem;
}

export function proposalItem(node: ProposalNode): vscode.TreeItem {
  const { proposal } = node.entry;
  const label = `${path.basename(proposal.file)}${proposal.requirement ? `: ${proposal.requirement}` : ''}`;
  const treeItem = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  treeItem.id = node.id;
  treeItem.contextValue = 'aiProposal';
  treeItem.description = proposal.summary;
  const warnings = proposalWarnings(proposal).map((warning) => `Careful: it ${warning}.`);
  treeItem.tooltip = `${proposal.summary}${warnings.length > 0 ? `\n\n${warnings.join('\n')}` : ''}\n\nClick to show the diff.`;
  treeItem.iconPath = new vscode.ThemeIcon(warnings.length > 0 ? 'warning' : 'diff');
  treeItem.command = { title: 'Show Proposal', command: 'openspecLoop.showProposal', arguments: [node.entry.id] };
  return treeItem;
}

const OUTCOME_ICONS = { converged: 'pass', stopped: 'debug-pause', failed: 'error' } as const;

export function loopRunItem(node: LoopRunNode): vscode.TreeItem {
  const treeItem = new vscode.TreeItem('Loop', vscode.TreeItemCollapsibleState.Collapsed);
  treeItem.id = node.id;
  if (node.running) {
    const where = node.running.latest ? describeLoopStep(node.running.latest) : 'starting';
    treeItem.contextValue = 'loopRunning';
    treeItem.description = `running · ${where}`;
    treeItem.tooltip = `The improvement loop is running: ${where}. Stop it here or with Cancel in its notification; files stay as of the last accepted step.`;
    treeItem.iconPath = new vscode.ThemeIcon('loading~spin');
    return treeItem;
  }
  const { report } = node;
  treeItem.contextValue = 'loopRun';
  treeItem.description = `${report.outcome} after ${counted(report.iterations.length, 'iteration')}`;
  treeItem.tooltip = report.message;
  treeItem.iconPath = new vscode.ThemeIcon(OUTCOME_ICONS[report.outcome]);
  return treeItem;
}

export function loopIterationItem(node: LoopIterationNode): vscode.TreeItem {
  const { iteration } = node;
  const count = (decision: string) => iteration.proposals.filter((proposal) => proposal.decision === decision).length;
  const findings = `${counted(iteration.findings.error, 'error')}, ${counted(iteration.findings.warning, 'warning')}`;
  const decisions =
    iteration.proposals.length > 0
      ? ` · ${count('accepted') + count('acceptedEdited')} accepted, ${count('rejected')} rejected`
      : '';
  const treeItem = new vscode.TreeItem(`Iteration ${iteration.iteration}`, vscode.TreeItemCollapsibleState.None);
  treeItem.id = node.id;
  treeItem.contextValue = 'loopIteration';
  treeItem.description = `${findings}; validation ${iteration.validation.valid ? 'passes' : `fails (${counted(iteration.validation.errors, 'error')})`}${decisions}`;
  treeItem.tooltip =
    iteration.proposals
      .map(
        (proposal) =>
          `${proposal.file}: ${proposal.decision ?? 'pending'}${proposal.auto ? ' (auto)' : ''} — ${proposal.summary}`,
      )
      .join('\n') || 'No proposals';
  treeItem.iconPath = new vscode.ThemeIcon('history');
  return treeItem;
}
