import * as assert from 'node:assert/strict';
import { copyFixtureWorkspace, type WorkspaceCopy } from '../../../harness/repoPaths';
import { callOk, callTool, startStdioServer, textOf, type StdioSession } from './mcpTestClient';

/**
 * Arguments past their bound are refused before any work starts, naming the bound: a long name cannot stall
 * the server in the "Did you mean" search, and a long description is not echoed back into a prompt.
 */
describe('openspec-loop mcp: bounded arguments (built CLI, SDK client over stdio)', function () {
  this.timeout(30000);
  let workspace: WorkspaceCopy;
  let session: StdioSession;

  before(async () => {
    workspace = copyFixtureWorkspace('examples/sample-project');
    session = await startStdioServer(workspace.path);
  });

  after(async () => {
    await session.close();
    workspace.dispose();
  });

  it('refuses a 100 KB item name for validate, says which bound, and keeps serving', async () => {
    const result = await callTool(session.client, 'validate', { items: ['x'.repeat(100_000)] });
    assert.equal(result.isError, true, textOf(result));
    assert.match(textOf(result), /1024/);
    await session.client.ping();
    const { changes } = await callOk<{ changes: unknown[] }>(session.client, 'list_changes');
    assert.ok(changes.length > 0);
  });

  it('still suggests the nearest names for an unknown item of ordinary length', async () => {
    const result = await callTool(session.client, 'validate', { items: ['add-note-tag'] });
    assert.match(textOf(result), /Did you mean: add-note-tags/);
  });

  it('refuses a change id longer than any folder name', async () => {
    const result = await callTool(session.client, 'get_change', { change: 'c'.repeat(256) });
    assert.equal(result.isError, true, textOf(result));
    assert.match(textOf(result), /255/);
  });

  it('refuses a 5 MB description for the write-delta-spec prompt instead of echoing it', async () => {
    const what = 'w'.repeat(5 * 1024 * 1024);
    await assert.rejects(
      session.client.getPrompt({
        name: 'write-delta-spec',
        arguments: { change: 'add-note-tags', capability: 'notes', what },
      }),
      (error: Error) => /4000/.test(error.message) && error.message.length < 10_000,
    );
  });
});
