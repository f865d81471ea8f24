import { posix as path } from 'node:path';
import type { Requirement } from '../../openspec/model';
import type { ChangeContext } from '../prompt/changeContext';
import { workspacePath } from '../prompt/documentListing';

/** A file a finding may point at: the change's documents, its deltas, the main specs they touch, config.yaml. */
export interface KnownDocument {
  /** Absolute. */
  readonly path: string;
  readonly text: string;
  readonly requirements: readonly Requirement[];
}

/** The files of a change context by workspace-relative path. */
export function knownDocuments(context: ChangeContext): Map<string, KnownDocument> {
  const known = new Map<string, KnownDocument>();
  const add = (document: { path: string; text: string } | undefined, requirements: readonly Requirement[] = []) => {
    if (document)
      known.set(workspacePath(context.root, document.path), { path: document.path, text: document.text, requirements });
  };
  const { change } = context;
  add(change.proposal);
  add(change.design);
  add(change.tasks);
  for (const delta of change.deltas)
    add(
      delta,
      delta.deltaSections.flatMap((section) => section.requirements),
    );
  for (const spec of context.mainSpecs) add(spec, spec.requirements);
  add(context.config);
  return known;
}

export interface ResolvedPath {
  /** Workspace-relative, one of the known documents. */
  readonly file: string;
  /** A line the path carried (`spec.md:12`, `spec.md#L12`). */
  readonly line?: number;
}

const LINE_SUFFIX = /(?::(\d+)(?::\d+)?|#L(\d+)(?:-L?\d+)?)$/;

/**
 * Maps the path a model wrote onto a known document. Models write it every way: `openspec/changes/x/a.md`,
 * `changes/x/a.md`, relative to the change (`specs/cap/spec.md`, `proposal.md`), absolute, with `./`, with
 * backslashes or backticks, with `:12` after it. Relative to the change wins over relative to `openspec/`, so
 * `specs/cap/spec.md` is the change's delta; a bare tail (`cap/spec.md`) is accepted when it names one file.
 */
export function resolveFindingPath(
  raw: string,
  root: string,
  changeId: string,
  known: ReadonlyMap<string, unknown>,
): ResolvedPath | undefined {
  let text = raw
    .trim()
    .replace(/^[`'"]+|[`'"]+$/g, '')
    .replace(/\\/g, '/')
    .replace(/^file:\/\//, '');
  let line: number | undefined;
  const suffix = LINE_SUFFIX.exec(text);
  if (suffix) {
    line = Number(suffix[1] ?? suffix[2]);
    text = text.slice(0, suffix.index);
  }
  if (text.startsWith(root + '/')) text = text.slice(root.length + 1);
  else if (path.isAbsolute(text) && text.includes('/openspec/')) text = text.slice(text.indexOf('/openspec/') + 1);
  text = path.normalize(text.replace(/^(\.\/|\/)+/, ''));
  if (text.startsWith('..')) return undefined;
  const withLine = (file: string): ResolvedPath => ({ file, ...(line !== undefined ? { line } : {}) });
  const changeDir = `openspec/changes/${changeId}/`;
  for (const candidate of [text, changeDir + text, 'openspec/' + text]) {
    if (known.has(candidate)) return withLine(candidate);
  }
  const tails = [...known.keys()].filter((file) => file.endsWith('/' + text));
  const inChange = tails.filter((file) => file.startsWith(changeDir));
  if (tails.length === 1 && tails[0]) return withLine(tails[0]);
  if (inChange.length === 1 && inChange[0]) return withLine(inChange[0]);
  return undefined;
}
