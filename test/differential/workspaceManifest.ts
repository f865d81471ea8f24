import * as fs from 'node:fs';
import * as path from 'node:path';

/** One CLI call beyond the two bulk modes every workspace gets. */
export interface RunSpec {
  args: string[];
  /** Working directory relative to the workspace root; the root when absent. */
  cwd?: string;
}

/** `mixed` alternates LF and CRLF, starting with LF. */
export type LineEnding = 'crlf' | 'cr' | 'mixed';
const LINE_ENDINGS: readonly LineEnding[] = ['crlf', 'cr', 'mixed'];

/** What `workspace.json` beside each fixture's `openspec/` folder may say. */
export interface WorkspaceManifest {
  description: string;
  runs: RunSpec[];
  /** Findings the reference CLI must report, so a fixture cannot silently stop exercising its case. */
  expect: string[];
  /** Also run a copy whose text files use CRLF line endings. */
  crlfVariant: boolean;
  /** Files that get a UTF-8 byte order mark prepended. */
  bom: string[];
  /** Files created empty (git keeps them poorly across tools, so they are made at test time). */
  emptyFiles: string[];
  /** Directories created empty (git cannot store them). */
  emptyDirs: string[];
  /** Files rewritten at test time with other line endings (git may normalise stored ones). */
  lineEndings: Record<string, LineEnding>;
}

export interface FixtureWorkspace {
  name: string;
  sourceDir: string;
  manifest: WorkspaceManifest;
}

export const MANIFEST_FILE = 'workspace.json';

function stringList(value: unknown, field: string, file: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'string')) {
    throw new Error(`${file}: "${field}" must be a list of strings`);
  }
  return value as string[];
}

function parseRun(value: unknown, file: string): RunSpec {
  if (Array.isArray(value)) return { args: stringList(value, 'runs[]', file) };
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const cwd = record['cwd'];
    if (cwd !== undefined && typeof cwd !== 'string') throw new Error(`${file}: runs[].cwd must be a string`);
    return { args: stringList(record['args'], 'runs[].args', file), ...(cwd === undefined ? {} : { cwd }) };
  }
  throw new Error(`${file}: each entry of "runs" is an argument list or {cwd, args}`);
}

function parseLineEndings(value: unknown, file: string): Record<string, LineEnding> {
  if (value === undefined) return {};
  const entries = typeof value === 'object' && value !== null ? Object.entries(value) : [];
  if (entries.length === 0 || entries.some(([, ending]) => !LINE_ENDINGS.includes(ending as LineEnding))) {
    throw new Error(`${file}: "lineEndings" maps file paths to one of ${LINE_ENDINGS.join(', ')}`);
  }
  return Object.fromEntries(entries);
}

export function parseManifest(text: string, file: string): WorkspaceManifest {
  const raw: unknown = JSON.parse(text);
  if (typeof raw !== 'object' || raw === null) throw new Error(`${file}: expected an object`);
  const record = raw as Record<string, unknown>;
  const description = record['description'];
  if (typeof description !== 'string' || description.trim() === '') {
    throw new Error(`${file}: "description" is required`);
  }
  const runs = record['runs'];
  if (runs !== undefined && !Array.isArray(runs)) throw new Error(`${file}: "runs" must be a list`);
  return {
    description,
    runs: (runs ?? []).map((run) => parseRun(run, file)),
    expect: stringList(record['expect'], 'expect', file),
    crlfVariant: record['crlfVariant'] === true,
    bom: stringList(record['bom'], 'bom', file),
    emptyFiles: stringList(record['emptyFiles'], 'emptyFiles', file),
    emptyDirs: stringList(record['emptyDirs'], 'emptyDirs', file),
    lineEndings: parseLineEndings(record['lineEndings'], file),
  };
}

/** Every fixture folder that carries a manifest, sorted by name. */
export function loadCorpus(fixturesRoot: string): FixtureWorkspace[] {
  return fs
    .readdirSync(fixturesRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(fixturesRoot, entry.name, MANIFEST_FILE)))
    .map((entry) => {
      const sourceDir = path.join(fixturesRoot, entry.name);
      const file = path.join(sourceDir, MANIFEST_FILE);
      return { name: entry.name, sourceDir, manifest: parseManifest(fs.readFileSync(file, 'utf8'), file) };
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
