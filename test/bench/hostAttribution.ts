import type { Gap } from '../harness/eventLoopHeartbeat';

/** The parts of a V8 CPU profile (DevTools' format) that attribution reads. */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: { readonly url: string; readonly functionName: string };
    readonly children?: readonly number[];
  }>;
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Who held the host thread in its longest block of a phase, from the samples taken inside it. */
export interface BlockOwners {
  /** The block (a heartbeat gap), wall-clock ms. */
  readonly blockMs: number;
  /** Sampled ms by owner: an extension's id, `host` (VS Code's own code, also when it works for an extension). */
  readonly byOwner: Readonly<Record<string, number>>;
  /** The longest run of consecutive samples in one extension's code during the phase, by extension id. */
  readonly longestRunMs: Readonly<Record<string, number>>;
  /** For each such run, the function with the most samples in it (`name file`). */
  readonly longestRunMostIn: Readonly<Record<string, string>>;
}

const HOST = 'host';
/** The probe samples every millisecond (hostProbe.ts). */
const MAX_SAMPLE_MS = 2;

/**
 * Attributes each sample to the extension whose code is nearest the top of its stack (code an extension called,
 * Node's or VS Code's, counts as that extension's), else to the host; the garbage collector's and V8's own
 * samples go to whoever ran just before them. `ownerOf` names the extension a script URL belongs to. Gaps that
 * began before the profile did are left out: starting the profiler holds the thread itself, and their samples
 * are missing.
 */
export function blockOwners(
  profile: CpuProfile,
  phaseGaps: readonly Gap[],
  ownerOf: (url: string) => string | undefined,
): BlockOwners | undefined {
  const gaps = phaseGaps.filter((gap) => gap.atUs >= profile.startTime);
  const longest = gaps.reduce<Gap | undefined>(
    (widest, gap) => (!widest || gap.ms > widest.ms ? gap : widest),
    undefined,
  );
  if (!longest) return undefined;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const ownerCache = new Map<number, string | undefined>();
  const owner = (id: number): string | undefined => {
    if (ownerCache.has(id)) return ownerCache.get(id);
    const node = byId.get(id);
    const url = node?.callFrame.url ?? '';
    const parent = parentOf.get(id);
    const found = (url ? ownerOf(url) : undefined) ?? (parent === undefined ? undefined : owner(parent));
    ownerCache.set(id, found);
    return found;
  };
  const vmOwn = (id: number) => /^\((garbage collector|program)\)$/.test(byId.get(id)?.callFrame.functionName ?? '');
  const byOwner: Record<string, number> = {};
  const longestRunMs: Record<string, number> = {};
  const longestRunMostIn: Record<string, string> = {};
  let run: { owner: string; block: number; ms: number; self: Map<string, number> } | undefined;
  let time = profile.startTime;
  let previous = HOST;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    const id = profile.samples[i]!;
    // Up to the next sample, but no more than two sampling intervals: a longer wait is the thread not running
    // (waiting for a core, or idle), which belongs to no one.
    const ms = Math.min((profile.timeDeltas[i + 1] ?? 0) / 1000, MAX_SAMPLE_MS);
    const who = vmOwn(id) ? previous : (owner(id) ?? HOST);
    previous = who;
    if (time >= longest.atUs && time < longest.atUs + longest.ms * 1000) byOwner[who] = (byOwner[who] ?? 0) + ms;
    // A run is one owner's samples within one block: it ends where another owner's sample comes, or the block
    // does (the heartbeat ran, and with it the rest of the event loop).
    const block = gaps.findIndex((gap) => time >= gap.atUs && time < gap.atUs + gap.ms * 1000);
    run =
      block < 0
        ? undefined
        : run?.owner === who && run.block === block
          ? { ...run, ms: run.ms + ms }
          : { owner: who, block, ms, self: new Map() };
    if (!run || run.owner === HOST) continue;
    const frame = byId.get(id)?.callFrame;
    const name = frame ? `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}` : '?';
    run.self.set(name, (run.self.get(name) ?? 0) + ms);
    if (run.ms > (longestRunMs[who] ?? 0)) {
      longestRunMs[who] = run.ms;
      longestRunMostIn[who] = [...run.self].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '?';
    }
  }
  return { blockMs: longest.ms, byOwner, longestRunMs, longestRunMostIn };
}
