/**
 * The editor-facing model of an `openspec/` folder: every node carries the line range it came from, so the
 * explorer, diagnostics, CodeLens, AI prompts and MCP answers all point at the same text. Lines and
 * characters are 0-based, like VS Code's; the CLI-compatible validator reports 1-based lines on its own.
 */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export interface Range {
  readonly start: Position;
  readonly end: Position;
}

export type DeltaOperation = 'ADDED' | 'MODIFIED' | 'REMOVED' | 'RENAMED';

export interface Section {
  readonly title: string;
  readonly level: number;
  readonly headerLine: number;
  /** From the header line to the last line before the next header of the same or a higher level. */
  readonly range: Range;
  /** The text between the header and the first sub-header (trimmed). */
  readonly body: string;
}

export type StepKeyword = 'GIVEN' | 'WHEN' | 'THEN' | 'AND' | 'BUT';

export interface ScenarioStep {
  readonly keyword: StepKeyword;
  readonly text: string;
  readonly line: number;
}

export interface Scenario {
  readonly name: string;
  readonly headerLine: number;
  readonly range: Range;
  readonly steps: readonly ScenarioStep[];
  /** Everything under the header, as written. */
  readonly text: string;
}

export interface Requirement {
  readonly name: string;
  readonly headerLine: number;
  readonly range: Range;
  /** The statement between the header and the first scenario (trimmed). */
  readonly body: string;
  readonly scenarios: readonly Scenario[];
  /** REMOVED requirements carry why and how to migrate. */
  readonly reason?: string;
  readonly migration?: string;
}

export interface Rename {
  readonly from: string;
  readonly to: string;
  readonly fromLine: number;
  readonly toLine?: number;
}

export interface DeltaSection {
  readonly operation: DeltaOperation;
  readonly headerLine: number;
  readonly range: Range;
  readonly requirements: readonly Requirement[];
  readonly renames: readonly Rename[];
}

export interface MarkdownDocument {
  readonly path: string;
  readonly text: string;
  readonly lineCount: number;
  readonly title?: string;
  readonly sections: readonly Section[];
}

export interface DeltaSpecDocument extends MarkdownDocument {
  readonly kind: 'delta';
  /** The capability path relative to the change's specs/ folder, e.g. `audit/log`. */
  readonly capability: string;
  readonly purpose?: Section;
  readonly deltaSections: readonly DeltaSection[];
}

export interface MainSpecDocument extends MarkdownDocument {
  readonly kind: 'spec';
  readonly capability: string;
  readonly purpose?: Section;
  readonly requirementsSection?: Section;
  readonly requirements: readonly Requirement[];
}

export interface CapabilityReference {
  readonly name: string;
  readonly line: number;
  readonly description: string;
}

export interface ProposalDocument extends MarkdownDocument {
  readonly kind: 'proposal';
  readonly why?: Section;
  readonly whatChanges?: Section;
  readonly impact?: Section;
  readonly newCapabilities: readonly CapabilityReference[];
  readonly modifiedCapabilities: readonly CapabilityReference[];
}

export interface Task {
  /** The number the author gave it (`1.2`), if any. */
  readonly id?: string;
  readonly text: string;
  readonly done: boolean;
  readonly line: number;
  /** The characters between the brackets, so a toggle rewrites only them. */
  readonly checkboxRange: Range;
  /** Index into `groups`, or -1 for a task above the first group. */
  readonly group: number;
  readonly depth: number;
}

export interface TaskGroup {
  readonly title: string;
  readonly number?: string;
  readonly headerLine: number;
}

export interface TasksDocument extends MarkdownDocument {
  readonly kind: 'tasks';
  readonly groups: readonly TaskGroup[];
  readonly tasks: readonly Task[];
  readonly completed: number;
  readonly total: number;
}

export interface DesignDocument extends MarkdownDocument {
  readonly kind: 'design';
}

export interface YamlDocument<T> {
  readonly path: string;
  readonly text: string;
  readonly data: T;
  /** Why the file could not be read as YAML, with the 0-based line when known. */
  readonly error?: { readonly message: string; readonly line?: number };
}

export interface ProjectConfig {
  readonly schema?: string;
  readonly context?: string;
  readonly rules?: Readonly<Record<string, readonly string[]>>;
}

export interface ChangeMetadata {
  readonly schema?: string;
  readonly created?: string;
  readonly goal?: string;
  readonly skipSpecs?: boolean;
}

/** A file or folder a scan could not read, and why ("permission denied (EACCES)"). */
export interface UnreadablePath {
  /** Absolute POSIX path. */
  readonly path: string;
  readonly reason: string;
}

export interface Change {
  readonly id: string;
  readonly dir: string;
  readonly metadata?: YamlDocument<ChangeMetadata>;
  readonly proposal?: ProposalDocument;
  readonly design?: DesignDocument;
  readonly tasks?: TasksDocument;
  readonly deltas: readonly DeltaSpecDocument[];
  /** Newest modification time of its files, for sorting like `openspec list`. */
  readonly lastModified: number;
  /**
   * What of the change could not be read, when anything: its folder itself (then nothing else is known of
   * it), or single files and the specs/ folder, left out of the documents above.
   */
  readonly unreadable?: readonly UnreadablePath[];
}

export interface ArchivedChange extends Change {
  /** `YYYY-MM-DD` from the archive folder name, when it has one. */
  readonly archivedOn?: string;
  /** The change id without the date prefix. */
  readonly changeId: string;
}

export interface OpenSpecWorkspace {
  /** The project folder (the one containing `openspec/`). */
  readonly root: string;
  readonly openspecDir: string;
  /** `legacy` for 0.x projects (project.md and no config.yaml). */
  readonly layout: 'current' | 'legacy';
  readonly config?: YamlDocument<ProjectConfig>;
  readonly changes: readonly Change[];
  readonly specs: readonly MainSpecDocument[];
  readonly archive: readonly ArchivedChange[];
  /** Folders of the project that could not be listed (changes/, specs/); each change lists its own. */
  readonly unreadable?: readonly UnreadablePath[];
}
