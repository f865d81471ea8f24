import { parseTasks } from '../../openspec/changeDocuments';
import type { Task } from '../../openspec/model';
import { impactEntry, nameKey, significantWords, type ImpactEntry } from './impactEntries';

/**
 * What a tasks.md rewrite does to its tasks. Each current task is looked for in the proposal by its text,
 * then (reworded) by its number, then by most of its words; one not found is removed. A found task with
 * another number is renumbered, and one whose checkbox changed is ticked or unticked: checkboxes record
 * work done, which a review of the text never does.
 */
export function taskChanges(file: string, base: string, proposed: string): ImpactEntry[] {
  const before = parseTasks(file, base).tasks;
  const after = parseTasks(file, proposed).tasks;
  const partners = matchTasks(before, after);
  const entries: ImpactEntry[] = [];
  before.forEach((task, index) => {
    const partner = after[partners[index] ?? -1];
    const extra = { name: task.text, ...(task.id !== undefined ? { taskId: task.id } : {}) };
    if (!partner) {
      entries.push(impactEntry('taskRemoved', taskLabel(task), extra));
      return;
    }
    if (partner.id !== task.id)
      entries.push(
        impactEntry('taskRenumbered', taskLabel(task), {
          ...extra,
          detail: partner.id ? `now ${partner.id}` : 'number dropped',
        }),
      );
    if (partner.done !== task.done)
      entries.push(impactEntry(partner.done ? 'taskChecked' : 'taskUnchecked', taskLabel(task), extra));
  });
  return entries;
}

export function taskLabel(task: Pick<Task, 'id' | 'text'>): string {
  return task.id ? `${task.id} ${task.text}` : task.text;
}

/** For each task of `before`, the index of its counterpart in `after`, or undefined. */
function matchTasks(before: readonly Task[], after: readonly Task[]): Array<number | undefined> {
  const partners: Array<number | undefined> = new Array<number | undefined>(before.length).fill(undefined);
  const used = new Set<number>();
  const claim = (index: number, partner: number | undefined) => {
    if (partner === undefined) return;
    partners[index] = partner;
    used.add(partner);
  };
  const byText = new Map<string, number[]>();
  after.forEach((task, index) => {
    const key = nameKey(task.text);
    const list = byText.get(key);
    if (list) list.push(index);
    else byText.set(key, [index]);
  });
  before.forEach((task, index) => {
    const candidates = (byText.get(nameKey(task.text)) ?? []).filter((candidate) => !used.has(candidate));
    claim(index, candidates.find((candidate) => after[candidate]?.id === task.id) ?? candidates[0]);
  });
  before.forEach((task, index) => {
    if (partners[index] !== undefined || task.id === undefined) return;
    const found = after.findIndex((candidate, at) => !used.has(at) && candidate.id === task.id);
    claim(index, found < 0 ? undefined : found);
  });
  const words = after.map((task) => significantWords(task.text));
  before.forEach((task, index) => {
    if (partners[index] !== undefined) return;
    const own = significantWords(task.text);
    let best: number | undefined;
    let bestScore = 0;
    words.forEach((candidate, at) => {
      const score = used.has(at) ? 0 : wordOverlap(own, candidate);
      if (score >= 0.5 && score > bestScore) {
        best = at;
        bestScore = score;
      }
    });
    claim(index, best);
  });
  return partners;
}

/** Jaccard overlap of two sets of significant words; 0 when either is empty. */
function wordOverlap(left: ReadonlySet<string>, right: ReadonlySet<string>): number {
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const word of left) if (right.has(word)) shared++;
  return shared / (left.size + right.size - shared);
}
