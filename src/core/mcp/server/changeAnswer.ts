import type { Change } from '../../openspec/model';
import type { AnswerFormat } from './argumentSchemas';
import { markdownView, proposalSummary, tasksSummary } from './documentSummaries';
import { deltaPage, wholeDelta } from './requirementPages';
import type { FolderContext, ToolContext } from './toolContext';
import { ANSWER_LIMIT_BYTES, jsonBytes, ToolRefusal } from './toolResults';

export const CHANGE_DOCUMENTS = ['proposal', 'design', 'tasks', 'deltas'] as const;
export type ChangeDocumentKind = (typeof CHANGE_DOCUMENTS)[number];

export interface ChangeRequest {
  readonly format: AnswerFormat;
  readonly include?: readonly ChangeDocumentKind[];
  /** One delta spec, by capability, paged by requirement. */
  readonly delta?: string;
  readonly fromRequirement?: string;
}

/** A document an answer had no room for, and the call that reads it. */
interface Omitted {
  readonly file: string;
  readonly ask: string;
}

/** Room kept for the note naming what was left out. */
const NOTE_BYTES = 1024;

/**
 * The answer of get_change: the documents asked for, in order (proposal, design, tasks, each delta spec), each
 * whole while they fit in one answer; the rest are named in `truncated.omitted` with the call that reads each.
 * A document asked for alone is shown even when too large (the answer's bound cuts its text, marked), and a
 * delta spec asked for with `delta` comes in pages of requirements, as get_spec does.
 */
export function changeAnswer(
  context: ToolContext,
  folder: FolderContext,
  change: Change,
  request: ChangeRequest,
): Record<string, unknown> {
  const relative = (file: string) => folder.relative(file);
  const head: Record<string, unknown> = {
    ...context.folderField(folder),
    id: change.id,
    path: relative(change.dir),
    ...(change.unreadable
      ? { unreadable: change.unreadable.map((entry) => ({ path: relative(entry.path), reason: entry.reason })) }
      : {}),
  };
  const call = (args: string) =>
    `get_change with change: "${change.id}"${context.multiRoot ? `, folder: "${folder.name}"` : ''}${request.format === 'markdown' ? ', format: "markdown"' : ''}, ${args}`;

  if (request.delta === undefined) {
    if (request.fromRequirement !== undefined)
      throw new ToolRefusal('fromRequirement pages one delta spec: pass delta (its capability) too.');
    return wholeDocuments(change, head, request, relative, call);
  }
  const delta = change.deltas.find((candidate) => candidate.capability === request.delta);
  if (!delta) {
    const known = change.deltas.map((candidate) => `"${candidate.capability}"`).join(', ');
    throw new ToolRefusal(
      `Change "${change.id}" has no delta spec "${request.delta}"; ${known ? `its delta specs: ${known}` : 'it has no delta specs'}.`,
    );
  }
  return deltaPage(
    delta,
    { capability: delta.capability, file: relative(delta.path) },
    {
      format: request.format,
      what: `The delta spec "${delta.capability}" of change "${change.id}"`,
      ...(request.fromRequirement !== undefined ? { fromRequirement: request.fromRequirement } : {}),
      continuation: (next) => `${call(`delta: "${delta.capability}"`)} and fromRequirement: ${JSON.stringify(next)}`,
      wrap: (page) => ({ ...head, deltas: [page] }),
    },
  );
}

function wholeDocuments(
  change: Change,
  head: Record<string, unknown>,
  request: ChangeRequest,
  relative: (file: string) => string,
  call: (args: string) => string,
): Record<string, unknown> {
  const wanted = new Set(request.include ?? CHANGE_DOCUMENTS);
  const parsed = request.format === 'parsed';
  const candidates: Array<{ kind: ChangeDocumentKind; file: string; value: () => Record<string, unknown> }> = [];
  if (wanted.has('proposal') && change.proposal) {
    const proposal = change.proposal;
    const file = relative(proposal.path);
    candidates.push({
      kind: 'proposal',
      file,
      value: () => (parsed ? proposalSummary(proposal, file) : markdownView(proposal, file)),
    });
  }
  if (wanted.has('design') && change.design) {
    const design = change.design;
    candidates.push({
      kind: 'design',
      file: relative(design.path),
      value: () => markdownView(design, relative(design.path)),
    });
  }
  if (wanted.has('tasks') && change.tasks) {
    const tasks = change.tasks;
    const file = relative(tasks.path);
    candidates.push({
      kind: 'tasks',
      file,
      value: () => (parsed ? tasksSummary(tasks, file) : markdownView(tasks, file)),
    });
  }
  if (wanted.has('deltas')) {
    for (const delta of change.deltas) {
      const file = relative(delta.path);
      candidates.push({
        kind: 'deltas',
        file,
        value: () => wholeDelta(delta, { capability: delta.capability, file }, request.format),
      });
    }
  }

  const alone = candidates.length === 1 && candidates[0]!.kind !== 'deltas';
  let room = ANSWER_LIMIT_BYTES - jsonBytes(head) - NOTE_BYTES;
  const result: Record<string, unknown> = { ...head };
  const deltas: Array<Record<string, unknown>> = [];
  const omitted: Omitted[] = [];
  for (const candidate of candidates) {
    const value = candidate.value();
    const cost = jsonBytes(value) + candidate.kind.length + 4;
    if (cost > room && !alone) {
      omitted.push({ file: candidate.file, ask: askFor(candidate.kind, value, call) });
      continue;
    }
    room -= cost;
    if (candidate.kind === 'deltas') deltas.push(value);
    else result[candidate.kind] = value;
  }
  if (wanted.has('deltas')) result.deltas = deltas;
  if (omitted.length === 0) return result;
  const total = candidates.length;
  return {
    ...result,
    truncated: {
      shown: total - omitted.length,
      total,
      omitted,
      message:
        `truncated: ${total - omitted.length} of ${total} documents shown; the answer holds at most ${ANSWER_LIMIT_BYTES / 1024} KiB. ` +
        'Each one left out is in truncated.omitted with the call that reads it.',
    },
  };
}

function askFor(kind: ChangeDocumentKind, value: Record<string, unknown>, call: (args: string) => string): string {
  if (kind === 'deltas') return `call ${call(`delta: "${String(value.capability)}"`)} (paged by requirement)`;
  return `call ${call(`include: ["${kind}"]`)}`;
}
