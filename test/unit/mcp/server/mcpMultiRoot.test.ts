import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { MemoryFileSystem } from '../../../../src/core/fs/memoryFileSystem';
import { silentLogger } from '../../../../src/core/logger';
import { uniqueFolderNames } from '../../../../src/core/mcp/server/openSpecMcpServer';
import { MemoryFileWriter } from '../../../../src/core/fs/memoryFileWriter';
import { copyFixtureWorkspace, type WorkspaceCopy } from '../../../harness/repoPaths';
import { callOk, callRefused, CLI, connectInProcess, startStdioServer, type StdioSession } from './mcpTestClient';

const requirement = (name: string, body: string) =>
  `### Requirement: ${name}\nThe system SHALL ${body}.\n\n#### Scenario: ${name} works\n- **WHEN** it is used\n- **THEN** it works\n`;
const spec = (capability: string, requirements: string) =>
  `# ${capability} Specification\n\n## Purpose\nEverything about ${capability}, described for every kind of user of the service.\n\n## Requirements\n${requirements}`;
const change = (title: string, delta: string) => ({
  proposal: `# ${title}\n\n## Why\nBecause it is needed.\n\n## What Changes\n- ${title}\n`,
  tasks: `## 1. Build\n\n- [ ] 1.1 ${title}\n`,
  delta: `## ADDED Requirements\n${delta}`,
});
const changeFiles = (root: string, id: string, capability: string, parts: ReturnType<typeof change>) => ({
  [`${root}/openspec/changes/${id}/proposal.md`]: parts.proposal,
  [`${root}/openspec/changes/${id}/tasks.md`]: parts.tasks,
  [`${root}/openspec/changes/${id}/specs/${capability}/spec.md`]: parts.delta,
});

/** Two projects of one workspace: each has changes of its own, and both have a change `tidy-up` and a spec `auth`. */
const files = {
  '/ws/alpha/openspec/config.yaml': 'schema: spec-driven\n',
  '/ws/alpha/openspec/specs/auth/spec.md': spec('auth', requirement('Session timeout', 'end idle sessions')),
  ...changeFiles('/ws/alpha', 'add-mfa', 'auth', change('Add MFA', requirement('Second factor', 'ask for a code'))),
  ...changeFiles('/ws/alpha', 'tidy-up', 'auth', change('Tidy alpha', requirement('Alpha tidy', 'stay tidy'))),
  '/ws/beta/openspec/config.yaml': 'schema: spec-driven\n',
  '/ws/beta/openspec/specs/auth/spec.md': spec('auth', requirement('Password rules', 'refuse short passwords')),
  '/ws/beta/openspec/specs/export/spec.md': spec('export', requirement('Export notes', 'export notes as CSV')),
  ...changeFiles('/ws/beta', 'add-export-zip', 'export', change('Add ZIP', requirement('Export as ZIP', 'zip notes'))),
  ...changeFiles('/ws/beta', 'tidy-up', 'export', change('Tidy beta', requirement('Beta tidy', 'stay tidy'))),
};

interface Listed {
  folder?: string;
  id: string;
}

