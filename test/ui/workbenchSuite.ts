import * as assert from 'node:assert/strict';
import { openWorkbench, type Workbench } from '../harness/workbench';
import { LmStudioStandIn } from '../lmstudio/standIn';

/**
 * Opens one workbench on a fixture for the enclosing mocha suite, once our extension is active; saves a
 * screenshot of every failing test; closes everything after the suite. Returns the workbench's getter.
 */
export function useWorkbench(fixture: string): () => Workbench {
  let workbench: Workbench | undefined;

  before(async () => {
    workbench = await openWorkbench({ fixture });
    await workbench.waitForExtensionActive();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) {
      await workbench.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
    }
  });

  after(async () => {
    await workbench?.close();
  });

  return () => {
    assert.ok(workbench, 'the workbench did not open');
    return workbench;
  };
}

export interface AiWorkbench {
  readonly workbench: Workbench;
  /** The LM Studio stand-in the workbench's extension talks to; script its replies in the suite. */
  readonly server: LmStudioStandIn;
}

/**
 * The AI suites' setup: the LM Studio stand-in first, then a 1440×900 workbench on the sample project whose
 * settings point at it (no retries, so failures show at once). Screenshots failing tests; closes both after.
 */
export function useAiWorkbench(): () => AiWorkbench {
  let server: LmStudioStandIn | undefined;
  let workbench: Workbench | undefined;

  before(async () => {
    server = await LmStudioStandIn.start();
    workbench = await openWorkbench({
      fixture: 'examples/sample-project',
      settings: { 'openspecLoop.lmStudio.baseUrl': server.baseUrl, 'openspecLoop.lmStudio.maxRetries': 0 },
      viewport: { width: 1440, height: 900 },
    });
    await workbench.waitForExtensionActive();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && workbench) {
      await workbench.screenshot(`failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
    }
  });

  after(async () => {
    await workbench?.close();
    await server?.close();
  });

  return () => {
    assert.ok(workbench && server, 'the workbench did not open');
    return { workbench, server };
  };
}
