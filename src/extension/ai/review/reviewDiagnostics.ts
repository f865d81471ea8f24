import * as vscode from 'vscode';
import type { ReviewFinding } from '../../../core/ai/review/findingSchema';
import type { FolderModel } from '../../model/openSpecModels';

/** The Problems panel source of AI review findings, apart from `openspec` verdicts and our own checks. */
export const REVIEW_SOURCE = 'openspec-loop review';

const SEVERITY: Record<ReviewFinding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** A review finding on its diagnostic, for the "Improve with AI" quick fix. */
export interface ReviewDiagnostic extends vscode.Diagnostic {
  readonly finding: ReviewFinding;
  readonly changeId: string;
}

/**
 * The latest review of each change, as diagnostics on the files the findings name. A new review of a change
 * replaces its previous findings; other changes' findings stay.
 */
export class ReviewDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('openspec-loop-review');
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly byChange = new Map<string, Map<string, ReviewDiagnostic[]>>();

  async show(folder: FolderModel, changeId: string, findings: readonly ReviewFinding[]): Promise<void> {
    const key = `${folder.root}\u0000${changeId}`;
    const files = new Map<string, ReviewDiagnostic[]>();
    const lines = new Map<string, readonly string[]>();
    for (const finding of findings) {
      const path = `${folder.root}/${finding.file}`;
      const uri = folder.toUri(path);
      if (!lines.has(path)) lines.set(path, (await folder.fs.readFile(path).catch(() => '')).split(/\r?\n/));
      const line = Math.max(0, (finding.line ?? 1) - 1);
      const width = lines.get(path)?.[line]?.length ?? 0;
      const text = finding.suggestion ? `${finding.message}\nSuggestion: ${finding.suggestion}` : finding.message;
      const diagnostic = Object.assign(
        new vscode.Diagnostic(new vscode.Range(line, 0, line, width), text, SEVERITY[finding.severity]),
        {
          finding,
          changeId,
        },
      );
      diagnostic.source = REVIEW_SOURCE;
      diagnostic.code = finding.category;
      const list = files.get(uri.toString()) ?? [];
      list.push(diagnostic);
      files.set(uri.toString(), list);
    }
    this.byChange.set(key, files);
    this.redraw();
    this.emitter.fire();
  }

  /**
   * The finding behind a diagnostic a code action context hands back: those are copies, so they are matched
   * by file, line and message.
   */
  lookup(uri: vscode.Uri, diagnostic: vscode.Diagnostic): ReviewDiagnostic | undefined {
    if (diagnostic.source !== REVIEW_SOURCE) return undefined;
    for (const files of this.byChange.values()) {
      const found = files
        .get(uri.toString())
        ?.find(
          (candidate) =>
            candidate.range.start.line === diagnostic.range.start.line && candidate.message === diagnostic.message,
        );
      if (found) return found;
    }
    return undefined;
  }

  findingsOf(folder: FolderModel, changeId: string): ReviewDiagnostic[] {
    return [...(this.byChange.get(`${folder.root}\u0000${changeId}`)?.values() ?? [])].flat();
  }

  /** Drops the findings of every change of a folder that left the workspace. */
  forgetFolder(folder: FolderModel): void {
    const prefix = `${folder.root}\u0000`;
    const keys = [...this.byChange.keys()].filter((key) => key.startsWith(prefix));
    if (keys.length === 0) return;
    for (const key of keys) this.byChange.delete(key);
    this.redraw();
    this.emitter.fire();
  }

  dispose(): void {
    this.emitter.dispose();
    this.collection.dispose();
  }

  private redraw(): void {
    const merged = new Map<string, ReviewDiagnostic[]>();
    for (const files of this.byChange.values()) {
      for (const [uri, diagnostics] of files) merged.set(uri, [...(merged.get(uri) ?? []), ...diagnostics]);
    }
    this.collection.clear();
    for (const [uri, diagnostics] of merged) this.collection.set(vscode.Uri.parse(uri), diagnostics);
  }
}
