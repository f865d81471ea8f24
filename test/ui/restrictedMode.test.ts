import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../harness/poll';
import { openWorkbench } from '../harness/workbench';
import { LmStudioStandIn } from '../lmstudio/standIn';
import {
  codeLensAbove,
  notificationButton,
  notificationToast,
  openFile,
  parkMouse,
  problemRow,
  showProblems,
  treeRow,
  viewPane,
} from './workbenchActions';
import { useSuiteWorkbench, waitForStandInSettings } from './workbenchSuite';

/** The sample's change that is invalid on purpose: requirement "Expiry choice" has no scenario. */
const DELTA = 'openspec/changes/expire-shared-links/specs/sharing/links/spec.md';
const PROPOSAL = 'openspec/changes/expire-shared-links/proposal.md';
const MISSING_SCENARIO = 'ADDED "Expiry choice" must include at least one scenario';
const LM_STUDIO_ITEM = '.part.statusbar .statusbar-item [aria-label^="LM Studio at "]';

/** An MCP "server" that only leaves a file behind: if it is ever started, the file says so. */
function traceServer(trace: string): Record<string, unknown> {
  return {
    type: 'stdio',
    command: process.execPath,
    args: ['-e', "require('node:fs').writeFileSync(process.argv[1], 'started')", trace],
  };
}

/**
 * A folder the user has not trusted: the specs can be read and checked, but nothing is spawned and nothing is
 * sent anywhere, whatever the settings and the folder's .vscode/mcp.json ask for, until trust is granted.
 */
describe('Restricted Mode in the workbench', function () {
  this.timeout(180_000);
  const scratch = mkdtempSync(join(tmpdir(), 'openspec-loop-restricted-'));
  const traces = { settings: join(scratch, 'settings-server'), mcpJson: join(scratch, 'mcp-json-server') };
  const opened = useSuiteWorkbench(async () => {
    const server = await LmStudioStandIn.start();
    try {
      const workbench = await openWorkbench({
        fixture: 'examples/sample-project',
        workspaceTrust: 'untrusted',
        settings: {
          'openspecLoop.lmStudio.baseUrl': server.baseUrl,
          'openspecLoop.mcp.servers': { 'trace-settings': traceServer(traces.settings) },
          'openspecLoop.mcp.includeWorkspaceMcpJson': true,
        },
        prepare: (workspace) => {
          mkdirSync(join(workspace, '.vscode'), { recursive: true });
          writeFileSync(
            join(workspace, '.vscode', 'mcp.json'),
            JSON.stringify({ servers: { 'trace-mcp-json': traceServer(traces.mcpJson) } }),
          );
        },
      });
      return { workbench, server };
    } catch (error) {
      await server.close();
      throw error;
    }
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));
  const current = () => {
    const { workbench, server } = opened();
    assert.ok(server, 'the LM Studio stand-in did not start');
    return { workbench, server };
  };

  const waitForLog = (pattern: RegExp, what: string) =>
    waitFor(() => pattern.test(current().workbench.extensionLog()), what, 20_000);

  it('shows the changes and the known validation error, and starts no MCP server and asks LM Studio nothing', async () => {
    const { workbench, server } = current();
    const { page } = workbench;
    await page.locator('.part.statusbar .statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ timeout: 10_000 });

    await workbench.runCommand('OpenSpec: Focus on Changes View');
    const changes = viewPane(page, 'Changes');
    await treeRow(changes, 'add-note-tags').waitFor({ timeout: 15_000 });
    await treeRow(changes, 'expire-shared-links').waitFor({ timeout: 15_000 });

    await openFile(page, DELTA);
    await showProblems(page);
    await problemRow(page, 'Error', MISSING_SCENARIO).waitFor({ timeout: 15_000 });

    // The extension's own words for what it held back: both configured servers by name, and the agents' server.
    await waitForLog(
      /Restricted Mode: the MCP servers trace-settings, trace-mcp-json are not started/,
      'the log to name the MCP servers held back',
    );
    await waitForLog(
      /Restricted Mode: the MCP server for agents does not start/,
      'the log to say the agents’ server waits',
    );
    assert.equal(existsSync(traces.settings), false, 'the server from the settings was started');
    assert.equal(existsSync(traces.mcpJson), false, 'the server from .vscode/mcp.json was started');
    assert.doesNotMatch(workbench.extensionLog(), /MCP server for agents at http/);
    assert.deepEqual(server.received, [], 'LM Studio was asked something');
    assert.equal(await page.locator(LM_STUDIO_ITEM).count(), 0, 'no LM Studio entry where no AI can run');

    // The CodeLens that read stay; the AI ones are not offered.
    await openFile(page, PROPOSAL);
    await codeLensAbove(page, '## Why', 'Validate');
    assert.equal(await page.locator('.codelens-decoration a', { hasText: 'Review with AI' }).count(), 0);
    await parkMouse(page);
    console.log(`    screenshot: ${await workbench.screenshot('restricted-mode')}`);
  });

  it('says why an AI command is unavailable and offers Manage Workspace Trust', async () => {
    const { workbench, server } = current();
    await workbench.runCommand('OpenSpec: Review Change with AI');
    const toast = notificationToast(workbench.page, 'not available in Restricted Mode');
    await toast.waitFor({ timeout: 10_000 });
    assert.match(
      await toast.locator('.notification-list-item-message').innerText(),
      /^Review Change with AI: not available in Restricted Mode, because it sends the specs to LM Studio and to the MCP servers you configured\. Trust this workspace to use it\.$/,
    );
    await notificationButton(toast, 'Manage Workspace Trust').waitFor({ timeout: 5_000 });
    assert.deepEqual(server.received, []);
  });

  it('starts the MCP server for agents once trust is granted, and the configured servers at the first AI use, without a reload', async () => {
    const { workbench, server } = current();
    const { page } = workbench;
    const toast = notificationToast(page, 'not available in Restricted Mode');
    await notificationButton(toast, 'Manage Workspace Trust').click();
    const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
    await trust.waitFor({ timeout: 15_000 });
    await trust.click();

    await waitForLog(/MCP server for agents at http:\/\/127\.0\.0\.1:\d+/, 'the MCP server for agents to listen');
    await page.locator(LM_STUDIO_ITEM, { hasText: 'LM Studio' }).waitFor({ timeout: 10_000 });
    // The status bar names the address it will ask; the probe below goes to the stand-in only once it does.
    await waitForStandInSettings(workbench, server);
    await openFile(page, PROPOSAL);
    await codeLensAbove(page, '## Why', 'Review with AI');
    // Trust alone is no AI use: the configured servers wait for one.
    assert.equal(existsSync(traces.settings) || existsSync(traces.mcpJson), false);

    await workbench.runCommand('OpenSpec: Focus on MCP Servers View');
    await waitFor(() => existsSync(traces.settings) && existsSync(traces.mcpJson), 'both MCP servers to start', 30_000);
    await waitFor(() => server.received.length > 0, 'the status bar to ask LM Studio', 30_000);
  });
});
