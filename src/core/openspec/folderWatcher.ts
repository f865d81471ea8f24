/**
 * The core's view of a platform file watcher, so the live model can stay free of Node and of the editor.
 * A watch reports paths under its folder that changed; `settle` is the barrier that makes answers fresh.
 */
export interface FolderWatcher {
  /**
   * Starts reporting changes under `folder` (absolute POSIX path). Throws when this platform or machine cannot
   * watch it (no watcher, inotify limit reached): callers then read the disk per call instead.
   */
  watch(folder: string, listener: FolderChangeListener): FolderWatch;
}

export interface FolderChangeListener {
  /** `path` changed (written, created, deleted or renamed); `link` when what is there now is a symbolic link. */
  changed(path: string, link: boolean): void;
  /** The watch stopped working; no further change will be reported. */
  failed(error: Error): void;
}

export interface FolderWatch {
  /** Resolves once every change finished on disk before this call has been passed to `changed`. */
  settle(): Promise<void>;
  close(): void;
}
