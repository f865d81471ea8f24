import { checkProposal } from '../../core/ai/improve/proposalCheck';
import * as vscode from 'vscode';
import type { Lesson } from '../../core/feedback/feedbackData';
import { lessonTextProblem } from '../../core/feedback/lessonLimits';
import { proposeProjectRules } from '../../core/feedback/proposeProjectRules';
import type { Proposal } from '../../core/ai/improve/improveDocument';
import type { AiRunner } from '../ai/aiRunner';
import type { ProposalStore } from '../ai/proposals/proposalStore';
import { showProposal } from '../ai/proposals/showProposal';
import type { OpenSpecModels } from '../model/openSpecModels';
import type { FeedbackMemory } from './feedbackMemory';
import { counted } from '../../core/counted';

interface LessonNode {
  readonly lesson: Lesson;
}

/**
 * The "Lessons" view: what the user's decisions taught, included in every review and improve prompt; each can
 * be edited or deleted (a deleted lesson is never drawn again), and new ones written. "Propose Project Rules
 * from History" turns them into `context`/`rules` of openspec/config.yaml, as a diff to accept or reject.
 */
export function registerLessons(deps: {
  models: OpenSpecModels;
  feedback: FeedbackMemory;
  runner: AiRunner;
  proposals: ProposalStore;
}): vscode.Disposable {
  const { feedback } = deps;
  const emitter = new vscode.EventEmitter<void>();
  const provider: vscode.TreeDataProvider<LessonNode> = {
    onDidChangeTreeData: emitter.event,
    getChildren: (node) => (node ? [] : feedback.lessonEntries().map((lesson) => ({ lesson }))),
    getTreeItem: ({ lesson }) => {
      const item = new vscode.TreeItem(lesson.text, vscode.TreeItemCollapsibleState.None);
      item.id = lesson.id;
      item.description =
        lesson.source === 'user'
          ? 'yours'
          : `from ${counted(lesson.evidence.accepted + lesson.evidence.rejected, 'decision')}`;
      item.tooltip = lesson.text;
      item.contextValue = 'lesson';
      item.iconPath = new vscode.ThemeIcon(lesson.source === 'user' ? 'person' : 'lightbulb');
      return item;
    },
  };
  const askText = (value?: string) =>
    vscode.window.showInputBox({
      title: 'Lesson for the AI reviewer',
      value,
      validateInput: (text) => lessonTextProblem(text),
    });

  return vscode.Disposable.from(
    emitter,
    vscode.window.createTreeView('openspecLoop.lessons', { treeDataProvider: provider }),
    feedback.onDidChange(() => emitter.fire()),
    vscode.commands.registerCommand('openspecLoop.addLesson', async (text?: unknown) => {
      const lesson = typeof text === 'string' ? text : await askText();
      if (lesson) await feedback.addLesson(lesson);
    }),
    vscode.commands.registerCommand('openspecLoop.editLesson', async (node?: LessonNode) => {
      if (!node) return;
      const text = await askText(node.lesson.text);
      if (text !== undefined && text !== node.lesson.text) await feedback.editLesson(node.lesson.id, text);
    }),
    vscode.commands.registerCommand('openspecLoop.deleteLesson', async (node?: LessonNode) => {
      if (node) await feedback.deleteLesson(node.lesson.id);
    }),
    vscode.commands.registerCommand('openspecLoop.proposeProjectRules', () => proposeRules(deps)),
  );
}

async function proposeRules(deps: {
  models: OpenSpecModels;
  feedback: FeedbackMemory;
  runner: AiRunner;
  proposals: ProposalStore;
}): Promise<string | undefined> {
  await deps.models.ready;
  const folder = deps.models.folders[0];
  const lessons = deps.feedback.lessons();
  if (!folder) return undefined;
  if (lessons.length === 0) {
    void vscode.window.showInformationMessage(
      'No lessons yet: accept or reject some AI proposals first, or add a lesson in the Lessons view.',
    );
    return undefined;
  }
  const outcome = await deps.runner.run({
    title: 'Proposing project rules from the lessons',
    key: `rules:${folder.root}`,
    run: (model, context) =>
      proposeProjectRules(model, folder.fs, folder.root, lessons, {
        signal: context.signal,
        onProgress: context.onProgress,
      }),
  });
  if (!outcome.ok) return undefined;
  const rules = outcome.value;
  if (!rules.changed) {
    void vscode.window.showInformationMessage(
      `openspec/config.yaml already says what the lessons say: ${rules.summary}`,
    );
    return undefined;
  }
  // A config.yaml proposal is a proposal like any other: a diff, Accept writes one undoable edit onto the text read.
  const proposal: Proposal = {
    file: rules.file,
    absolutePath: rules.absolutePath,
    baseText: rules.baseText,
    baseHash: rules.baseHash,
    proposedText: rules.proposedText,
    summary: rules.summary,
    changed: true,
    ...(rules.created ? { created: true } : {}),
    validation: { before: [], after: [], newErrors: [] },
    check: checkProposal({
      file: rules.absolutePath,
      root: folder.root,
      baseText: rules.baseText,
      proposedText: rules.proposedText,
    }),
    trimmed: [],
    model: rules.model ?? '',
    repaired: rules.repaired,
  };
  const entry = await deps.proposals.add('', proposal);
  await showProposal(entry);
  return entry.id;
}
