import { promises as fsp } from 'node:fs';
import { posix as path } from 'node:path';
import type { ArchiveRecord } from '../core/archive/archiveRecord';
import { folderKey } from '../core/loop/journalRuns';
import { toNative } from './nodeFileSystem';
import { writeFileAtomically } from './nodeFileWriter';

/** Enough to take back any recent archive; older ones are restored folder only, like a CLI archive. */
const RECORDS_KEPT = 50;

/**
 * The records of what this product's archives wrote, one JSON file per project folder in the extension's
 * storage (`<dir>/<folder-key>.json`), newest last. A missing or unreadable file holds no records: restoring
 * then moves the folder back and names the specs to look at, which loses nothing.
 */
export class ArchiveRecords {
  constructor(private readonly dir: string) {}

  async add(root: string, record: ArchiveRecord): Promise<void> {
    const kept = (await this.all(root)).filter((other) => other.archivedAs !== record.archivedAs);
    await this.save(root, [...kept, record].slice(-RECORDS_KEPT));
  }

  async find(root: string, archivedAs: string): Promise<ArchiveRecord | undefined> {
    return (await this.all(root)).find((record) => record.archivedAs === archivedAs);
  }

  async remove(root: string, archivedAs: string): Promise<void> {
    const all = await this.all(root);
    const kept = all.filter((record) => record.archivedAs !== archivedAs);
    if (kept.length !== all.length) await this.save(root, kept);
  }

  private async all(root: string): Promise<ArchiveRecord[]> {
    try {
      const parsed: unknown = JSON.parse(await fsp.readFile(toNative(this.file(root)), 'utf8'));
      return Array.isArray(parsed) ? (parsed as ArchiveRecord[]).filter(isRecord) : [];
    } catch {
      return [];
    }
  }

  private save(root: string, records: readonly ArchiveRecord[]): Promise<void> {
    return writeFileAtomically(this.file(root), JSON.stringify(records));
  }

  private file(root: string): string {
    return path.join(this.dir, `${folderKey(root)}.json`);
  }
}

function isRecord(value: unknown): value is ArchiveRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Partial<ArchiveRecord>;
  return (
    typeof record.archivedAs === 'string' &&
    typeof record.changeDir === 'string' &&
    typeof record.archivePath === 'string' &&
    Array.isArray(record.specs)
  );
}
