import type { FileSignature, FileSystem, SyncFileSystem } from '../fs/fileSystem';
import { observe, observeNow, type FsObservation, type FsQuestion } from '../fs/recordingFileSystem';
import type { ValidationIssue } from './types';

/**
 * Verdicts of earlier runs, each with the file system questions it was computed from. Validation is a pure
 * function of what the FileSystem port answers (plus the strict flag, the root and the validating code, which
 * the key names), so a verdict is reused only after every question it asked gets the same answer again: the
 * same texts (by digest), the same listings, kinds and real paths. Checking costs the listings validation
 * makes anyway (shared through the run's memoized file system), not the parsing and checking, which is most
 * of a cold run.
 *
 * A text need not be read again when its file's signature (size, modification and change times, inode) is the
 * one it had, and that signature had settled before the run that saved it began: a file written again within
 * the same clock tick can keep its signature, so a signature younger than SETTLED_MS is not kept, and such a
 * file is compared by content (git's "racily clean" entries, by the same reasoning). A folder's listing need not
 * be read again on the same terms, where the file system vouches for its folders' times (`folderSignature`).
 */
export interface Verdict {
  valid: boolean;
  issues: ValidationIssue[];
}

interface SavedVerdict extends Verdict {
  /** Indexes into `observations`. */
  uses: number[];
}

/** The saved form. */
export interface SavedVerdicts {
  format: typeof FORMAT;
  /** What produced the verdicts and for which project: verdicts under another key are all discarded. */
  key: string;
  /** Each question a saved verdict depends on, with the answer it got: [question, path, digest, signature?]. */
  observations: SavedObservation[];
  verdicts: Record<string, SavedVerdict>;
}

/** Where saved verdicts live between runs, one set per project root. */
export interface VerdictStore {
  /** What was saved for the project, as it was read (unchecked), or undefined when nothing was. */
  load(projectRoot: string): unknown;
  save(projectRoot: string, saved: SavedVerdicts): Promise<void>;
}

type SavedObservation = [FsQuestion, string, string] | [FsQuestion, string, string, string];

const FORMAT = 2;
/** How long a file's signature must have stood before a run for that run to vouch for it. */
const SETTLED_MS = 5_000;
const QUESTIONS: ReadonlySet<string> = new Set<FsQuestion>(['read', 'list', 'stat', 'mtime', 'real']);

export class VerdictCache {
  /** Made at the first `remember`: a run where every verdict holds never needs it. */
  private byObservation: Map<string, number> | undefined;
  private readonly holding = new Map<number, boolean | Promise<boolean>>();
  private modified = false;

  private constructor(
    private readonly key: string,
    private readonly observations: SavedObservation[],
    private readonly verdicts: Map<string, SavedVerdict>,
    /** The moment before this run's first question to the file system (ms since the epoch). */
    private readonly startedAt: number,
  ) {}

  /**
   * The verdicts saved under `key`; anything else (nothing, another key or format, a damaged file) starts empty.
   * `startedAt` is the time before the run asked the file system anything.
   */
  static restore(saved: unknown, key: string, startedAt: number): VerdictCache {
    const data = saved as Partial<SavedVerdicts> | null | undefined;
    const usable =
      typeof data === 'object' &&
      data !== null &&
      data.format === FORMAT &&
      data.key === key &&
      Array.isArray(data.observations) &&
      typeof data.verdicts === 'object' &&
      data.verdicts !== null;
    if (!usable) return new VerdictCache(key, [], new Map(), startedAt);
    return new VerdictCache(key, data.observations!, new Map(Object.entries(data.verdicts!)), startedAt);
  }

  /** True when a verdict was added or dropped since the restore: only then is saving worth its write. */
  get changed(): boolean {
    return this.modified;
  }

  /**
   * The verdict saved for `item`, when every question it depends on gets the same answer from `fs` now; asked
   * through `fs.sync` where `fs` has it, which gives the same answers without a promise each.
   */
  async reuse(fs: FileSystem, item: string): Promise<Verdict | undefined> {
    const saved = this.verdicts.get(item);
    if (!saved || !isVerdict(saved, this.observations.length)) return undefined;
    // In the order they were first asked, one at a time: the first changed answer ends the check. One turn per
    // answer, however it came: a bulk run lists items in the order they finish (as `openspec validate` does, for a
    // change and a spec of the same name), so a reused item must finish when a fresh one would, later the more
    // questions it asks.
    for (const index of saved.uses) if (!(await this.holds(fs, index))) return undefined;
    return { valid: saved.valid, issues: saved.issues };
  }

