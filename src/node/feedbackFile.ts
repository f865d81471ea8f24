import { readFile, rename } from 'node:fs/promises';
import { parseFeedbackData, type FeedbackData, type FeedbackPersistence } from '../core/feedback/feedbackData';
import { toPosix } from './nodeFileSystem';
import { writeFileAtomically } from './nodeFileWriter';

/**
 * The feedback history as one JSON file (in the extension's workspace storage, never the user's repository).
 * Saves write a temporary file beside it and rename it over the old one, so a crash leaves either the old
 * history or the new one, never half of one. A file that is not JSON is set aside as `<name>.corrupt`
 * (kept for the user to inspect) and the history starts again.
 */
export class JsonFileFeedbackPersistence implements FeedbackPersistence {
  constructor(readonly filePath: string) {}

  async load(): Promise<FeedbackData | undefined> {
    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return parseFeedbackData(JSON.parse(text) as unknown);
    } catch {
      await rename(this.filePath, `${this.filePath}.corrupt`);
      return undefined;
    }
  }

  save(data: FeedbackData): Promise<void> {
    return writeFileAtomically(toPosix(this.filePath), `${JSON.stringify(data, null, 1)}\n`);
  }
}
