import * as vscode from 'vscode';
import type { Finding } from '../../core/diagnostics/locatedFinding';
import type { Range } from '../../core/openspec/model';

const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
} as const;

/**
 * One DiagnosticCollection fed per item (a change or a spec of a folder): replacing an item's findings
 * rewrites only the files it touched before or touches now, so items validated at different times never
 * wipe each other's diagnostics from a shared file.
 */
export class DiagnosticStore implements vscode.Disposable {
  private readonly collection: vscode.DiagnosticCollection;
  /** item key → file URI → its diagnostics */
  private readonly byItem = new Map<string, Map<string, vscode.Diagnostic[]>>();
  private readonly uris = new Map<string, vscode.Uri>();

  constructor(private readonly source: string) {
    this.collection = vscode.languages.createDiagnosticCollection(source);
  }

  replace(itemKey: string, findings: readonly Finding[], toUri: (file: string) => vscode.Uri): void {
    const next = new Map<string, vscode.Diagnostic[]>();
    for (const finding of findings) {
      const uri = toUri(finding.file);
      const key = uri.toString();
      this.uris.set(key, uri);
      const list = next.get(key) ?? [];
      list.push(this.toDiagnostic(finding, toUri));
      next.set(key, list);
    }
    const touched = new Set([...(this.byItem.get(itemKey)?.keys() ?? []), ...next.keys()]);
    if (next.size > 0) this.byItem.set(itemKey, next);
    else this.byItem.delete(itemKey);
    for (const key of touched) this.publish(key);
  }

  /** Clears every item whose key starts with `prefix` and is not in `keep`. */
  retainOnly(prefix: string, keep: ReadonlySet<string>): void {
    for (const itemKey of [...this.byItem.keys()]) {
      if (itemKey.startsWith(prefix) && !keep.has(itemKey)) this.replace(itemKey, [], () => vscode.Uri.file('/'));
    }
  }

  dispose(): void {
    this.collection.dispose();
    this.byItem.clear();
  }

  private publish(uriKey: string): void {
    const uri = this.uris.get(uriKey);
    if (!uri) return;
    const all = [...this.byItem.values()].flatMap((files) => files.get(uriKey) ?? []);
    if (all.length > 0) this.collection.set(uri, all);
    else {
      this.collection.delete(uri);
      this.uris.delete(uriKey);
    }
  }

  private toDiagnostic(finding: Finding, toUri: (file: string) => vscode.Uri): vscode.Diagnostic {
    const diagnostic = new vscode.Diagnostic(toRange(finding.range), finding.message, SEVERITY[finding.severity]);
    diagnostic.source = this.source;
    if (finding.code !== undefined) diagnostic.code = finding.code;
    if (finding.related?.length)
      diagnostic.relatedInformation = finding.related.map(
        (place) =>
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(toUri(place.file), toRange(place.range)),
            place.message,
          ),
      );
    return diagnostic;
  }
}

function toRange({ start, end }: Range): vscode.Range {
  return new vscode.Range(start.line, start.character, end.line, end.character);
}
