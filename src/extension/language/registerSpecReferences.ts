import * as vscode from 'vscode';
import { targetAt } from '../../core/language/languageTarget';
import { requirementKeyOf } from '../../core/language/requirementNameRange';
import { requirementReferences } from '../../core/language/requirementReferences';
import { toPosix } from '../../node/nodeFileSystem';
import type { OpenSpecModels } from '../model/openSpecModels';
import { SPEC_DOCUMENTS } from '../quickfix/registerQuickFixes';
import { toVscodeRange } from './languageRanges';

/**
 * Shift+F12 on a requirement header (main spec or delta) or a RENAMED line: the main spec, every active
 * change that touches it and the archived changes that did. The header itself is always among them, so the
 * `includeDeclaration` flag changes nothing.
 */
class SpecReferences implements vscode.ReferenceProvider {
  constructor(private readonly models: OpenSpecModels) {}

  provideReferences(document: vscode.TextDocument, position: vscode.Position): vscode.Location[] {
    const folder = this.models.folderFor(document.uri);
    if (!folder) return [];
    const target = targetAt(folder.workspace, toPosix(document.uri.fsPath), position.line, position.character);
    const key = target && requirementKeyOf(target);
    if (!key) return [];
    return requirementReferences(folder.workspace, key).map(
      (reference) => new vscode.Location(folder.toUri(reference.file), toVscodeRange(reference.range)),
    );
  }
}

export function registerSpecReferences(deps: { models: OpenSpecModels }): vscode.Disposable {
  return vscode.languages.registerReferenceProvider(SPEC_DOCUMENTS, new SpecReferences(deps.models));
}
