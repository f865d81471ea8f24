import * as vscode from 'vscode';

/** The URI scheme of the read-only documents diffs are built from. */
export const PREVIEW_SCHEME = 'openspec-loop-preview';

/**
 * Read-only virtual documents holding spec text to compare: the current main spec, the delta's version,
 * what archive would write. Nothing here touches the user's files.
 */
export class PreviewDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private sequence = 0;

  /** Stores `text` and returns the URI that shows it; `label` becomes the tab's file name. */
  put(label: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${label}`, query: String(++this.sequence) });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.texts.clear();
    this.emitter.dispose();
  }
}

/** The one provider of preview documents in the window, shared by Compare and Archive. */
export function registerPreviewDocuments(): { previews: PreviewDocuments; disposable: vscode.Disposable } {
  const previews = new PreviewDocuments();
  return {
    previews,
    disposable: vscode.Disposable.from(
      previews,
      vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, previews),
    ),
  };
}
