import * as vscode from 'vscode';
import { documentSymbols, type SpecSymbol, type SpecSymbolKind } from '../../core/language/documentSymbols';
import { workspaceSymbols } from '../../core/language/workspaceSymbols';
import { toPosix } from '../../node/nodeFileSystem';
import type { OpenSpecModels } from '../model/openSpecModels';
import { SPEC_DOCUMENTS } from '../quickfix/registerQuickFixes';
import { toVscodeRange } from './languageRanges';

/**
 * One icon per OpenSpec notion, the same in Outline, breadcrumbs and Ctrl+T: sections and task groups are
 * containers (Namespace); a requirement is the unit everything else names (Class), and a rename is one too,
 * under another name; scenarios are the behaviours a requirement has (Method); a capability named in
 * proposal.md is a spec folder (Package); a task is a single checkable item (Field).
 */
const KINDS: Record<SpecSymbolKind, vscode.SymbolKind> = {
  section: vscode.SymbolKind.Namespace,
  taskGroup: vscode.SymbolKind.Namespace,
  requirement: vscode.SymbolKind.Class,
  rename: vscode.SymbolKind.Class,
  scenario: vscode.SymbolKind.Method,
  capability: vscode.SymbolKind.Package,
  task: vscode.SymbolKind.Field,
};

function toDocumentSymbol(symbol: SpecSymbol): vscode.DocumentSymbol {
  const result = new vscode.DocumentSymbol(
    symbol.name,
    symbol.detail,
    KINDS[symbol.kind],
    toVscodeRange(symbol.range),
    toVscodeRange(symbol.selectionRange),
  );
  result.children = symbol.children.map(toDocumentSymbol);
  return result;
}

/** Outline and breadcrumbs from the live model (unsaved text included), so nothing is parsed here. */
class SpecDocumentSymbols implements vscode.DocumentSymbolProvider {
  constructor(private readonly models: OpenSpecModels) {}

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const folder = this.models.folderFor(document.uri);
    if (!folder) return [];
    return (documentSymbols(folder.workspace, toPosix(document.uri.fsPath)) ?? []).map(toDocumentSymbol);
  }
}

/** Ctrl+T: requirements of the main specs and active deltas of every folder. */
class SpecWorkspaceSymbols implements vscode.WorkspaceSymbolProvider {
  constructor(private readonly models: OpenSpecModels) {}

  provideWorkspaceSymbols(query: string): vscode.SymbolInformation[] {
    const folders = this.models.folders;
    return workspaceSymbols(
      folders.map((folder) => folder.workspace),
      query,
    ).flatMap((symbol) => {
      const folder = folders[symbol.workspaceIndex];
      if (!folder) return [];
      const location = new vscode.Location(folder.toUri(symbol.file), toVscodeRange(symbol.range));
      return [new vscode.SymbolInformation(symbol.name, KINDS.requirement, symbol.containerName, location)];
    });
  }
}

export function registerSpecSymbols(deps: { models: OpenSpecModels }): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerDocumentSymbolProvider(SPEC_DOCUMENTS, new SpecDocumentSymbols(deps.models), {
      label: 'OpenSpec',
    }),
    vscode.languages.registerWorkspaceSymbolProvider(new SpecWorkspaceSymbols(deps.models)),
  );
}
