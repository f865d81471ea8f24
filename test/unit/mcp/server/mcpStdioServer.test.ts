import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { copyFixtureWorkspace, type WorkspaceCopy } from '../../../harness/repoPaths';
import { runCli } from '../../cli/builtCli';
import { callOk, callRefused, callTool, CLI, startStdioServer, textOf, type StdioSession } from './mcpTestClient';

/** The built `openspec-loop mcp` in a child process, driven by the SDK's own client over stdio. */
function withoutDurations(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, inner: unknown) => (key === 'durationMs' ? 0 : inner));
}

const TASKS = 'openspec/changes/add-note-tags/tasks.md';

interface ChangeView {
  path: string;
  proposal: { file: string; why: string; text?: string };
  design: { text: string };
  tasks: { total: number };
  deltas: Array<{ capability: string; sections: Array<{ requirements: Array<{ name: string; line: number }> }> }>;
}

describe('openspec-loop mcp over stdio (read-only)', function () {
  this.timeout(30000);
  let workspace: WorkspaceCopy;
  let session: StdioSession;

  before(async () => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run "node esbuild.mjs" first`);
    workspace = copyFixtureWorkspace('examples/sample-project');
    writeFileSync(
      join(workspace.path, '..', 'secret.md'),
      '# Outside\n### Requirement: Leak\nThe server SHALL leak.\n',
    );
    symlinkSync(
      join(workspace.path, '..', 'secret.md'),
      join(workspace.path, 'openspec', 'changes', 'add-note-tags', 'leak.md'),
    );
    // Port 1 refuses at once: the AI tools meet an LM Studio that is not there.
    session = await startStdioServer(workspace.path, ['--base-url', 'http://127.0.0.1:1/v1']);
  });

  after(async () => {
    await session.close();
    workspace.dispose();
  });

  it('offers every tool, each with a described input schema', async () => {
    const { tools } = await session.client.listTools();
    const names = tools.map((tool) => tool.name).sort();
    assert.deepEqual(names, [
      'archive_change',
      'ask',
      'get_change',
      'get_spec',
      'get_tasks',
      'list_changes',
      'list_specs',
      'propose_improvement',
      'review_change',
      'run_improvement_loop',
      'search_requirements',
      'set_task_status',
      'validate',
    ]);
    for (const tool of tools) {
      assert.ok(tool.description, tool.name);
      for (const [field, schema] of Object.entries(tool.inputSchema.properties ?? {})) {
        assert.ok((schema as { description?: string }).description, `${tool.name}.${field} has no description`);
      }
    }
  });

  it('list_changes lists the active changes with task progress', async () => {
    const { changes } = await callOk<{
      changes: Array<{ id: string; completedTasks: number; totalTasks: number; status: string; deltaCount: number }>;
    }>(session.client, 'list_changes');
    const byId = Object.fromEntries(changes.map((change) => [change.id, change]));
    assert.deepEqual(Object.keys(byId).sort(), ['add-note-tags', 'expire-shared-links']);
    assert.equal(byId['add-note-tags']!.completedTasks, 3);
    assert.equal(byId['add-note-tags']!.totalTasks, 6);
    assert.equal(byId['add-note-tags']!.status, 'in-progress');
    assert.equal(byId['add-note-tags']!.deltaCount, 2);
  });

  it('get_change returns parsed documents, or the markdown on request, and include narrows them', async () => {
    const change = await callOk<ChangeView>(session.client, 'get_change', { change: 'add-note-tags' });
    assert.equal(change.path, 'openspec/changes/add-note-tags');
    assert.equal(change.proposal.file, 'openspec/changes/add-note-tags/proposal.md');
    assert.match(change.proposal.why, /lost notes/);
    assert.equal(change.proposal.text, undefined, 'the parsed view does not repeat the markdown');
    assert.ok(change.design.text.length > 0, 'design.md, which has no parsed form, comes as its text');
    assert.equal(change.tasks.total, 6);
    const tags = change.deltas.find((delta) => delta.capability === 'tags')!;
    assert.deepEqual(
      tags.sections[0]!.requirements.map((requirement) => requirement.name),
      ['Tag a note', 'Filter by tag'],
    );
    assert.equal(tags.sections[0]!.requirements[0]!.line, 6);

    const narrow = await callOk<Record<string, unknown>>(session.client, 'get_change', {
      change: 'add-note-tags',
      include: ['tasks'],
    });
    assert.deepEqual(Object.keys(narrow).sort(), ['id', 'path', 'tasks']);

    const markdown = await callOk<ChangeView>(session.client, 'get_change', {
      change: 'add-note-tags',
      format: 'markdown',
    });
    assert.equal(markdown.proposal.text, readFileSync(join(workspace.path, change.proposal.file), 'utf8'));
  });

  it('list_specs and get_spec read nested capabilities', async () => {
    const { specs } = await callOk<{ specs: Array<{ id: string; requirementCount: number }> }>(
      session.client,
      'list_specs',
    );
    assert.deepEqual(
      specs.map((spec) => [spec.id, spec.requirementCount]),
      [
        ['notes', 3],
        ['sharing/links', 2],
      ],
    );
    const spec = await callOk<{
      file: string;
      text?: string;
      requirements: Array<{ name: string; scenarios: Array<{ name: string; text: string }> }>;
    }>(session.client, 'get_spec', { capability: 'sharing/links' });
    assert.equal(spec.file, 'openspec/specs/sharing/links/spec.md');
    assert.deepEqual(
      spec.requirements.map((requirement) => requirement.name),
      ['Share by link', 'Revoke a link'],
    );
    assert.match(spec.requirements[0]!.scenarios[0]!.text, /\*\*WHEN\*\*/, 'scenarios carry their steps');
    assert.equal(spec.text, undefined, 'the parsed view does not repeat the markdown');
    const markdown = await callOk<{ text: string }>(session.client, 'get_spec', {
      capability: 'sharing/links',
      format: 'markdown',
    });
    assert.equal(markdown.text, readFileSync(join(workspace.path, spec.file), 'utf8'));
  });

  it('search_requirements ranks name matches over body matches, across specs and deltas', async () => {
    const { hits } = await callOk<{ hits: Array<Record<string, unknown>> }>(session.client, 'search_requirements', {
      query: 'TAG',
    });
    assert.ok(hits.length >= 2);
    assert.equal(hits[0]!.source, 'delta');
    assert.ok(['Tag a note', 'Filter by tag'].includes(hits[0]!.requirement as string), JSON.stringify(hits[0]));
    const limited = await callOk<{ hits: unknown[] }>(session.client, 'search_requirements', {
      query: 'note',
      limit: 2,
    });
    assert.equal(limited.hits.length, 2);
    const specsOnly = await callOk<{ hits: Array<{ source: string }> }>(session.client, 'search_requirements', {
      query: 'link',
      source: 'specs',
    });
    assert.ok(specsOnly.hits.length > 0 && specsOnly.hits.every((hit) => hit.source === 'spec'));
    const none = await callOk<{ hits: unknown[] }>(session.client, 'search_requirements', { query: 'zebra quantum' });
    assert.deepEqual(none.hits, []);
  });

  it('validate returns the JSON of `openspec-loop validate --all --json`', async () => {
    const fromTool = await callOk(session.client, 'validate');
    const cli = await runCli(['validate', '--all', '--json'], workspace.path);
    assert.deepEqual(withoutDurations(fromTool), withoutDurations(JSON.parse(cli.stdout)));
    const one = await callOk<{ items: Array<{ id: string }> }>(session.client, 'validate', {
      items: ['add-note-tags'],
      strict: true,
    });
    assert.deepEqual(
      one.items.map((item) => item.id),
      ['add-note-tags'],
    );
    const unknown = await callRefused(session.client, 'validate', { items: ['no-such-item'] });
    assert.match(unknown, /"code":"unknown_item"/);
  });

  it('get_tasks lists tasks with 1-based lines; set_task_status is refused without --allow-write', async () => {
    const tasks = await callOk<{ tasks: Array<{ id?: string; line: number; done: boolean }> }>(
      session.client,
      'get_tasks',
      { change: 'add-note-tags' },
    );
    assert.deepEqual(tasks.tasks[3], {
      id: '2.2',
      text: 'Filter the list endpoint by tag',
      done: false,
      line: 9,
      group: 'API',
    });
    const before = readFileSync(join(workspace.path, TASKS));
    const message = await callRefused(session.client, 'set_task_status', {
      change: 'add-note-tags',
      id: '2.2',
      done: true,
    });
    assert.match(message, /--allow-write/);
    assert.deepEqual(readFileSync(join(workspace.path, TASKS)), before);
  });

  it('resources list every change document and spec, and read them', async () => {
    const { resources } = await session.client.listResources();
    const uris = resources.map((resource) => resource.uri);
    for (const uri of [
      'openspec://changes/add-note-tags/proposal.md',
      'openspec://changes/add-note-tags/design.md',
      'openspec://changes/add-note-tags/tasks.md',
      'openspec://changes/add-note-tags/specs/tags/spec.md',
      'openspec://specs/sharing/links/spec.md',
      'openspec://specs/notes/spec.md',
    ]) {
      assert.ok(uris.includes(uri), `${uri} not listed`);
    }
    assert.ok(resources.every((resource) => resource.mimeType === 'text/markdown'));
    const spec = await session.client.readResource({ uri: 'openspec://specs/sharing/links/spec.md' });
    assert.equal(
      (spec.contents[0] as { text: string }).text,
      readFileSync(join(workspace.path, 'openspec/specs/sharing/links/spec.md'), 'utf8'),
    );
    const delta = await session.client.readResource({ uri: 'openspec://changes/add-note-tags/specs/tags/spec.md' });
    assert.match((delta.contents[0] as { text: string }).text, /### Requirement: Tag a note/);
  });

  it('prompts review-change and write-delta-spec embed the change', async () => {
    const { prompts } = await session.client.listPrompts();
    assert.deepEqual(prompts.map((prompt) => prompt.name).sort(), ['review-change', 'write-delta-spec']);
    const review = await session.client.getPrompt({ name: 'review-change', arguments: { change: 'add-note-tags' } });
    const reviewText = (review.messages[0]!.content as { text: string }).text;
    assert.ok(reviewText.includes('<file path="openspec/changes/add-note-tags/proposal.md">'));
    const write = await session.client.getPrompt({
      name: 'write-delta-spec',
      arguments: { change: 'add-note-tags', capability: 'notes', what: 'Notes can be pinned' },
    });
    const writeText = (write.messages[0]!.content as { text: string }).text;
    assert.ok(writeText.includes('openspec/changes/add-note-tags/specs/notes/spec.md'));
    assert.ok(writeText.includes('<file path="openspec/specs/notes/spec.md">'));
  });

  it('refuses paths and ids that leave openspec/, by text or through a symlink', async () => {
    assert.match(await callRefused(session.client, 'get_change', { change: '../specs' }), /\.\./);
    assert.match(await callRefused(session.client, 'get_spec', { capability: '../../../etc' }), /\.\./);
    assert.match(await callRefused(session.client, 'get_spec', { capability: '/etc/passwd' }), /absolute/);
    assert.match(await callRefused(session.client, 'get_spec', { capability: 'notes\\..\\..' }), /backslash/);
    assert.match(await callRefused(session.client, 'get_tasks', { change: 'add-note-tags\u0000' }), /NUL/);
    assert.match(
      await callRefused(session.client, 'propose_improvement', { change: 'add-note-tags', file: '../../../secret.md' }),
      /\.\./,
    );
    assert.match(
      await callRefused(session.client, 'propose_improvement', { change: 'add-note-tags', file: '/etc/passwd' }),
      /absolute/,
    );
    assert.match(
      await callRefused(session.client, 'propose_improvement', { change: 'add-note-tags', file: 'leak.md' }),
      /symbolic link/,
    );
    await assert.rejects(
      session.client.readResource({ uri: 'openspec://changes/add-note-tags/leak.md' }),
      /symbolic link/,
    );
    // URL parsing folds %2e%2e segments before any handler sees them: the result names nothing that exists.
    await assert.rejects(
      session.client.readResource({ uri: 'openspec://changes/add-note-tags/%2e%2e/%2e%2e/%2e%2e/secret.md' }),
      /not found/,
    );
    await assert.rejects(session.client.readResource({ uri: 'openspec://specs/..%2F..%2Fsecret/spec.md' }), /\.\./);
  });

  it('answers malformed arguments with a tool error and keeps serving', async () => {
    const missing = await callTool(session.client, 'get_change', {});
    assert.equal(missing.isError, true);
    const wrongType = await callTool(session.client, 'search_requirements', { query: 42, limit: 'many' });
    assert.equal(wrongType.isError, true, textOf(wrongType));
    const unknownChange = await callRefused(session.client, 'get_change', { change: 'nope' });
    assert.match(unknownChange, /No change "nope".*add-note-tags/);
    assert.match(textOf(await callTool(session.client, 'no_such_tool')), /not found/);
    const { changes } = await callOk<{ changes: unknown[] }>(session.client, 'list_changes');
    assert.equal(changes.length, 2);
  });

  it('refuses bad prompt and resource arguments as invalid params, saying "MCP error -32602:" once', async () => {
    const refusals = [
      session.client.getPrompt({ name: 'review-change', arguments: { change: 'nope' } }),
      session.client.getPrompt({
        name: 'write-delta-spec',
        arguments: { change: 'add-note-tags', capability: 'x'.repeat(2000), what: 'tags' },
      }),
      session.client.readResource({ uri: 'openspec://changes/nope/proposal.md' }),
    ];
    const errors = await Promise.all(
      refusals.map((refused) =>
        refused.then(
          () => assert.fail('answered instead of refusing'),
          (reason: unknown) => reason as { code?: number; message: string },
        ),
      ),
    );
    for (const error of errors) {
      assert.equal(error.code, -32602, error.message);
      assert.match(error.message, /^MCP error -32602: (?!MCP error)/);
    }
    assert.match(errors[0]!.message, /No change "nope".*add-note-tags/);
    assert.match(errors[1]!.message, /at most|<=1024/);
    const { changes } = await callOk<{ changes: unknown[] }>(session.client, 'list_changes');
    assert.equal(changes.length, 2);
  });

  it('answers the AI tools with a tool error when LM Studio cannot be reached', async () => {
    const message = await callRefused(session.client, 'ask', { question: 'What is a note?' });
    assert.match(message, /LM Studio/);
    assert.equal(session.stderr(), '');
  });
});

describe('openspec-loop mcp --allow-write', function () {
  this.timeout(30000);
  let workspace: WorkspaceCopy;
  let session: StdioSession;

  before(async () => {
    workspace = copyFixtureWorkspace('examples/sample-project');
    session = await startStdioServer(workspace.path, ['--allow-write', '--verbose']);
  });

  after(async () => {
    await session.close();
    workspace.dispose();
  });

  it('set_task_status checks a task on disk, changing only its checkbox', async () => {
    const file = join(workspace.path, TASKS);
    const before = readFileSync(file, 'utf8');
    const result = await callOk<Record<string, unknown>>(session.client, 'set_task_status', {
      change: 'add-note-tags',
      line: 9,
      done: true,
    });
    assert.deepEqual(result, {
      change: 'add-note-tags',
      file: TASKS,
      line: 9,
      id: '2.2',
      text: 'Filter the list endpoint by tag',
      done: true,
      outcome: 'toggled',
    });
    assert.equal(readFileSync(file, 'utf8'), before.replace('- [ ] 2.2', '- [x] 2.2'));
    const again = await callOk<{ outcome: string }>(session.client, 'set_task_status', {
      change: 'add-note-tags',
      id: '2.2',
      done: true,
    });
    assert.equal(again.outcome, 'unchanged');
    const undo = await callOk<{ outcome: string }>(session.client, 'set_task_status', {
      change: 'add-note-tags',
      id: '2.2',
      done: false,
    });
    assert.equal(undo.outcome, 'toggled');
    assert.equal(readFileSync(file, 'utf8'), before);
    const list = await callOk<{ changes: Array<{ id: string; completedTasks: number }> }>(
      session.client,
      'list_changes',
    );
    assert.equal(list.changes.find((change) => change.id === 'add-note-tags')!.completedTasks, 3);
  });

  it('refuses a line that holds no task, and a line/id mismatch, writing nothing', async () => {
    const file = join(workspace.path, TASKS);
    const before = readFileSync(file);
    assert.match(
      await callRefused(session.client, 'set_task_status', { change: 'add-note-tags', line: 1, done: true }),
      /no task on line 1/,
    );
    assert.match(
      await callRefused(session.client, 'set_task_status', { change: 'add-note-tags', line: 9, id: '1.1', done: true }),
      /not 1\.1/,
    );
    assert.deepEqual(readFileSync(file), before);
  });

  it('logs each call to stderr with --verbose, and nothing else reaches stdout', async () => {
    await callOk(session.client, 'list_specs');
    assert.match(session.stderr(), /MCP list_specs: ok in \d+ ms/);
  });
});

/** A change whose tasks.md holds `count` open tasks, numbered 1.1 to 1.<count>. */
function writeManyTasks(workspace: string, change: string, count: number): string {
  const folder = join(workspace, 'openspec', 'changes', change);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'proposal.md'), '# Many tasks\n\n## Why\nTo check tasks in parallel.\n');
  const lines = Array.from({ length: count }, (_, index) => `- [ ] 1.${index + 1} Task number ${index + 1}`);
  const file = join(folder, 'tasks.md');
  writeFileSync(file, `## 1. Work\n\n${lines.join('\n')}\n`);
  return file;
}

/** Sets tasks 1.1 to 1.<count> done, all at once, and says which calls answered success. */
async function checkAllAtOnce(session: StdioSession, change: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, index) => `1.${index + 1}`);
  const results = await Promise.all(
    ids.map((id) => callTool(session.client, 'set_task_status', { change, id, done: true })),
  );
  return ids.filter((_, index) => results[index]!.isError !== true);
}