  /** Keeps `verdict` for `item`, computed from the answers in `observations`. */
  remember(item: string, verdict: Verdict, observations: readonly FsObservation[]): void {
    const byObservation = (this.byObservation ??= new Map(
      this.observations.map((observation, index) => [observation.join('\0'), index]),
    ));
    const uses = observations.map(({ question, path, answer, signature }) => {
      const id = [question, path, answer].join('\0');
      let index = byObservation.get(id);
      if (index === undefined) {
        // A question whose answer changed gets a new entry: verdicts of items this run did not revisit keep the old one.
        const settled = this.settledKey(signature);
        index = this.observations.push(settled ? [question, path, answer, settled] : [question, path, answer]) - 1;
        byObservation.set(id, index);
        this.holding.set(index, true);
      }
      return index;
    });
    this.verdicts.set(item, { valid: verdict.valid, issues: verdict.issues, uses });
    this.modified = true;
  }

  /** Drops the verdicts of items `keep` refuses (items that no longer exist). */
  retain(keep: (item: string) => boolean): void {
    for (const item of this.verdicts.keys()) {
      if (keep(item)) continue;
      this.verdicts.delete(item);
      this.modified = true;
    }
  }

  /** The saved form, holding only the observations some verdict still uses. */
  toSaved(): SavedVerdicts {
    const observations: SavedVerdicts['observations'] = [];
    const renumbered = new Map<number, number>();
    const verdicts: Record<string, SavedVerdict> = {};
    for (const [item, verdict] of this.verdicts) {
      if (
        !isVerdict(verdict, this.observations.length) ||
        !verdict.uses.every((index) => isObservation(this.observations[index]))
      )
        continue;
      const uses = verdict.uses.map((index) => {
        let kept = renumbered.get(index);
        if (kept === undefined) {
          kept = observations.push(this.observations[index]!) - 1;
          renumbered.set(index, kept);
        }
        return kept;
      });
      verdicts[item] = { valid: verdict.valid, issues: verdict.issues, uses };
    }
    return { format: FORMAT, key: this.key, observations, verdicts };
  }

  private holds(fs: FileSystem, index: number): boolean | Promise<boolean> {
    let holds = this.holding.get(index);
    if (holds === undefined) {
      const observation = this.observations[index];
      holds = !isObservation(observation)
        ? false
        : fs.sync
          ? this.stillAnsweredNow(fs.sync, observation)
          : this.stillAnswered(fs, observation);
      this.holding.set(index, holds);
    }
    return holds;
  }

  private async stillAnswered(fs: FileSystem, observation: SavedObservation): Promise<boolean> {
    const [question, path, answer, signed] = observation;
    const signing =
      question === 'read' ? fs.signature?.(path) : question === 'list' ? fs.folderSignature?.(path) : undefined;
    const signature = await signing?.catch(() => undefined);
    if (signed !== undefined && signature?.key === signed) return true;
    if ((await observe(fs, question, path)) !== answer) return false;
    this.resign(observation, signature);
    return true;
  }

  private stillAnsweredNow(fs: SyncFileSystem, observation: SavedObservation): boolean {
    const [question, path, answer, signed] = observation;
    const signature = question === 'read' || question === 'list' ? signatureNow(fs, question, path) : undefined;
    if (signed !== undefined && signature?.key === signed) return true;
    if (observeNow(fs, question, path) !== answer) return false;
    this.resign(observation, signature);
    return true;
  }

  /**
   * The same text or listing under a new signature (a checkout, a touch): kept once settled, so the next run need
   * not read it again.
   */
  private resign(observation: SavedObservation, signature: FileSignature | undefined): void {
    const settled = this.settledKey(signature);
    if (settled !== undefined && settled !== observation[3]) {
      observation[3] = settled;
      this.modified = true;
    }
  }

  private settledKey(signature: FileSignature | undefined): string | undefined {
    return signature && signature.changedAt < this.startedAt - SETTLED_MS ? signature.key : undefined;
  }
}

/** A failure to take a signature is no signature: the text is then compared by content. */
function signatureNow(fs: SyncFileSystem, question: 'read' | 'list', path: string): FileSignature | undefined {
  try {
    return question === 'read' ? fs.signature(path) : fs.folderSignature(path);
  } catch {
    return undefined;
  }
}

function isObservation(value: unknown): value is SavedObservation {
  return (
    Array.isArray(value) &&
    (value.length === 3 || (value.length === 4 && typeof value[3] === 'string')) &&
    QUESTIONS.has(value[0] as string) &&
    typeof value[1] === 'string' &&
    typeof value[2] === 'string'
  );
}

/** A saved verdict in the shape this code writes; checked at use, so a damaged entry costs only itself. */
function isVerdict(value: SavedVerdict, observations: number): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof value.valid === 'boolean' &&
    Array.isArray(value.uses) &&
    value.uses.every((index) => Number.isInteger(index) && index >= 0 && index < observations) &&
    Array.isArray(value.issues) &&
    value.issues.every(
      (issue) =>
        typeof issue === 'object' &&
        issue !== null &&
        typeof issue.level === 'string' &&
        typeof issue.path === 'string' &&
        typeof issue.message === 'string',
    )
  );
}
