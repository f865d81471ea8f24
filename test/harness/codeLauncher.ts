/**
 * Stands in for the VS Code executable that @vscode/test-electron (and @vscode/test-cli through it) spawn:
 * it takes Code's command line, runs the extension tests in code-server's Node extension host through
 * headless Chromium, prints their output and exits with their exit code. Started by test/harness/code.
 */
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { parseCodeArguments } from './codeArguments';
import { startCodeServer, type CodeServer } from './codeServer';
import { runExtensionTests } from './extensionTestRun';
import { isWorkbenchChatter } from './workbenchLog';

// A guard against a hung host, not a speed target: a busy 2-core machine takes several times the usual 3 minutes.
const TIMEOUT_MS = Number(process.env['OPENSPEC_LOOP_TEST_TIMEOUT_MS'] ?? 15 * 60_000);
/** OPENSPEC_LOOP_HARNESS_VERBOSE=1 also prints the workbench's start-up chatter and phase timings (to stderr). */
const VERBOSE = Boolean(process.env['OPENSPEC_LOOP_HARNESS_VERBOSE']);

const started = Date.now();
const phase = (name: string): void => {
  if (VERBOSE) process.stderr.write(`[harness] ${name} after ${Date.now() - started} ms\n`);
};

let server: CodeServer | undefined;
let browser: Browser | undefined;

async function shutdown(): Promise<void> {
  await browser?.close().catch(() => undefined);
  await server?.stop();
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseCodeArguments(argv);
  if (args.extensionTestsPath === undefined) {
    console.error('This launcher only runs extension tests: --extensionTestsPath=<path> is required.');
    return 2;
  }
  for (const dir of [args.userDataDir, args.extensionsDir]) {
    if (dir !== undefined) mkdirSync(dir, { recursive: true });
  }
  server = await startCodeServer({
    ...(args.userDataDir === undefined ? {} : { userDataDir: args.userDataDir }),
    ...(args.extensionsDir === undefined ? {} : { extensionsDir: args.extensionsDir }),
  });
  phase(`code-server listening at ${server.origin}`);
  browser = await launchChromium();
  phase('chromium started');
  const code = await runExtensionTests(browser, server, {
    extensionDevelopmentPaths: args.extensionDevelopmentPaths,
    extensionTestsPath: args.extensionTestsPath,
    ...(args.folder === undefined ? {} : { folder: args.folder }),
    log: (level, text) => {
      if (!isWorkbenchChatter(text)) process.stdout.write(`${text}\n`);
      else if (VERBOSE) process.stderr.write(`[workbench ${level}] ${text}\n`);
    },
    timeoutMs: TIMEOUT_MS,
  });
  phase(`tests finished with exit code ${code}`);
  return code;
}

let interrupted = false;
const SIGNAL_EXIT_CODES = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;
for (const [signal, exitCode] of Object.entries(SIGNAL_EXIT_CODES)) {
  process.once(signal, () => {
    interrupted = true;
    void shutdown().finally(() => process.exit(exitCode));
  });
}

main(process.argv.slice(2))
  .catch((error: unknown) => {
    if (interrupted) return 1;
    console.error(error instanceof Error ? error.message : error);
    if (server) console.error(`--- code-server output ---\n${server.output()}`);
    return 1;
  })
  .then(async (code) => {
    await shutdown();
    phase('stopped');
    // After a signal, its handler sets the exit code.
    if (!interrupted) process.exit(code);
  })
  .catch(() => process.exit(1));
