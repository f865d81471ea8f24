import * as fs from 'node:fs';
import * as path from 'node:path';
import { FixtureWorkspace, LineEnding, MANIFEST_FILE, WorkspaceManifest } from './workspaceManifest';

/** Suffix of the CRLF twin of a fixture. */
export const CRLF_SUFFIX = '~crlf';

const BOM = '\uFEFF';
const TEXT_FILE = /\.(md|ya?ml|txt)$/i;

function insideWorkspace(root: string, relative: string): string {
  const target = path.resolve(root, relative);
  if (!target.startsWith(root + path.sep)) throw new Error(`fixture path escapes its workspace: ${relative}`);
  return target;
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listFiles(full);
    return entry.isFile() ? [full] : [];
  });
}

function withLineEnding(text: string, ending: LineEnding): string {
  let breaks = 0;
  const next = (): string => (ending === 'cr' ? '\r' : ending === 'crlf' || breaks++ % 2 === 1 ? '\r\n' : '\n');
  return text.replace(/\r?\n/g, next);
}

function applyGeneratedBytes(dir: string, manifest: WorkspaceManifest): void {
  for (const relative of manifest.emptyDirs) {
    fs.mkdirSync(insideWorkspace(dir, relative), { recursive: true });
  }
  for (const relative of manifest.emptyFiles) {
    const file = insideWorkspace(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
  }
  for (const [relative, ending] of Object.entries(manifest.lineEndings)) {
    const file = insideWorkspace(dir, relative);
    fs.writeFileSync(file, withLineEnding(fs.readFileSync(file, 'utf8'), ending));
  }
  for (const relative of manifest.bom) {
    const file = insideWorkspace(dir, relative);
    fs.writeFileSync(file, BOM + fs.readFileSync(file, 'utf8'));
  }
}

/** Rewrites every text file to CRLF; git would normalise stored CRLF bytes, so they are made here. */
function convertToCrlf(dir: string): void {
  for (const file of listFiles(dir).filter((name) => TEXT_FILE.test(name))) {
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(/\r?\n/g, '\r\n'));
  }
}

function copyFixture(source: string, target: string): void {
  fs.cpSync(source, target, { recursive: true });
  fs.rmSync(path.join(target, MANIFEST_FILE), { force: true });
}

/** Copies each planned workspace under `scratchRoot`; a `~crlf` name gets CRLF line endings. Returns name -> folder. */
export function materializeWorkspaces(
  workspaces: Array<{ name: string; fixture: FixtureWorkspace }>,
  scratchRoot: string,
): Map<string, string> {
  const dirs = new Map<string, string>();
  for (const { name, fixture } of workspaces) {
    const dir = path.join(scratchRoot, name);
    copyFixture(fixture.sourceDir, dir);
    applyGeneratedBytes(dir, fixture.manifest);
    if (name.endsWith(CRLF_SUFFIX)) convertToCrlf(dir);
    dirs.set(name, dir);
  }
  return dirs;
}

/** The real CLI walks up to the nearest `openspec/`; a stray one above the scratch folder would capture every run. */
export function findEnclosingOpenSpecFolder(start: string): string | undefined {
  let current = path.dirname(start);
  for (;;) {
    if (fs.existsSync(path.join(current, 'openspec'))) return path.join(current, 'openspec');
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}
