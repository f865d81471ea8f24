import type { Browser } from 'playwright-core';
import type { CodeServer } from './codeServer';
import { formatLogMessage } from './workbenchLog';

export interface ExtensionTestRunOptions {
  readonly extensionDevelopmentPaths: readonly string[];
  readonly extensionTestsPath: string;
  readonly folder?: string;
  /** Receives the workbench log, which carries the extension host's console (mocha's reporter). */
  readonly log: (level: string, message: string) => void;
  readonly timeoutMs: number;
}

/**
 * Opens the workbench with the test payload and resolves with the exit code the workbench reports through
 * `codeAutomationExit` (0 when the tests' run() resolved, 1 otherwise) - the path VS Code's own web tests use.
 */
export async function runExtensionTests(
  browser: Browser,
  server: CodeServer,
  options: ExtensionTestRunOptions,
): Promise<number> {
  const page = await browser.newPage();
  let settle: { resolve: (code: number) => void; reject: (error: Error) => void } | undefined;
  const exitCode = new Promise<number>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // It may fail while page.goto() is still pending, before anything awaits it.
  exitCode.catch(() => undefined);
  await page.exposeFunction('codeAutomationLog', (level: string, message: unknown) => {
    options.log(level, formatLogMessage(message));
  });
  await page.exposeFunction('codeAutomationExit', (code: number) => settle?.resolve(code));
  page.on('crash', () => settle?.reject(new Error('the workbench page crashed')));
  page.on('close', () => settle?.reject(new Error('the workbench page closed before the tests finished')));
  void server.exited.then(() =>
    settle?.reject(new Error(`code-server exited during the test run:\n${server.output()}`)),
  );
  const timer = setTimeout(() => {
    settle?.reject(new Error(`the extension tests did not finish within ${options.timeoutMs} ms`));
  }, options.timeoutMs);

  const payload: [string, string][] = [
    ...options.extensionDevelopmentPaths.map((path): [string, string] => [
      'extensionDevelopmentPath',
      server.remoteUri(path),
    ]),
    ['extensionTestsPath', server.remoteUri(options.extensionTestsPath)],
  ];
  try {
    await page.goto(server.workbenchUrl(options.folder, payload));
    return await exitCode;
  } finally {
    clearTimeout(timer);
  }
}
