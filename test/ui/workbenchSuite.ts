import * as assert from 'node:assert/strict';
import { openWorkbench, type Workbench } from '../harness/workbench';

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
