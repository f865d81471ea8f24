import * as assert from 'node:assert/strict';
import type { DirectoryEntry } from '../../../../src/core/fs/fileSystem';
import { MemoryFileSystem } from '../../../../src/core/fs/memoryFileSystem';
import { silentLogger } from '../../../../src/core/logger';
import { createToolContext } from '../../../../src/core/mcp/server/toolContext';
import { waitFor } from '../../../harness/poll';

const ROOT = '/project';
const CHANGES = '/project/openspec/changes';
const PROPOSAL = '/project/openspec/changes/add-mfa/proposal.md';
const DELTA = '/project/openspec/changes/add-mfa/specs/auth/spec.md';

/**
 * The project in memory, with a gate: while it is closed, reading the delta spec (the last file a scan reads)
 * waits, so a scan can be held in the middle. Counts scans (listings of changes/) and remembers what was read.
 */
class HeldFileSystem extends MemoryFileSystem {
  scans = 0;
  readonly reads: string[] = [];
  private open: (() => void) | undefined;
  private gate: Promise<void> | undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.gate = undefined;
    this.open?.();
  }

  override async readFile(file: string): Promise<string> {
    this.reads.push(file);
    if (file === DELTA && this.gate) await this.gate;
    return super.readFile(file);
  }

  override async readDirectory(directory: string): Promise<DirectoryEntry[]> {
    if (directory === CHANGES) this.scans++;
    return super.readDirectory(directory);
  }
}

function project(): HeldFileSystem {
  const fs = new HeldFileSystem();
  fs.writeFile(PROPOSAL, '# Add MFA\n\n## Why\nPasswords leak.\n');
  fs.writeFile(DELTA, '## ADDED Requirements\n');
  return fs;
}

/** The one folder the server serves, as its handlers read it. */
function context(fs: HeldFileSystem) {
  const tools = createToolContext({
    folders: [{ name: 'project', fs, root: ROOT }],
    allowWrite: false,
    logger: silentLogger,
    version: 'test',
  });
  return tools.single(undefined);
}

describe('MCP server scans shared between concurrent calls', () => {
  it('calls made while a scan runs share the next one: two scans for fifty calls', async () => {
    const fs = project();
    const tools = context(fs);
    fs.hold();
    const first = tools.scan();
    await waitFor(() => fs.reads.includes(DELTA), 'the first scan to reach the held delta');
    const waiting = Array.from({ length: 50 }, () => tools.scan());
    fs.release();
    const [answered, ...others] = await Promise.all([first, ...waiting]);
    assert.equal(fs.scans, 2);
    assert.ok(others.every((workspace) => workspace === others[0]));
    assert.equal(answered.changes[0]!.proposal!.title, 'Add MFA');
  });

  it('a call made after an edit sees the edit, even while a scan that read the old text is running', async () => {
    const fs = project();
    const tools = context(fs);
    fs.hold();
    const stale = tools.scan();
    await waitFor(() => fs.reads.includes(DELTA) && fs.reads.includes(PROPOSAL), 'the first scan to read the proposal');
    fs.writeFile(PROPOSAL, '# Add MFA and passkeys\n\n## Why\nPasswords leak.\n');
    const fresh = tools.scan();
    fs.release();
    assert.equal((await stale).changes[0]!.proposal!.title, 'Add MFA');
    assert.equal((await fresh).changes[0]!.proposal!.title, 'Add MFA and passkeys');
  });

  it('a call after a scan finished starts a new one', async () => {
    const fs = project();
    const tools = context(fs);
    await tools.scan();
    fs.writeFile(PROPOSAL, '# Renamed\n');
    assert.equal((await tools.scan()).changes[0]!.proposal!.title, 'Renamed');
    assert.equal(fs.scans, 2);
  });
});
