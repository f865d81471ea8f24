import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../harness/repoPaths';
import { openWorkbench, type Workbench } from '../harness/workbench';

describe('Spec Explorer welcome on a project without OpenSpec', function () {
  this.timeout(120_000);
  let workbench: Workbench | undefined;

  before(async () => {
    // The pinned CLI stands where a user's `npm install -g @fission-ai/openspec` would.
    workbench = await openWorkbench({
      fixture: 'no-openspec',
      settings: { 'openspecLoop.cliPath': join(REPO_ROOT, 'node_modules', '.bin', 'openspec') },
    });
  });

  after(async () => {
    await workbench?.close();
  });

  it('offers "Initialize OpenSpec", which runs openspec init and turns the view into the empty Changes list', async () => {
    assert.ok(workbench);
    const { page } = workbench;
    // What a user does: the OpenSpec icon in the activity bar (the extension is not active yet: no openspec/).
    const activityIcon = page.locator('.activitybar .action-item a[aria-label^="OpenSpec"]');
    await activityIcon.waitFor({ timeout: 60_000 });
    await activityIcon.click();
    // Opening the view activates the extension, which then tells the welcome view that a CLI is there.
    await workbench.waitForExtensionActive();
    const initialize = page.locator('.welcome-view-content a', { hasText: 'Initialize OpenSpec' });
    await initialize.waitFor({ timeout: 30_000 });
    await workbench.screenshot('welcome-no-openspec');
    await initialize.click();

    await page.locator('.welcome-view-content a', { hasText: 'New Change' }).waitFor({ timeout: 30_000 });
    assert.ok(existsSync(join(workbench.workspace, 'openspec', 'config.yaml')), 'openspec/config.yaml was created');
    await workbench.screenshot('welcome-after-init');
  });
});
