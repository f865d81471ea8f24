import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';
import type { JournalStore } from '../core/loop/loopJournal';

/**
 * A JSONL journal file. Each line is appended and fsynced before `append` resolves, so a line the loop went
 * on from survives a crash; a line torn by a crash mid-write is at the end and is skipped when read back.
 * Appends are serialised so lines never interleave.
 */
export class FileJournalStore implements JournalStore {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  append(line: string): Promise<void> {
    if (line.includes('\n')) return Promise.reject(new Error('A journal line must not contain a newline.'));
    const write = this.queue.then(() => this.write(line));
    this.queue = write.catch(() => undefined);
    return write;
  }

  async readAll(): Promise<string[]> {
    await this.queue;
    let text: string;
    try {
      text = await fsp.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text.split('\n').filter((line) => line !== '');
  }

  private async write(line: string): Promise<void> {
    await fsp.mkdir(dirname(this.path), { recursive: true });
    const handle = await fsp.open(this.path, 'a+');
    try {
      // A torn line from an earlier crash must not swallow this one: start on a fresh line.
      const { size } = await handle.stat();
      const prefix = size > 0 && !(await endsWithNewline(handle, size)) ? '\n' : '';
      await handle.appendFile(`${prefix}${line}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

async function endsWithNewline(handle: fsp.FileHandle, size: number): Promise<boolean> {
  const buffer = Buffer.alloc(1);
  await handle.read(buffer, 0, 1, size - 1);
  return buffer[0] === 0x0a;
}
