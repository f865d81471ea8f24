import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { copyFixtureWorkspace, type WorkspaceCopy } from '../../../harness/repoPaths';
import { MemoryFileSystem } from '../../../../src/core/fs/memoryFileSystem';
import { silentLogger } from '../../../../src/core/logger';
import { ANSWER_LIMIT_BYTES } from '../../../../src/core/mcp/server/toolResults';
import { applyPatch } from '../../ai/improve/applyPatch';
import { runCli } from '../../cli/builtCli';
import { callOk, callTool, CLI, connectInProcess, startStdioServer, textOf, type StdioSession } from './mcpTestClient';

/** `archive_change` of the built `openspec-loop mcp`, against `openspec-loop archive` on another copy. */

const CHANGE = 'add-note-tags';
const INVALID_CHANGE = 'expire-shared-links';
/** The archive folder's date is today's: runs either side of midnight compare alike with it replaced. */
const DATED = /\d{4}-\d{2}-\d{2}-(?=add-note-tags)/g;

interface Preview {
  archive: { change: string; archivedAs: string; specsUpdated: boolean; totals: Record<string, number> };
  preview: {
    move: { from: string; to: string };
    tasks: { completed: number; total: number };
    specs: Array<{ capability: string; file: string; action: string; unifiedDiff?: string }>;
  };
  truncated?: unknown;
}

interface Refusal {
  archive: null;
  root: { path: string };
  status: Array<{ severity: string; code: string; message: string; fix?: string }>;
}

/** Every file and folder below `dir`, each file's bytes as latin1 (one character per byte). */
function snapshot(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const absolute = join(entry.parentPath, entry.name);
    tree[relative(dir, absolute)] = entry.isDirectory() ? '<dir>' : readFileSync(absolute).toString('latin1');
  }
  return tree;
}

function undated(tree: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tree).map(([file, bytes]) => [file.replace(DATED, 'DATE-'), bytes]));
}

