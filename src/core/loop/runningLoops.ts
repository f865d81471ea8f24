import { posix as path } from 'node:path';
import type { IterationRecord, LoopEvent, LoopStep } from './loopTypes';

/** Who started a run, for the sentence that refuses a second one. */
export type LoopStarter = 'editor' | 'agent';

/** A loop running now: which change of which folder, where it is, what it did so far, and how to stop it. */
export interface RunningLoop {
  /** The project folder (the one containing `openspec/`), as the core names paths. */
  readonly root: string;
  readonly change: string;
  readonly startedBy: LoopStarter;
  /** The step the run entered last; undefined until its first step. */
  readonly latest: LoopEvent | undefined;
  iterations(): readonly IterationRecord[];
  /** Ends the run as Cancel does: at the next step, files as of the last accepted step. */
  stop(): void;
}

/** A run's place in the registry, held for as long as it runs. */
export interface LoopClaim {
  /** The run moved on (a new step, a new iteration): whoever shows it is told. */
  changed(): void;
  release(): void;
}

/** The key a run is known by: a change id alone names different changes in different folders. */
export function loopRunKey(root: string, change: string): string {
  return JSON.stringify([root, change]);
}

/**
 * The loops running in this process, one per change per folder: a second run on a change would propose
 * against the files the first one is rewriting, and the first could no longer be found to be stopped. The
 * editor and the in-window MCP server share one registry, so neither starts a run the other has going.
 */
export class RunningLoops {
  private readonly live = new Map<string, RunningLoop>();

  /** `onChange` is told whenever a run starts, moves on or ends. */
  constructor(private readonly onChange: () => void = () => undefined) {}

  /** Registers `loop`, or answers the run that already has its change and folder. */
  claim(loop: RunningLoop): LoopClaim | { readonly running: RunningLoop } {
    const key = loopRunKey(loop.root, loop.change);
    const running = this.live.get(key);
    if (running) return { running };
    this.live.set(key, loop);
    this.onChange();
    let released = false;
    return {
      changed: () => {
        if (!released) this.onChange();
      },
      release: () => {
        if (released) return;
        released = true;
        if (this.live.get(key) === loop) this.live.delete(key);
        this.onChange();
      },
    };
  }

  get(root: string, change: string): RunningLoop | undefined {
    return this.live.get(loopRunKey(root, change));
  }

  /** Every run going now, oldest first. */
  all(): RunningLoop[] {
    return [...this.live.values()];
  }
}

const STEP_WORDS: Readonly<Record<LoopStep, string>> = {
  reviewing: 'reviewing',
  proposing: 'proposing an improvement of',
  awaitingDecision: 'waiting for your decision on',
  applying: 'applying',
  validating: 'validating',
  done: 'done',
  stopped: 'stopping',
  failed: 'failed',
};

/** "iteration 2: waiting for your decision on spec.md": where a running loop is, in words. */
export function describeLoopStep(event: LoopEvent): string {
  return `iteration ${event.iteration}: ${STEP_WORDS[event.step]}${event.file ? ` ${path.basename(event.file)}` : ''}`;
}

/** Where a running loop is and who started it, for the sentence that refuses a second run. */
export function describeRunningLoop(loop: RunningLoop): string {
  const where = loop.latest ? describeLoopStep(loop.latest) : 'starting';
  return `${where}; started from ${loop.startedBy === 'agent' ? 'an agent (MCP)' : 'the editor'}`;
}