function checkedIds(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^- \[x\] (\S+)/gm)].map((match) => match[1]!);
}

describe('openspec-loop mcp --allow-write under parallel calls and links', function () {
  this.timeout(60000);
  let workspace: WorkspaceCopy;
  let session: StdioSession;

  before(async () => {
    workspace = copyFixtureWorkspace('examples/sample-project');
    session = await startStdioServer(workspace.path, ['--allow-write']);
  });

  after(async () => {
    await session.close();
    workspace.dispose();
  });

  for (const count of [4, 100]) {
    it(`${count} parallel set_task_status calls on tasks of one tasks.md all land, as each answered`, async () => {
      const file = writeManyTasks(workspace.path, `check-${count}-tasks`, count);
      const answeredSuccess = await checkAllAtOnce(session, `check-${count}-tasks`, count);
      assert.deepEqual(checkedIds(file).sort(), answeredSuccess.sort(), 'a call answered success for a lost write');
      assert.equal(answeredSuccess.length, count, "calls on different tasks do not stand in each other's way");
    });
  }

  it('writes through a tasks.md that is a link inside openspec/: the link stays, its target changes', async () => {
    const openspec = join(workspace.path, 'openspec');
    const link = join(openspec, 'changes', 'add-note-tags', 'tasks.md');
    const target = join(openspec, 'task-lists', 'add-note-tags.md');
    mkdirSync(join(openspec, 'task-lists'));
    renameSync(link, target);
    symlinkSync(join('..', '..', 'task-lists', 'add-note-tags.md'), link);
    const before = readFileSync(target, 'utf8');
    const result = await callOk<{ outcome: string }>(session.client, 'set_task_status', {
      change: 'add-note-tags',
      id: '3.1',
      done: true,
    });
    assert.equal(result.outcome, 'toggled');
    assert.ok(lstatSync(link).isSymbolicLink(), 'tasks.md is still a link');
    assert.equal(readFileSync(target, 'utf8'), before.replace('- [ ] 3.1', '- [x] 3.1'));
    assert.deepEqual(readdirSync(join(openspec, 'task-lists')), ['add-note-tags.md'], 'no temporary file is left');
  });
});

