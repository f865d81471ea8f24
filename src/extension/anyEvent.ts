import * as vscode from 'vscode';

/** One event that fires whenever any of `events` does: for views that redraw on several sources. */
export function anyEvent(...events: ReadonlyArray<vscode.Event<unknown>>): vscode.Event<void> {
  return (listener, thisArg, disposables) => {
    const disposable = vscode.Disposable.from(
      ...events.map((event) =>
        event(() => {
          listener.call(thisArg, undefined);
        }),
      ),
    );
    disposables?.push(disposable);
    return disposable;
  };
}
