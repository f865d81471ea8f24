import type { BlockOwners } from './hostAttribution';

/**
 * What codeHostBench.ts (plain Node) and hostProbe.ts (in the extension host, with `vscode`) share: the probe's
 * folder, the files they hand each other there, and the figures the probe writes.
 */
export const PROBE_DIR_ENV = 'OPENSPEC_LOOP_HOST_PROBE_DIR';
/** Set for rounds whose host thread is profiled, to tell who held it in the longest block (hostAttribution.ts). */
export const ATTRIBUTION_ENV = 'OPENSPEC_LOOP_HOST_ATTRIBUTION';
/** Written by the bench once the first tree rows were seen in the workbench. */
export const PAINTED_FILE = 'painted';
/** Written by the probe: ProbeFigures, or `{ error }`. */
export const FIGURES_FILE = 'figures.json';
/** OpenSpec Loop's extension id. */
export const EXTENSION_ID = 'openspec-loop.openspec-loop';
/** The probe's extension id, as codeHostBench.ts installs it. */
export const PROBE_PUBLISHER = 'openspec-loop-bench';
export const PROBE_NAME = 'host-probe';
export const PROBE_ID = `${PROBE_PUBLISHER}.${PROBE_NAME}`;
/** How many tasks.md files the burst rewrites, as a checkout or a generator does. */
export const BURST_FILES = 200;

export interface Stretch {
  /** The longest the host thread was held at a stretch. */
  readonly longestMs: number;
  /** The most CPU time the host process had within one such stretch (HeldStretch.longestCpuMs). */
  readonly longestCpuMs: number;
  /** From the phase's start until its work was done (the tail not counted). */
  readonly totalMs: number;
}

export interface ProbeFigures {
  /** OpenSpec Loop's own activation times (its exported API). */
  readonly startedAt: number;
  readonly activatedMs: number;
  readonly modelsReadyMs: number;
  /** How OpenSpec Loop's bundle was compiled at this start (ActivationTimes.codeCache). */
  readonly codeCache: string;
  readonly bundleCompileMs: number;
  readonly bundleRunMs: number;
  readonly composeMs: number;
  /** How long after OpenSpec Loop's activation started the heartbeat began (0 when it was first). */
  readonly heartbeatLateMs: number;
  /** The other extensions active once activation was measured, which shared the host thread (besides the probe). */
  readonly othersActive: readonly string[];
  readonly activation: Stretch;
  readonly refresh: Stretch;
  readonly burst: Stretch;
  /** In a profiled round (ATTRIBUTION_ENV), who held the host thread during activation. */
  readonly activationOwners?: BlockOwners;
}
