import type { SpecMergeCounts } from '../validation/requirementMerge';

/**
 * What archiving a change decides before anything is written: the plan `openspec archive <id> --yes` would carry
 * out, or the refusals it would answer with. Planning reads only; applying the plan is one batch of the writer.
 */

/** One entry of the CLI's `status` array: its codes and wording, so scripts and agents read both alike. */
export interface ArchiveStatus {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  fix?: string;
}

export type ArchivePlanning = { ok: true; plan: ArchivePlan } | { ok: false; status: ArchiveStatus[] };

export type ArchiveApplied = { ok: true; plan: ArchivePlan } | { ok: false; status: ArchiveStatus[] };

export interface ArchivePlan {
  /** The change id, as named. */
  change: string;
  /** Absolute POSIX path of the change's folder. */
  changeDir: string;
  /** The archive folder's name: `YYYY-MM-DD-<id>`, or the id itself when it already carries a date. */
  archivedAs: string;
  /** Absolute POSIX path the change folder moves to. */
  archivePath: string;
  /** True when at least one main spec is written. */
  specsUpdated: boolean;
  /** Sums over the specs written; absent with --skip-specs or when the change has no delta spec. */
  totals?: SpecMergeCounts;
  /** The merge's non-fatal notes, in the CLI's wording (the JSON's `warnings`). */
  warnings: string[];
  tasks: { completed: number; total: number };
  /** The main specs written, in the CLI's order; a delta already in sync writes nothing and is not listed. */
  specs: PlannedSpec[];
}

export interface PlannedSpec {
  /** Capability path below specs/ (`audit/log`). */
  capability: string;
  /** Absolute POSIX path of the main spec. */
  file: string;
  /** The text read; undefined for a new capability. */
  before: string | undefined;
  /** The text written, with the line endings the file already used. */
  after: string;
  counts: SpecMergeCounts;
}

export interface ArchiveOptions {
  /** --skip-specs: move the change without touching the main specs. */
  skipSpecs?: boolean;
  /** Default true; false is --no-validate. */
  validate?: boolean;
  /**
   * --yes: the answer to every question the CLI would ask (skip validation? update N specs?). Default true;
   * false refuses where the CLI in --json mode refuses, with its `archive_confirmation_required`.
   */
  confirmed?: boolean;
  /** Archive with unchecked tasks; defaults to `confirmed`. False refuses with `archive_tasks_incomplete`. */
  allowIncompleteTasks?: boolean;
  /** The clock the archive folder's date comes from (local date, as the CLI). */
  now?: () => Date;
}
