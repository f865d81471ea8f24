import { posix as path } from 'node:path';
import { isWithin } from './fileSystem';
import { applyBatch, batchPaths, type BatchSteps } from './fileBatch';
import {
  EXISTS,
  MISSING,
  PathLocks,
  refused,
  WRITTEN,
  type BatchOutcome,
  type FileChange,
  type FileWriter,
  type TextEdit,
  type WriteOutcome,
} from './fileWriter';
import type { MemoryFileSystem } from './memoryFileSystem';

/** The FileWriter over a MemoryFileSystem, for the core's tests: the same outcomes as on disk, in memory. */
export class MemoryFileWriter implements FileWriter {
  private readonly locks = new PathLocks();

  constructor(private readonly fs: MemoryFileSystem) {}

  update(file: string, edit: TextEdit): Promise<WriteOutcome> {
    return this.locks.run([file], async () => {
      const kind = await this.fs.stat(file);
      if (kind === undefined) return MISSING;
      if (kind !== 'file') return refused('it is not a file');
      const next = edit(await this.fs.readFile(file));
      if (typeof next !== 'string') return next;
      this.fs.writeFile(file, next);
      return WRITTEN;
    });
  }

  create(file: string, text: string): Promise<WriteOutcome> {
    return this.locks.run([file], async () => {
      if ((await this.fs.stat(file)) !== undefined) return EXISTS;
      this.fs.writeFile(file, text);
      return WRITTEN;
    });
  }

  move(from: string, to: string): Promise<WriteOutcome> {
    return this.locks.run([from, to], async () => {
      if ((await this.fs.stat(from)) === undefined) return MISSING;
      if ((await this.fs.stat(to)) !== undefined) return EXISTS;
      this.fs.rename(from, to);
      return WRITTEN;
    });
  }

  applyAll(changes: readonly FileChange[]): Promise<BatchOutcome> {
    const fs = this.fs;
    const steps: BatchSteps = {
      read: async (file) => ((await fs.stat(file)) === 'file' ? fs.readFile(file) : undefined),
      exists: async (target) => (await fs.stat(target)) !== undefined,
      replace: async (file, text) => fs.writeFile(file, text),
      create: async (file, text) => {
        fs.writeFile(file, text);
        return async () => fs.delete(file);
      },
      remove: async (file, pruneUpTo) => {
        fs.delete(file);
        for (
          let dir = path.dirname(file);
          pruneUpTo && isWithin(pruneUpTo, dir) && dir !== pruneUpTo;
          dir = path.dirname(dir)
        ) {
          if ((await fs.readDirectory(dir)).length > 0) break;
          fs.delete(dir);
        }
      },
      move: async (from, to) => fs.rename(from, to),
    };
    return this.locks.run(batchPaths(changes), () => applyBatch(steps, changes));
  }
}
