import { readFile } from 'node:fs/promises';
import { posix as path } from 'node:path';
import * as vscode from 'vscode';
import { journalledFiles, resumeState, type ResumeState } from '../../core/loop/resumeState';
import type { Logger } from '../../core/logger';
import type { FolderModel, OpenSpecModels } from '../model/openSpecModels';
import { errorMessage } from '../../core/errorMessage';

const DISCARDED_KEY = 'openspecLoop.discardedLoopRuns';

export interface InterruptedRun {
  readonly folder: FolderModel;
  readonly state: ResumeState;
}

/**
 * The run the journal shows was cut off (the window closed or crashed mid-loop), with how to resume it: which
 * proposals were already written (never again), which still apply, which went stale. A run that finished,
 * even by Cancel, or one the user discarded, is not offered.
 */
export async function findInterruptedRun(
  journalPath: string,
  models: OpenSpecModels,
  state: vscode.Memento,
  logger: Logger,
): Promise<InterruptedRun | undefined> {
  let text: string;
  try {
    text = await readFile(journalPath, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const last = parseLine(lines.at(-1));
  if (!last || last.event === 'finished' || state.get<string[]>(DISCARDED_KEY, []).includes(String(last.run)))
    return undefined;
  const folder = models.folders.find((candidate) =>
    candidate.workspace.changes.some((change) => change.id === last.change),
  );
  if (!folder) return undefined;
  const currentTexts: Record<string, string | undefined> = {};
  for (const file of journalledFiles(lines))
    currentTexts[file] = await folder.fs.readFile(path.join(folder.root, file)).catch(() => undefined);
  try {
    const resume = resumeState(lines, currentTexts);
    return resume.resumable ? { folder, state: resume } : undefined;
  } catch (error) {
    logger.warn(`The improvement loop journal could not be read for a resume: ${errorMessage(error)}`);
    return undefined;
  }
}

export async function discardRun(state: vscode.Memento, runId: string): Promise<void> {
  await state.update(DISCARDED_KEY, [...state.get<string[]>(DISCARDED_KEY, []), runId].slice(-20));
}

function parseLine(line: string | undefined): { event?: unknown; run?: unknown; change?: unknown } | undefined {
  try {
    return line ? (JSON.parse(line) as { event?: unknown; run?: unknown; change?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}
