import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { ReferenceAnswer, ReferenceJob } from './archiveReferenceWorker';

/** A few warm reference workers (archiveReferenceWorker), each running one archive at a time. */
export class ReferenceArchivers {
  private readonly workers: ChildProcess[] = [];
  private readonly idle: ChildProcess[] = [];
  private readonly waiting: Array<(worker: ChildProcess) => void> = [];
  private nextId = 1;

  constructor(count: number, archiveModule: string, env: NodeJS.ProcessEnv) {
    for (let index = 0; index < count; index++) {
      const worker = fork(path.join(__dirname, 'archiveReferenceWorker.js'), [], {
        env: { ...env, OPENSPEC_ARCHIVE_MODULE: archiveModule },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      // The CLI's human-mode notes and Node warnings; nothing the comparison reads.
      worker.stderr?.resume();
      this.workers.push(worker);
      this.idle.push(worker);
    }
  }

  async archive(job: Omit<ReferenceJob, 'id'>): Promise<ReferenceAnswer> {
    const worker = this.idle.pop() ?? (await new Promise<ChildProcess>((resolve) => this.waiting.push(resolve)));
    try {
      const id = this.nextId++;
      return await new Promise<ReferenceAnswer>((resolve, reject) => {
        const onMessage = (answer: ReferenceAnswer) => {
          if (answer.id !== id) return;
          worker.off('message', onMessage);
          worker.off('exit', onExit);
          resolve(answer);
        };
        const onExit = (code: number | null) => reject(new Error(`reference worker exited (${code})`));
        worker.on('message', onMessage);
        worker.once('exit', onExit);
        worker.send({ ...job, id });
      });
    } finally {
      const next = this.waiting.shift();
      if (next) next(worker);
      else this.idle.push(worker);
    }
  }

  dispose(): void {
    for (const worker of this.workers) worker.kill();
  }
}