describe('MCP server over several workspace folders', () => {
  let fs: MemoryFileSystem;
  let connection: { client: Client; close(): Promise<void> };
  let client: Client;

  beforeEach(async () => {
    fs = new MemoryFileSystem(files);
    connection = await connectInProcess({
      folders: [
        { name: 'alpha', root: '/ws/alpha', fs },
        { name: 'beta', root: '/ws/beta', fs },
      ],
      allowWrite: true,
      logger: silentLogger,
      writer: new MemoryFileWriter(fs),
      version: 'test',
    });
    client = connection.client;
  });

  afterEach(() => connection.close());

  it('lists the changes and specs of every folder, each naming its folder; folder narrows a listing', async () => {
    const { changes } = await callOk<{ changes: Listed[] }>(client, 'list_changes');
    assert.deepEqual(changes.map((entry) => `${entry.folder}:${entry.id}`).sort(), [
      'alpha:add-mfa',
      'alpha:tidy-up',
      'beta:add-export-zip',
      'beta:tidy-up',
    ]);
    const { specs } = await callOk<{ specs: Listed[] }>(client, 'list_specs');
    assert.deepEqual(
      specs.map((entry) => `${entry.folder}:${entry.id}`),
      ['alpha:auth', 'beta:auth', 'beta:export'],
    );
    const narrowed = await callOk<{ changes: Listed[] }>(client, 'list_changes', { folder: 'beta' });
    assert.deepEqual(narrowed.changes.map((entry) => entry.id).sort(), ['add-export-zip', 'tidy-up']);
    assert.match(
      await callRefused(client, 'list_changes', { folder: 'gamma' }),
      /No folder "gamma"\. Folders: alpha, beta\./,
    );
  });

  it("answers for a change of the second folder from that folder's files", async () => {
    const answer = await callOk<{ folder: string; path: string; proposal: { title: string } }>(client, 'get_change', {
      change: 'add-export-zip',
    });
    assert.deepEqual(
      [answer.folder, answer.path, answer.proposal.title],
      ['beta', 'openspec/changes/add-export-zip', 'Add ZIP'],
    );
    const tasks = await callOk<{ folder: string; total: number }>(client, 'get_tasks', { change: 'add-export-zip' });
    assert.deepEqual([tasks.folder, tasks.total], ['beta', 1]);
  });

  it('refuses an id that several folders hold, naming them, and answers once the folder is given', async () => {
    assert.match(
      await callRefused(client, 'get_change', { change: 'tidy-up' }),
      /The change "tidy-up" is in 2 folders: alpha, beta\. Pass folder to name one\./,
    );
    assert.match(
      await callRefused(client, 'get_spec', { capability: 'auth' }),
      /spec "auth" is in 2 folders: alpha, beta/,
    );
    const beta = await callOk<{ folder: string; proposal: { title: string } }>(client, 'get_change', {
      change: 'tidy-up',
      folder: 'beta',
    });
    assert.deepEqual([beta.folder, beta.proposal.title], ['beta', 'Tidy beta']);
    const alphaAuth = await callOk<{ folder: string; requirements: Array<{ name: string }> }>(client, 'get_spec', {
      capability: 'auth',
      folder: 'alpha',
    });
    assert.deepEqual(
      alphaAuth.requirements.map((entry) => entry.name),
      ['Session timeout'],
    );
    assert.match(
      await callRefused(client, 'get_change', { change: 'no-such-change' }),
      /No change "no-such-change" under openspec\/changes\/ of any folder\. alpha: Changes: add-mfa, tidy-up\. beta: Changes: add-export-zip, tidy-up\./,
    );
  });

  it("writes a task of the second folder's change into that folder's tasks.md only", async () => {
    const result = await callOk<{ folder: string; outcome: string }>(client, 'set_task_status', {
      change: 'tidy-up',
      folder: 'beta',
      id: '1.1',
      done: true,
    });
    assert.deepEqual([result.folder, result.outcome], ['beta', 'toggled']);
    assert.match(await fs.readFile('/ws/beta/openspec/changes/tidy-up/tasks.md'), /- \[x\] 1\.1/);
    assert.match(await fs.readFile('/ws/alpha/openspec/changes/tidy-up/tasks.md'), /- \[ \] 1\.1/);
  });

  it('archives a change into the folder holding it, and asks for the folder of an id both hold', async () => {
    const { folder, archive } = await callOk<{ folder: string; archive: { path: string } }>(client, 'archive_change', {
      change: 'add-export-zip',
    });
    assert.equal(folder, 'beta');
    assert.match(archive.path, /^\/ws\/beta\/openspec\/changes\/archive\/\d{4}-\d{2}-\d{2}-add-export-zip$/);
    assert.match(await fs.readFile(`${archive.path}/proposal.md`), /# Add ZIP/);
    assert.match(await fs.readFile('/ws/beta/openspec/specs/export/spec.md'), /### Requirement: Export as ZIP/);
    assert.equal(await fs.stat('/ws/beta/openspec/changes/add-export-zip'), undefined);
    assert.match(
      await callRefused(client, 'archive_change', { change: 'tidy-up', dryRun: true }),
      /The change "tidy-up" is in 2 folders: alpha, beta\. Pass folder to name one\./,
    );
  });

  it('searches every folder and names the folder of each hit', async () => {
    const { hits } = await callOk<{ hits: Array<{ folder: string; requirement: string }> }>(
      client,
      'search_requirements',
      { query: 'tidy' },
    );
    assert.deepEqual(hits.map((hit) => `${hit.folder}:${hit.requirement}`).sort(), [
      'alpha:Alpha tidy',
      'beta:Beta tidy',
    ]);
  });

  it('validates every folder, a named item in the folder holding it, and refuses an ambiguous one', async () => {
    const all = await callOk<{ folders: Array<{ folder: string; items: Array<{ id: string }> }> }>(client, 'validate');
    assert.deepEqual(
      all.folders.map((run) => [run.folder, run.items.map((item) => item.id).sort()]),
      [
        ['alpha', ['add-mfa', 'auth', 'tidy-up']],
        ['beta', ['add-export-zip', 'auth', 'export', 'tidy-up']],
      ],
    );
    const one = await callOk<{ folder: string; items: Array<{ id: string; valid: boolean }> }>(client, 'validate', {
      items: ['add-export-zip'],
    });
    assert.deepEqual([one.folder, one.items.map((item) => item.id)], ['beta', ['add-export-zip']]);
    assert.match(
      await callRefused(client, 'validate', { items: ['tidy-up'] }),
      /"tidy-up" is in 2 folders: alpha, beta/,
    );
    const scoped = await callOk<{ folder: string; items: Array<{ id: string }> }>(client, 'validate', {
      items: ['tidy-up'],
      folder: 'alpha',
    });
    assert.deepEqual([scoped.folder, scoped.items.map((item) => item.id)], ['alpha', ['tidy-up']]);
  });

  it('lists resources under their folder and reads them; the short form reads an id only one folder holds', async () => {
    const { resources } = await client.listResources();
    const uris = resources.map((resource) => resource.uri);
    assert.ok(uris.includes('openspec://folders/beta/changes/add-export-zip/proposal.md'), uris.join('\n'));
    assert.ok(uris.includes('openspec://folders/alpha/specs/auth/spec.md'), uris.join('\n'));
    assert.ok(!uris.some((uri) => uri.startsWith('openspec://changes/')), 'no unprefixed URIs are listed');
    const textOf = async (uri: string) => {
      const { contents } = await client.readResource({ uri });
      return (contents[0] as { text: string }).text;
    };
    assert.match(await textOf('openspec://folders/beta/changes/tidy-up/proposal.md'), /# Tidy beta/);
    assert.match(await textOf('openspec://changes/add-export-zip/proposal.md'), /# Add ZIP/);
    await assert.rejects(client.readResource({ uri: 'openspec://changes/tidy-up/proposal.md' }), /alpha, beta/);
  });

  it('asks which folder a question is about, and builds prompts from the folder named', async () => {
    assert.match(
      await callRefused(client, 'ask', { question: 'What does tidy mean?' }),
      /serves several folders: alpha, beta\. Pass folder/,
    );
    assert.match(await callRefused(client, 'ask', { question: 'What is MFA?', folder: 'alpha' }), /not configured/);
    const prompt = await client.getPrompt({ name: 'review-change', arguments: { change: 'tidy-up', folder: 'alpha' } });
    const text = (prompt.messages[0]?.content as { text: string }).text;
    assert.match(text, /# Tidy alpha/);
    assert.doesNotMatch(text, /Tidy beta/);
  });

  it('names folders that share a name apart', () => {
    assert.deepEqual(uniqueFolderNames(['app', 'docs', 'app', 'app (2)', 'app']), [
      'app',
      'docs',
      'app (2)',
      'app (2) (2)',
      'app (3)',
    ]);
  });
});

describe('openspec-loop mcp with several --workspace folders', function () {
  this.timeout(30000);
  let sample: WorkspaceCopy;
  let basic: WorkspaceCopy;
  let session: StdioSession;

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first`);
    sample = copyFixtureWorkspace('examples/sample-project');
    basic = copyFixtureWorkspace('basic');
    session = await startStdioServer(sample.path, ['--workspace', basic.path, '--allow-write']);
  });

  after(async () => {
    await session.close();
    sample.dispose();
    basic.dispose();
  });

  it('serves every project given, each change naming its folder, and writes into the right one', async () => {
    const { changes } = await callOk<{ changes: Listed[] }>(session.client, 'list_changes');
    assert.deepEqual(changes.map((entry) => `${entry.folder}:${entry.id}`).sort(), [
      'basic:add-farewell',
      'sample-project:add-note-tags',
      'sample-project:expire-shared-links',
    ]);
    const tasksFile = join(basic.path, 'openspec/changes/add-farewell/tasks.md');
    const before = readFileSync(tasksFile, 'utf8');
    const line = before.split('\n').findIndex((text) => text.startsWith('- [ ]'));
    assert.ok(line >= 0);
    const result = await callOk<{ folder: string; outcome: string }>(session.client, 'set_task_status', {
      change: 'add-farewell',
      line: line + 1,
      done: true,
    });
    assert.deepEqual([result.folder, result.outcome], ['basic', 'toggled']);
    assert.match(readFileSync(tasksFile, 'utf8').split('\n')[line] ?? '', /^- \[x\]/);
  });
});
