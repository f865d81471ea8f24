import { posix as path } from 'node:path';

/** The project's configuration (context and per-artifact rules), relative to the project root. */
export const PROJECT_CONFIG_FILE = 'openspec/config.yaml';

/** What a file under `openspec/` is, decided from its path alone. */
export type DocumentRole =
  | { readonly kind: 'config' }
  | { readonly kind: 'mainSpec'; readonly capability: string }
  | {
      readonly kind: 'proposal' | 'design' | 'tasks' | 'changeMetadata';
      readonly changeId: string;
      readonly archived: boolean;
    }
  | { readonly kind: 'delta'; readonly changeId: string; readonly archived: boolean; readonly capability: string }
  | { readonly kind: 'changeFile'; readonly changeId: string; readonly archived: boolean }
  | { readonly kind: 'other' };

const CHANGE_FILES: Record<string, 'proposal' | 'design' | 'tasks' | 'changeMetadata'> = {
  'proposal.md': 'proposal',
  'design.md': 'design',
  'tasks.md': 'tasks',
  '.openspec.yaml': 'changeMetadata',
};

export function classifyDocument(openspecDir: string, file: string): DocumentRole {
  const relative = path.relative(openspecDir, path.normalize(file));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { kind: 'other' };
  const parts = relative.split('/');
  if (parts.length === 1 && (parts[0] === 'config.yaml' || parts[0] === 'config.yml')) return { kind: 'config' };
  if (parts[0] === 'specs' && parts.length >= 3 && parts[parts.length - 1] === 'spec.md') {
    return { kind: 'mainSpec', capability: parts.slice(1, -1).join('/') };
  }
  if (parts[0] !== 'changes' || parts.length < 3) return { kind: 'other' };
  const archived = parts[1] === 'archive';
  const rest = archived ? parts.slice(2) : parts.slice(1);
  const changeId = rest[0];
  if (!changeId || rest.length < 2) return { kind: 'other' };
  const inChange = rest.slice(1);
  const role = inChange.length === 1 && inChange[0] ? CHANGE_FILES[inChange[0]] : undefined;
  if (role) return { kind: role, changeId, archived };
  if (inChange[0] === 'specs' && inChange.length >= 3 && inChange[inChange.length - 1] === 'spec.md') {
    return { kind: 'delta', changeId, archived, capability: inChange.slice(1, -1).join('/') };
  }
  return { kind: 'changeFile', changeId, archived };
}

/** Splits an archive folder name `2025-01-31-add-auth` into its date and change id. */
export function parseArchiveName(folder: string): { archivedOn?: string; changeId: string } {
  const match = /^(\d{4}-\d{2}-\d{2})-(.+)$/.exec(folder);
  return match?.[1] && match[2] ? { archivedOn: match[1], changeId: match[2] } : { changeId: folder };
}
