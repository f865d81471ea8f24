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
  /**
   * file URI → the items with diagnostics in it. Publishing a file reads only those: going through every item
   * for every file made a full pass over a thousand changes cost the host thread a quadratic amount of work.
   */
  private readonly itemsByUri = new Map<string, Set<string>>();
  /** item key → when it entered byItem: a file lists its items' diagnostics in byItem's order, as before. */
  private readonly itemOrder = new Map<string, number>();
  private nextOrder = 0;

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
    const before = this.byItem.get(itemKey);
    const touched = new Set([...(before?.keys() ?? []), ...next.keys()]);
    if (next.size > 0) {
      if (!before) this.itemOrder.set(itemKey, this.nextOrder++);
      this.byItem.set(itemKey, next);
    } else {
      this.byItem.delete(itemKey);
      this.itemOrder.delete(itemKey);
    }
    for (const key of touched) {
      const items = this.itemsByUri.get(key) ?? new Set<string>();
      if (next.has(key)) items.add(itemKey);
      else items.delete(itemKey);
      if (items.size > 0) this.itemsByUri.set(key, items);
      else this.itemsByUri.delete(key);
      this.publish(key);
    }
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
    this.itemsByUri.clear();
    this.itemOrder.clear();
  }

  private publish(uriKey: string): void {
    const uri = this.uris.get(uriKey);
    if (!uri) return;
    const order = (item: string) => this.itemOrder.get(item) ?? 0;
    const items = [...(this.itemsByUri.get(uriKey) ?? [])].sort((a, b) => order(a) - order(b));
    const all = items.flatMap((item) => this.byItem.get(item)?.get(uriKey) ?? []);
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
