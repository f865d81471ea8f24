import { posix as path } from 'node:path';
import { isWithin, type FileSystem } from '../fs/fileSystem';
import { compareCodePoints } from './specDiscovery';

/**
 * The files a schema artifact's `generates` value names inside a change: a plain path, or a glob such as
 * `specs/**\/*.md`. Globs follow the rules the CLI's glob library applies here: `*`, `?`, `[...]`, `**` and
 * `{a,b}`; names starting with a dot match only a pattern that starts with a dot; linked folders are
 * followed but must stay inside the change. Results are canonical paths, sorted.
 */
export function isGlobPattern(pattern: string): boolean {
  return /[*?[]/.test(pattern) || /[!*+?@]\([^(]*\)/u.test(pattern) || hasBraceExpansion(pattern);
}

export async function resolveArtifactOutputs(fs: FileSystem, changeDir: string, generates: string): Promise<string[]> {
  const outputPath = path.join(changeDir, generates);
  if (!isWithin(changeDir, outputPath)) throw new Error(`Path is outside the allowed directory: ${outputPath}`);
  if (!isGlobPattern(generates)) {
    return (await fs.stat(outputPath)) === 'file' ? [await fs.realPath(outputPath)] : [];
  }
  const root = await fs.realPath(changeDir);
  const found = new Set<string>();
  for (const pattern of expandBraces(generates.replace(/\\/g, '/'))) {
    const segments = pattern.split('/').filter((segment) => segment !== '' && segment !== '.');
    await walk(fs, root, changeDir, segments, 0, new Set(), found);
  }
  return [...found].sort(compareCodePoints);
}

export async function artifactOutputExists(fs: FileSystem, changeDir: string, generates: string): Promise<boolean> {
  return (await resolveArtifactOutputs(fs, changeDir, generates)).length > 0;
}

async function walk(
  fs: FileSystem,
  root: string,
  dir: string,
  segments: readonly string[],
  index: number,
  ancestors: Set<string>,
  found: Set<string>,
): Promise<void> {
  const segment = segments[index];
  if (segment === undefined) return;
  const canonicalDir = await fs.realPath(dir);
  if (!isWithin(root, canonicalDir)) throw new Error(`Path is outside the allowed directory: ${dir}`);
  const visitKey = `${canonicalDir}\0${index}`;
  if (ancestors.has(visitKey))
    throw new Error(`Cannot resolve artifact outputs through a linked directory cycle: ${dir}`);
  ancestors.add(visitKey);
  try {
    const isLast = index === segments.length - 1;
    if (segment === '**') {
      if (!isLast) await walk(fs, root, dir, segments, index + 1, ancestors, found);
      for (const name of await childNames(fs, dir)) {
        if (name.startsWith('.')) continue;
        const child = path.join(dir, name);
        const kind = await fs.stat(child);
        if (kind === 'directory') await walk(fs, root, child, segments, index, ancestors, found);
        else if (isLast && kind === 'file') await addMatch(fs, root, child, found);
      }
      return;
    }
    const matcher = segmentMatcher(segment);
    for (const name of await childNames(fs, dir)) {
      if (!matcher(name)) continue;
      const child = path.join(dir, name);
      const kind = await fs.stat(child);
      if (isLast) {
        if (kind === 'file') await addMatch(fs, root, child, found);
      } else if (kind === 'directory') {
        await walk(fs, root, child, segments, index + 1, ancestors, found);
      }
    }
  } finally {
    ancestors.delete(visitKey);
  }
}

async function childNames(fs: FileSystem, dir: string): Promise<string[]> {
  try {
    return (await fs.readDirectory(dir)).map((entry) => entry.name);
  } catch {
    return [];
  }
}

async function addMatch(fs: FileSystem, root: string, file: string, found: Set<string>): Promise<void> {
  const canonical = await fs.realPath(file);
  if (!isWithin(root, canonical)) throw new Error(`Path is outside the allowed directory: ${file}`);
  found.add(canonical);
}

function segmentMatcher(segment: string): (name: string) => boolean {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const char = segment.charAt(i);
    if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close === -1) {
        source += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      source += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`, 'u');
  const allowsDot = segment.startsWith('.');
  return (name) => (allowsDot || !name.startsWith('.')) && regex.test(name);
}

function hasBraceExpansion(pattern: string): boolean {
  const openings: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '{') openings.push(i);
    if (pattern[i] !== '}') continue;
    const opening = openings.pop();
    if (opening !== undefined && /,|\.\./u.test(pattern.slice(opening, i))) return true;
  }
  return false;
}

/** Expands brace alternatives: `a/{b,c}/d` gives `a/b/d` and `a/c/d`. */
export function expandBraces(pattern: string): string[] {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (char === '}' && depth > 0) {
      depth--;
      if (depth === 0 && start >= 0) {
        const options = splitTopLevel(pattern.slice(start + 1, i));
        if (options.length < 2) continue;
        const prefix = pattern.slice(0, start);
        const suffix = pattern.slice(i + 1);
        return options.flatMap((option) => expandBraces(prefix + option + suffix));
      }
    }
  }
  return [pattern];
}

function splitTopLevel(body: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of body) {
    if (char === '{') depth++;
    if (char === '}') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}
