import { checkProposal } from '../../core/ai/improve/proposalCheck';
import * as vscode from 'vscode';
import type { Lesson } from '../../core/feedback/feedbackData';
import { lessonTextProblem } from '../../core/feedback/lessonLimits';
import type { Proposal } from '../../core/ai/improve/improveDocument';
import type { AiRunner } from '../ai/aiRunner';
import type { ProposalStore } from '../ai/proposals/proposalStore';
import { showProposal } from '../ai/proposals/showProposal';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';
import { pickFolder } from '../model/pickFolder';
import type { FeedbackMemory } from './feedbackMemory';
import { counted } from '../../core/counted';

/** A folder's group of lessons, shown when the window has several OpenSpec folders. */
interface LessonFolderNode {
  readonly kind: 'folder';
  readonly folder: FolderModel;
}

interface LessonNode {
  readonly kind: 'lesson';
  readonly folder: FolderModel;
  readonly lesson: Lesson;
}

type LessonsViewNode = LessonFolderNode | LessonNode;

interface LessonsDeps {
  models: OpenSpecModels;
  feedback: FeedbackMemory;
  runner: AiRunner;
  proposals: ProposalStore;
}

/**
 * The "Lessons" view: what the user's decisions taught, included in every review and improve prompt of the same
 * folder; each can be edited or deleted (a deleted lesson is never drawn again), and new ones written. With
 * several OpenSpec folders the lessons are grouped by folder, each folder's its own. "Propose Project Rules from
 * History" turns a folder's lessons into `context`/`rules` of its openspec/config.yaml, as a diff to accept or
 * reject.
 */
export function registerLessons(deps: LessonsDeps): vscode.Disposable {
  const { feedback, models } = deps;
  const emitter = new vscode.EventEmitter<void>();
  const lessonsOf = (folder: FolderModel): LessonNode[] =>
    feedback.lessonEntries(folder).map((lesson) => ({ kind: 'lesson', folder, lesson }));
  const provider: vscode.TreeDataProvider<LessonsViewNode> = {
    onDidChangeTreeData: emitter.event,
    getChildren: (node) => {
      if (node) return node.kind === 'folder' ? lessonsOf(node.folder) : [];
      const [only] = models.folders;
      if (only && models.folders.length === 1) return lessonsOf(only);
      // Folders without lessons stay out, so an empty view still shows its welcome.
      return models.folders
        .filter((folder) => feedback.lessonEntries(folder).length > 0)
        .map((folder): LessonFolderNode => ({ kind: 'folder', folder }));
    },
    getTreeItem: (node) => (node.kind === 'folder' ? folderItem(node.folder) : lessonItem(node)),
  };
  const askText = (value?: string) =>
    vscode.window.showInputBox({
      title: 'Lesson for the AI reviewer',
      value,
      validateInput: (text) => lessonTextProblem(text),
    });
  /** A folder node from the view, a folder URI or root, or the folder the user picks. */
  const folderOf = (argument: unknown) =>
    isNode(argument)
      ? Promise.resolve(argument.folder)
      : pickFolder(models, 'Which folder is the lesson for?', typeof argument === 'string' ? argument : undefined);

  return vscode.Disposable.from(
    emitter,
    vscode.window.createTreeView('openspecLoop.lessons', { treeDataProvider: provider }),
    feedback.onDidChange(() => emitter.fire()),
    models.onDidRemoveFolder(() => emitter.fire()),
    // `addLesson(text?, folder?)`: from the view title (nothing), a folder node, or a caller naming both.
    vscode.commands.registerCommand('openspecLoop.addLesson', async (text?: unknown, where?: unknown) => {
      const folder = await folderOf(isNode(text) ? text : where);
      if (!folder) return;
      const lesson = typeof text === 'string' ? text : await askText();
      if (lesson) await feedback.addLesson(folder, lesson);
    }),
    vscode.commands.registerCommand('openspecLoop.editLesson', async (node?: LessonsViewNode) => {
      if (node?.kind !== 'lesson') return;
      const text = await askText(node.lesson.text);
      if (text !== undefined && text !== node.lesson.text) await feedback.editLesson(node.folder, node.lesson.id, text);
    }),
    vscode.commands.registerCommand('openspecLoop.deleteLesson', async (node?: LessonsViewNode) => {
      if (node?.kind === 'lesson') await feedback.deleteLesson(node.folder, node.lesson.id);
    }),
    vscode.commands.registerCommand('openspecLoop.proposeProjectRules', async (argument?: unknown) => {
      await models.ready;
      const folder = isNode(argument)
        ? argument.folder
        : await pickFolder(
            models,
            'Propose project rules for which folder?',
            typeof argument === 'string' ? argument : undefined,
          );
      return folder ? proposeRules(deps, folder) : undefined;
    }),
  );
}

function isNode(argument: unknown): argument is LessonsViewNode {
  const kind = (argument as { kind?: unknown } | undefined)?.kind;
  return typeof argument === 'object' && (kind === 'folder' || kind === 'lesson');
}

function folderItem(folder: FolderModel): vscode.TreeItem {
  const item = new vscode.TreeItem(folder.folder.name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `lessons:${folder.root}`;
  item.description = folder.root;
  item.contextValue = 'lessonFolder';
  item.iconPath = vscode.ThemeIcon.Folder;
  return item;
}

function lessonItem({ folder, lesson }: LessonNode): vscode.TreeItem {
  const item = new vscode.TreeItem(lesson.text, vscode.TreeItemCollapsibleState.None);
  item.id = `${folder.root}:${lesson.id}`;
  item.description =
    lesson.source === 'user'
      ? 'yours'
      : `from ${counted(lesson.evidence.accepted + lesson.evidence.rejected, 'decision')}`;
  item.tooltip = lesson.text;
  item.contextValue = 'lesson';
  item.iconPath = new vscode.ThemeIcon(lesson.source === 'user' ? 'person' : 'lightbulb');
  return item;
}

async function proposeRules(deps: LessonsDeps, folder: FolderModel): Promise<string | undefined> {
  const lessons = deps.feedback.lessons(folder);
  if (lessons.length === 0) {
    const of = deps.models.folders.length > 1 ? ` for ${folder.folder.name}` : '';
    void vscode.window.showInformationMessage(
      `No lessons yet${of}: accept or reject some AI proposals first, or add a lesson in the Lessons view.`,
    );
    return undefined;
  }
  const outcome = await deps.runner.run({
    title: 'Proposing project rules from the lessons',
    key: `rules:${folder.root}`,
    run: (model, context) =>
      rulesModule().proposeProjectRules(model, folder.fs, folder.root, lessons, {
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

/* eslint-disable @typescript-eslint/no-require-imports */
/** Loaded when rules are first proposed, not with the extension: its answer schema is built as it loads. */
const rulesModule = (): typeof import('../../core/feedback/proposeProjectRules') =>
  require('../../core/feedback/proposeProjectRules') as typeof import('../../core/feedback/proposeProjectRules');
/* eslint-enable @typescript-eslint/no-require-imports */
