import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeFileSystem } from '../../src/node/nodeFileSystem';
import { scanWorkspace } from '../../src/core/openspec/workspaceScanner';
import { changeContextFromWorkspace } from '../../src/core/ai/prompt/changeContext';
import { answerReserve, promptBudget } from '../../src/core/ai/prompt/contextFit';
import { packPrompt } from '../../src/core/ai/prompt/packPrompt';
import { reviewPromptParts } from '../../src/core/ai/review/reviewChange';
import { reviewAnswerSchema } from '../../src/core/ai/review/findingSchema';
import { reviewInstructions, reviewTask } from '../../src/core/ai/review/reviewInstructions';
import { schemaPrompt } from '../../src/core/ai/structuredOutput';
import { estimateTokens } from '../../src/core/ai/tokenEstimate';
import { median, type Row } from './table';

export interface ChangePromptSize {
  readonly change: string;
  /** Estimated tokens of the packed review prompt (instructions, schema and task included). */
  readonly promptTokens: number;
  /** Parts shortened or left out to fit. */
  readonly trimmed: number;
}

export interface PromptPackingMeasure {
  /** Estimated tokens of every file under openspec/, archive included: what "paste the folder" would cost. */
  readonly openspecTokens: number;
  readonly contextLength: number;
  /** The part of every prompt that is not the project: the reviewer's instructions and the answer schema. */
  readonly instructionTokens: number;
  readonly changes: readonly ChangePromptSize[];
  /** Wall time to build and pack one change's review prompt from the scanned model, median. */
  readonly packMs: number;
}

/**
 * Tokens the review prompt of each active change costs, against the whole `openspec/` folder: the point of
 * packing is that a review reads the change and the specs it touches, not the project. Packed for a 32k
 * context, LM Studio's common size for 7-8B models.
 */
export async function measurePromptPacking(rootDir: string, contextLength = 32768): Promise<PromptPackingMeasure> {
  const workspace = await scanWorkspace(new NodeFileSystem(), rootDir);
  if (!workspace) throw new Error(`No openspec/ folder in ${rootDir}`);
  const reserve = answerReserve(contextLength);
  const schemaTokens = estimateTokens(schemaPrompt(reviewAnswerSchema));
  const durations: number[] = [];
  const changes = workspace.changes.map((change) => {
    const start = process.hrtime.bigint();
    const fixed = schemaTokens + estimateTokens(reviewTask(change.id));
    const budget = promptBudget({ contextLength, trimFactor: 1 }, reserve, fixed);
    const packed = packPrompt(reviewPromptParts(changeContextFromWorkspace(workspace, change.id)), budget);
    durations.push(Number(process.hrtime.bigint() - start) / 1e6);
    return { change: change.id, promptTokens: packed.tokens + fixed, trimmed: packed.trimmed.length };
  });
  const instructionTokens = estimateTokens(reviewInstructions()) + schemaTokens;
  return {
    openspecTokens: folderTokens(join(rootDir, 'openspec')),
    contextLength,
    instructionTokens,
    changes,
    packMs: median(durations),
  };
}

/** The measure as bench table rows, `label` naming the project. */
export function promptPackingRows(measure: PromptPackingMeasure, label: string): Row[] {
  const sizes = measure.changes.map((change) => change.promptTokens);
  const typical = median(sizes);
  const largest = Math.max(0, ...sizes);
  const trimmed = measure.changes.filter((change) => change.trimmed > 0).length;
  return [
    {
      what: `review prompt per change, median of ${sizes.length} (${label})`,
      value: typical,
      unit: 'tokens',
      note:
        `${measure.instructionTokens} of them instructions and schema; largest ${largest}; whole openspec/ folder ${measure.openspecTokens} ` +
        `(median prompt ${percent(typical, measure.openspecTokens)} of it); ${trimmed} trimmed for a ${measure.contextLength / 1024}k context`,
    },
    {
      what: `build and pack one review prompt (${label})`,
      value: measure.packMs,
      unit: 'ms',
      note: 'from the scanned model, estimate included',
    },
  ];
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(part / whole < 0.01 ? 2 : 1)}%` : 'n/a';
}

function folderTokens(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) total += folderTokens(full);
    else if (entry.isFile()) total += estimateTokens(readFileSync(full, 'utf8'));
  }
  return total;
}