describe('openspec-loop mcp process lifetime', function () {
  this.timeout(30000);
  let workspace: WorkspaceCopy;

  before(() => (workspace = copyFixtureWorkspace('basic')));
  after(() => workspace.dispose());

  /** Starts the server, waits until it says it serves, stops it with `stop`, and reports how it ended. */
  function exitOf(stop: (child: ReturnType<typeof spawn>) => void): Promise<{ code: number | null; stdout: string }> {
    const child = spawn(process.execPath, [CLI, 'mcp', '--workspace', workspace.path, '--verbose'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => {
      const ready = !stderr.includes('on stdio');
      stderr += chunk.toString('utf8');
      if (ready && stderr.includes('on stdio')) stop(child);
    });
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout })));
  }

  it('exits 0 when stdin closes, having written nothing to stdout', async () => {
    assert.deepEqual(await exitOf((child) => child.stdin!.end()), { code: 0, stdout: '' });
  });

  it('exits 0 on SIGTERM', async () => {
    assert.deepEqual(await exitOf((child) => child.kill('SIGTERM')), { code: 0, stdout: '' });
  });

  it('exits 1 with a message when there is no openspec/ folder', async () => {
    const run = await runCli(['mcp', '--workspace', join(workspace.path, '..')], workspace.path);
    assert.equal(run.code, 1);
  });
});
