import * as vscode from 'vscode';
import { completionsAt, type SpecCompletion } from '../../core/language/specCompletion';
import { definitionAt } from '../../core/language/specDefinition';
import { hoverAt } from '../../core/language/requirementHover';
import type { OpenSpecWorkspace } from '../../core/openspec/model';
import { toPosix } from '../../node/nodeFileSystem';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';
import { SPEC_DOCUMENTS } from '../quickfix/registerQuickFixes';

/** The model and core path of an OpenSpec document, read from the live model (unsaved text included). */
function locate(
  models: OpenSpecModels,
  document: vscode.TextDocument,
): { folder: FolderModel; workspace: OpenSpecWorkspace; file: string } | undefined {
  const folder = models.folderFor(document.uri);
  if (!folder || document.uri.scheme !== 'file') return undefined;
  return { folder, workspace: folder.workspace, file: toPosix(document.uri.fsPath) };
}

const KINDS: Record<SpecCompletion['kind'], vscode.CompletionItemKind> = {
  requirement: vscode.CompletionItemKind.Reference,
  capability: vscode.CompletionItemKind.Module,
  snippet: vscode.CompletionItemKind.Snippet,
};

function toItem(completion: SpecCompletion): vscode.CompletionItem {
  const item = new vscode.CompletionItem(completion.label, KINDS[completion.kind]);
  item.insertText = completion.snippet ? new vscode.SnippetString(completion.insertText) : completion.insertText;
  item.range = new vscode.Range(completion.line, completion.start, completion.line, completion.end);
  if (completion.detail) item.detail = completion.detail;
  if (completion.documentation) item.documentation = new vscode.MarkdownString(completion.documentation);
  if (completion.filterText) item.filterText = completion.filterText;
  if (completion.sortText) item.sortText = completion.sortText;
  return item;
}

/**
 * Completion, hover and go to definition in OpenSpec markdown files: requirement names from the main spec
 * where a delta must name an existing one, capability names in proposal.md, what a delta header changes,
 * and F12 to the requirement it names.
 */
export function registerSpecLanguage(deps: { models: OpenSpecModels }): vscode.Disposable {
  const { models } = deps;
  const completion: vscode.CompletionItemProvider = {
    provideCompletionItems(document, position, _token, context) {
      const at = locate(models, document);
      if (!at) return [];
      const lineText = document.lineAt(position.line).text;
      const typedTrigger = context.triggerKind === vscode.CompletionTriggerKind.TriggerCharacter;
      return completionsAt(at.workspace, at.file, position.line, position.character, lineText)
        .filter((found) => !(typedTrigger && found.kind === 'snippet'))
        .map(toItem);
    },
  };
  const hover: vscode.HoverProvider = {
    provideHover(document, position) {
      const at = locate(models, document);
      const found = at && hoverAt(at.workspace, at.file, position.line, position.character);
      if (!found) return undefined;
      const markdown = new vscode.MarkdownString(found.contents);
      return new vscode.Hover(markdown, document.lineAt(found.line).range);
    },
  };
  const definition: vscode.DefinitionProvider = {
    provideDefinition(document, position) {
      const at = locate(models, document);
      const found = at && definitionAt(at.workspace, at.file, position.line, position.character);
      if (!at || !found) return undefined;
      return new vscode.Location(at.folder.toUri(found.path), new vscode.Position(found.line, 0));
    },
  };
  return vscode.Disposable.from(
    // A space ends `### Requirement:` and `FROM:`, a backtick opens a capability name: the lists open there.
    vscode.languages.registerCompletionItemProvider(SPEC_DOCUMENTS, completion, ' ', '`'),
    vscode.languages.registerHoverProvider(SPEC_DOCUMENTS, hover),
    vscode.languages.registerDefinitionProvider(SPEC_DOCUMENTS, definition),
  );
}