describe('archive_change over stdio', function () {
  this.timeout(30000);
  let readOnly: WorkspaceCopy;
  let writable: WorkspaceCopy;
  let byCli: WorkspaceCopy;
  let readOnlySession: StdioSession;
  let writableSession: StdioSession;
  let cliArchive: { stdout: string; code: number | null };
  let cliRefusal: Refusal;

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first`);
    readOnly = copyFixtureWorkspace('examples/sample-project');
    writable = copyFixtureWorkspace('examples/sample-project');
    byCli = copyFixtureWorkspace('examples/sample-project');
    const refused = await runCli(['archive', INVALID_CHANGE, '--yes', '--json'], byCli.path);
    assert.equal(refused.code, 1, refused.stderr);
    cliRefusal = JSON.parse(refused.stdout) as Refusal;
    cliArchive = await runCli(['archive', CHANGE, '--yes', '--json'], byCli.path);
    assert.equal(cliArchive.code, 0, cliArchive.stdout);
    [readOnlySession, writableSession] = await Promise.all([
      startStdioServer(readOnly.path),
      startStdioServer(writable.path, ['--allow-write']),
    ]);
  });

  after(async () => {
    await Promise.all([readOnlySession?.close(), writableSession?.close()]);
    for (const copy of [readOnly, writable, byCli]) copy?.dispose();
  });

  it('is listed as a destructive, non-idempotent tool with the four arguments', async () => {
    const { tools } = await readOnlySession.client.listTools();
    const tool = tools.find((candidate) => candidate.name === 'archive_change');
    assert.ok(tool, 'archive_change is not listed');
    assert.deepEqual(
      [tool.annotations?.destructiveHint, tool.annotations?.readOnlyHint, tool.annotations?.idempotentHint],
      [true, false, false],
    );
    assert.deepEqual(Object.keys(tool.inputSchema.properties ?? {}).sort(), [
      'change',
      'dryRun',
      'folder',
      'noValidate',
      'skipSpecs',
    ]);
    assert.match(tool.description ?? '', /--allow-write/);
  });

  it('previews with dryRun on a read-only server: the move and a diff per main spec, nothing written', async () => {
    const before = snapshot(readOnly.path);
    const result = await callOk<Preview>(readOnlySession.client, 'archive_change', { change: CHANGE, dryRun: true });
    assert.deepEqual(snapshot(readOnly.path), before);

    assert.match(result.archive.archivedAs, /^\d{4}-\d{2}-\d{2}-add-note-tags$/);
    assert.deepEqual(result.archive.totals, { added: 2, modified: 1, removed: 0, renamed: 0 });
    assert.deepEqual(result.preview.move, {
      from: `openspec/changes/${CHANGE}`,
      to: `openspec/changes/archive/${result.archive.archivedAs}`,
    });
    assert.deepEqual(
      result.preview.specs.map((spec) => [spec.capability, spec.file, spec.action]),
      [
        ['notes', 'openspec/specs/notes/spec.md', 'update'],
        ['tags', 'openspec/specs/tags/spec.md', 'create'],
      ],
    );
    assert.equal(result.truncated, undefined);
    // Each diff turns today's main spec into exactly what the CLI's archive wrote.
    for (const spec of result.preview.specs) {
      const diff = spec.unifiedDiff ?? '';
      const current = existsSync(join(readOnly.path, spec.file))
        ? readFileSync(join(readOnly.path, spec.file), 'utf8')
        : '';
      const header = spec.action === 'create' ? '--- /dev/null' : `--- a/${spec.file}`;
      assert.ok(diff.startsWith(`${header}\n+++ b/${spec.file}\n@@ `), diff);
      assert.equal(applyPatch(current, diff), readFileSync(join(byCli.path, spec.file), 'utf8'), spec.file);
    }
  });

  it('refuses to archive on a read-only server, says how to allow it, and changes nothing', async () => {
    const before = snapshot(readOnly.path);
    const result = await callTool(readOnlySession.client, 'archive_change', { change: CHANGE });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /started read-only.*--allow-write.*dryRun: true/);
    assert.deepEqual(snapshot(readOnly.path), before);
  });

  it("refuses a change that fails validation with the CLI's status, naming the tool's argument", async () => {
    const before = snapshot(writable.path);
    const result = await callTool(writableSession.client, 'archive_change', { change: INVALID_CHANGE });
    assert.equal(result.isError, true);
    const refusal = result.structuredContent as unknown as Refusal;
    assert.equal(refusal.archive, null);
    assert.deepEqual(refusal.status, cliRefusal.status);
    assert.equal(refusal.status[0]?.code, 'archive_validation_failed');
    assert.match(textOf(result), /^Validation failed for change 'expire-shared-links'\. Fix: .*noValidate: true/);
    assert.deepEqual(snapshot(writable.path), before);
  });

  it('archives with --allow-write exactly as openspec-loop archive --yes --json does, once', async () => {
    const result = await callOk(writableSession.client, 'archive_change', { change: CHANGE });
    const expected = cliArchive.stdout.split(byCli.path).join(writable.path);
    assert.deepEqual(
      JSON.parse(JSON.stringify(result).replace(DATED, 'DATE-')),
      JSON.parse(expected.replace(DATED, 'DATE-')),
    );
    assert.deepEqual(undated(snapshot(writable.path)), undated(snapshot(byCli.path)));

    const again = await callTool(writableSession.client, 'archive_change', { change: CHANGE });
    assert.equal(again.isError, true);
    assert.equal((again.structuredContent as unknown as Refusal).status[0]?.code, 'archive_change_not_found');
    assert.match(textOf(again), /Change 'add-note-tags' not found\. Available changes: expire-shared-links/);
  });
});

describe('archive_change dryRun within one answer', () => {
  /** A new capability whose one requirement carries about 110 KB of description: two fit in an answer, not three. */
  const bigDelta = (capability: string) =>
    [
      '## ADDED Requirements',
      `### Requirement: ${capability} everything`,
      `The system SHALL handle ${capability}.`,
      ...Array.from({ length: 2000 }, (_, line) => `Detail ${line} of ${capability}: the service keeps it in order.`),
      '',
      `#### Scenario: ${capability} handled`,
      '- **WHEN** it is used',
      '- **THEN** it works',
      '',
    ].join('\n');
  const capabilities = ['alpha', 'beta', 'gamma'];

  it('shows the diffs that fit, lists every spec, and names the ones whose diff was left out', async () => {
    const fs = new MemoryFileSystem({
      '/p/openspec/config.yaml': 'schema: spec-driven\n',
      '/p/openspec/changes/big/proposal.md': '# Big\n\n## Why\nBecause it is needed now.\n\n## What Changes\n- Big\n',
      ...Object.fromEntries(
        capabilities.map((capability) => [`/p/openspec/changes/big/specs/${capability}/spec.md`, bigDelta(capability)]),
      ),
    });
    const connection = await connectInProcess({
      folders: [{ name: 'p', root: '/p', fs }],
      allowWrite: false,
      logger: silentLogger,
      version: 'test',
    });
    try {
      const result = await callTool(connection.client, 'archive_change', { change: 'big', dryRun: true });
      assert.notEqual(result.isError, true, textOf(result));
      assert.ok(Buffer.byteLength(JSON.stringify(result.structuredContent)) <= ANSWER_LIMIT_BYTES);
      const preview = result.structuredContent as unknown as Preview & {
        truncated: { shown: number; total: number; message: string };
      };
      assert.deepEqual(
        preview.preview.specs.map((spec) => [spec.capability, spec.unifiedDiff !== undefined]),
        [
          ['alpha', true],
          ['beta', true],
          ['gamma', false],
        ],
      );
      assert.deepEqual([preview.truncated.shown, preview.truncated.total], [2, 3]);
      assert.match(preview.truncated.message, /diffs of 2 of 3 specs shown; left out: gamma\./);
      assert.equal(await fs.stat('/p/openspec/specs'), undefined);
      assert.equal(await fs.stat('/p/openspec/changes/big/proposal.md'), 'file');
      assert.equal(await fs.stat('/p/openspec/changes/archive'), undefined);
    } finally {
      await connection.close();
    }
  });
});
