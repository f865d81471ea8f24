import { pathToFileURL } from 'node:url';
import './pinnedDate';

/*
 * A warm `openspec archive`: a child process that loads the pinned CLI's archive module once and runs one archive
 * at a time in the folder it is sent. Starting the CLI costs about a second, most of the differential tier's
 * time; running its ArchiveCommand directly gives the same stdout, exit code and files (the spot check in the
 * test compares it with bin/openspec.js itself).
 */
export interface ReferenceJob {
  id: number;
  cwd: string;
  change: string;
  options: { yes?: boolean; json?: boolean; skipSpecs?: boolean; validate?: boolean };
}

export interface ReferenceAnswer {
  id: number;
  stdout: string;
  exitCode: number;
}

interface ArchiveModule {
  ArchiveCommand: new () => { execute(change: string, options: ReferenceJob['options']): Promise<void> };
}

const archiveModule = process.env['OPENSPEC_ARCHIVE_MODULE'] ?? '';
const loaded = import(pathToFileURL(archiveModule).href) as Promise<ArchiveModule>;

// One at a time: the CLI reads the working directory and sets process.exitCode.
let queue = Promise.resolve();
process.on('message', (job: ReferenceJob) => {
  queue = queue.then(() => run(job));
});

async function run(job: ReferenceJob): Promise<void> {
  const { ArchiveCommand } = await loaded;
  const lines: string[] = [];
  const log = console.log;
  console.log = (...parts: unknown[]) => void lines.push(parts.map(String).join(' '));
  process.exitCode = 0;
  let exitCode: number;
  try {
    process.chdir(job.cwd);
    await new ArchiveCommand().execute(job.change, job.options);
    exitCode = Number(process.exitCode ?? 0);
  } catch (error) {
    // bin/openspec.js prints the error and exits with 1.
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
    exitCode = 1;
  } finally {
    console.log = log;
    process.exitCode = 0;
  }
  const answer: ReferenceAnswer = { id: job.id, stdout: lines.map((line) => line + '\n').join(''), exitCode };
  process.send?.(answer);
}
