import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { copyFixtureWorkspace, type WorkspaceCopy } from '../../../harness/repoPaths';
import { makeUnreadable, permissionCheckedLauncher } from '../../../harness/unreadableFolder';
import { LmStudioStandIn, type RecordedChatRequest, type StandInReply } from '../../../lmstudio/standIn';
import { callOk, callRefused, callTool, startStdioServer, textOf, type StdioSession } from './mcpTestClient';

/**
 * The built `openspec-loop mcp` over stdio on a project whose files, change folders and spec folders are
 * symbolic links leading out of openspec/: no tool, prompt or resource may answer with what lies behind
 * them, nor send it to the model; links that stay inside openspec/ keep working.
 */
const MARKER = 'QUOKKA-OUTSIDE-7F3A';

const OUTSIDE_FILES: Record<string, string> = {
  'design.md': `# Design ${MARKER}\n\n## Context\nThe ${MARKER} design.\n`,
  'proposal.md': `# Title ${MARKER}\n\n## Why\nBecause ${MARKER} says so, at length enough to count.\n`,
  'tasks.md': `## 1. Leak\n- [x] 1.1 ${MARKER} one\n- [ ] 1.2 ${MARKER} two\n- [ ] 1.3 ${MARKER} three\n`,
  'specs/notes/spec.md': delta(`${MARKER} delta`),
  'change/proposal.md': `# Change ${MARKER}\n\n## Why\nA whole change folder from ${MARKER}.\n`,
  'change/tasks.md': `- [x] 1.1 ${MARKER}\n`,
  'change/specs/notes/spec.md': delta(`${MARKER} change delta`),
  'cap/spec.md': `# Cap\n\n## Purpose\nThe ${MARKER} capability, described at length enough.\n\n## Requirements\n${requirement(`${MARKER} main`)}`,
};

function requirement(name: string): string {
  return `### Requirement: ${name}\nThe system SHALL keep ${name}.\n\n#### Scenario: Kept\n- **WHEN** asked\n- **THEN** it is kept\n`;
}

function delta(name: string): string {
  return `## ADDED Requirements\n\n${requirement(name)}`;
}

/** The sample project with every kind of link out of openspec/, and one link that stays inside. */
function linkedProject(): { workspace: WorkspaceCopy; openspec: string } {
  const workspace = copyFixtureWorkspace('examples/sample-project');
  const outside = join(workspace.path, '..', 'outside');
  for (const [file, text] of Object.entries(OUTSIDE_FILES)) {
    mkdirSync(dirname(join(outside, file)), { recursive: true });
    writeFileSync(join(outside, file), text);
  }
  const openspec = join(workspace.path, 'openspec');
  const link = (target: string, at: string) => {
    rmSync(join(openspec, at), { recursive: true, force: true });
    mkdirSync(dirname(join(openspec, at)), { recursive: true });
    symlinkSync(target, join(openspec, at));
  };
  // A file of a change, and a change's whole specs/ folder.
  link(join(outside, 'design.md'), 'changes/add-note-tags/design.md');
  link(join(outside, 'specs'), 'changes/expire-shared-links/specs');
  // A change whose proposal and tasks lead outside, and whose design is a link that stays inside.
  link(join(outside, 'proposal.md'), 'changes/linked-docs/proposal.md');
  link(join(outside, 'tasks.md'), 'changes/linked-docs/tasks.md');
  link('../add-note-tags/proposal.md', 'changes/linked-docs/design.md');
  // A whole change folder, a spec folder, and a spec file.
  link(join(outside, 'change'), 'changes/linked-change');
  link(join(outside, 'cap'), 'specs/linked-cap');
  link(join(outside, 'cap', 'spec.md'), 'specs/leaked/spec.md');
  return { workspace, openspec };
}

function assertClean(what: string, value: unknown): void {
  const text = JSON.stringify(value);
  assert.ok(!text.includes(MARKER), `${what} carries text from outside openspec/: ${text.slice(0, 2000)}`);
}

describe('openspec-loop mcp reads only inside openspec/', function () {
  this.timeout(60000);
  let workspace: WorkspaceCopy;
  let openspec: string;
  let session: StdioSession;

  before(async () => {
    ({ workspace, openspec } = linkedProject());
    session = await startStdioServer(workspace.path, ['--base-url', 'http://127.0.0.1:1/v1']);
  });

  after(async () => {
    await session.close();
    workspace.dispose();
  });

  it('list_changes shows what is inside and names each link leading out as unreadable', async () => {
    const listed = await callOk<{
      changes: Array<{ id: string; title?: string; totalTasks: number; deltaCount: number }>;
      unreadable: Array<{ path: string; reason: string }>;
    }>(session.client, 'list_changes');
    assertClean('list_changes', listed);
    assert.deepEqual(listed.changes.map((change) => change.id).sort(), [
      'add-note-tags',
      'expire-shared-links',
      'linked-docs',
    ]);
    const linkedDocs = listed.changes.find((change) => change.id === 'linked-docs')!;
    assert.equal(linkedDocs.title, undefined);
    assert.equal(linkedDocs.totalTasks, 0);
    assert.equal(listed.changes.find((change) => change.id === 'expire-shared-links')!.deltaCount, 0);
    assert.deepEqual(
      listed.unreadable.map((entry) => entry.path),
      [
        'openspec/changes/add-note-tags/design.md',
        'openspec/changes/expire-shared-links/specs',
        'openspec/changes/linked-docs/proposal.md',
        'openspec/changes/linked-docs/tasks.md',
      ],
    );
    for (const entry of listed.unreadable) assert.match(entry.reason, /symbolic link leading outside openspec\//);
  });

  it('get_change and get_tasks answer without the linked text; a link inside openspec/ is read', async () => {
    for (const change of ['add-note-tags', 'expire-shared-links', 'linked-docs']) {
      assertClean(`get_change ${change}`, await callOk(session.client, 'get_change', { change }));
    }
    const linkedDocs = await callOk<{ design: { text: string }; unreadable: Array<{ path: string }> }>(
      session.client,
      'get_change',
      { change: 'linked-docs' },
    );
    assert.equal(
      linkedDocs.design.text,
      readFileSync(join(openspec, 'changes', 'add-note-tags', 'proposal.md'), 'utf8'),
    );
    assert.deepEqual(
      linkedDocs.unreadable.map((entry) => entry.path),
      ['openspec/changes/linked-docs/proposal.md', 'openspec/changes/linked-docs/tasks.md'],
    );
    assert.match(
      await callRefused(session.client, 'get_tasks', { change: 'linked-docs' }),
      /tasks\.md cannot be read: a symbolic link leading outside openspec\//,
    );
    assert.match(await callRefused(session.client, 'get_change', { change: 'linked-change' }), /No change/);
    assert.match(await callRefused(session.client, 'get_tasks', { change: 'linked-change' }), /No change/);
  });

  it('list_specs, get_spec and search_requirements see none of the linked specs, and every spec inside', async () => {
    const { specs } = await callOk<{ specs: Array<{ id: string }> }>(session.client, 'list_specs');
    assert.deepEqual(
      specs.map((spec) => spec.id),
      ['notes', 'sharing/links'],
    );
    assertClean('list_specs', specs);
    for (const capability of ['linked-cap', 'leaked'])
      assert.match(await callRefused(session.client, 'get_spec', { capability }), /No spec/);
    for (const source of ['all', 'specs', 'changes']) {
      const found = await callOk<{ hits: unknown[] }>(session.client, 'search_requirements', {
        query: 'QUOKKA',
        source,
      });
      assert.deepEqual(found.hits, [], `source ${source}`);
      assertClean(`search_requirements ${source}`, found);
    }
    const tags = await callOk<{ hits: unknown[] }>(session.client, 'search_requirements', { query: 'tag' });
    assert.ok(tags.hits.length > 0);
  });

  it('validate answers without the linked text', async () => {
    const result = await callTool(session.client, 'validate');
    assertClean('validate', result);
    assert.ok(textOf(result).includes('"add-note-tags"'), textOf(result));
  });

  it('resources list and read only what is inside; a link leading out is refused by name', async () => {
    const { resources } = await session.client.listResources();
    assertClean('resources/list', resources);
    const uris = resources.map((resource) => resource.uri);
    assert.ok(uris.includes('openspec://changes/linked-docs/design.md'), uris.join('\n'));
    assert.ok(!uris.some((uri) => uri.includes('linked-change') || uri.includes('linked-cap')), uris.join('\n'));
    for (const uri of uris) assertClean(uri, await session.client.readResource({ uri }));
    for (const uri of [
      'openspec://changes/add-note-tags/design.md',
      'openspec://changes/linked-docs/proposal.md',
      'openspec://changes/expire-shared-links/specs/notes/spec.md',
    ]) {
      await assert.rejects(session.client.readResource({ uri }), /symbolic link/, uri);
    }
    for (const uri of ['openspec://specs/linked-cap/spec.md', 'openspec://specs/leaked/spec.md'])
      await assert.rejects(session.client.readResource({ uri }), /No spec/, uri);
  });

  it('prompts embed the documents inside and nothing behind a link', async () => {
    for (const change of ['add-note-tags', 'expire-shared-links', 'linked-docs']) {
      const review = await session.client.getPrompt({ name: 'review-change', arguments: { change } });
      assertClean(`review-change ${change}`, review);
    }
    const review = await session.client.getPrompt({ name: 'review-change', arguments: { change: 'add-note-tags' } });
    assert.ok(JSON.stringify(review).includes('openspec/changes/add-note-tags/proposal.md'));
    for (const [change, capability] of [
      ['expire-shared-links', 'notes'],
      ['add-note-tags', 'linked-cap'],
      ['add-note-tags', 'leaked'],
    ] as const) {
      const written = await session.client.getPrompt({
        name: 'write-delta-spec',
        arguments: { change, capability, what: 'Notes can be pinned' },
      });
      assertClean(`write-delta-spec ${change} ${capability}`, written);
    }
  });
});

describe('openspec-loop mcp sends the model nothing from outside openspec/', function () {
  this.timeout(60000);
  let workspace: WorkspaceCopy;
  let standIn: LmStudioStandIn;
  let session: StdioSession;

  before(async () => {
    ({ workspace } = linkedProject());
    standIn = await LmStudioStandIn.start();
    standIn.setReplyHandler(replyFor);
    session = await startStdioServer(workspace.path, ['--base-url', standIn.baseUrl]);
  });

  after(async () => {
    await session.close();
    await standIn.close();
    workspace.dispose();
  });

  it('review_change, propose_improvement, ask and run_improvement_loop', async () => {
    const question = `What is ${MARKER}?`;
    const results = {
      review: await Promise.all(
        ['add-note-tags', 'expire-shared-links', 'linked-docs'].map((change) =>
          callTool(session.client, 'review_change', { change }),
        ),
      ),
      propose: await callTool(session.client, 'propose_improvement', { change: 'add-note-tags', file: 'proposal.md' }),
      ask: await callTool(session.client, 'ask', { question }),
      loop: await callTool(session.client, 'run_improvement_loop', { change: 'add-note-tags' }),
      loopOfLinkedSpecs: await callTool(session.client, 'run_improvement_loop', { change: 'expire-shared-links' }),
    };
    // The question itself names the marker: nothing else the model was sent may.
    const sent = standIn.requests.map((request) =>
      request.messages.map((message) => message.content.replace(question, '')),
    );
    assertClean('what the model was sent', sent);
    assert.ok(standIn.requests.length >= 6, `${standIn.requests.length} model requests`);
    assert.ok(JSON.stringify(sent).includes('openspec/changes/add-note-tags/proposal.md'));

    for (const review of results.review) assert.notEqual(review.isError, true, textOf(review));
    assert.notEqual(results.loop.isError, true, textOf(results.loop));
    assertClean('answers', { ...results, ask: { ...results.ask, structuredContent: {} } });
    const asked = results.ask.structuredContent as { answer: string; sources: string[] };
    assert.ok(asked.sources.includes('openspec/specs/notes/spec.md'), JSON.stringify(asked.sources));
    assertClean('ask sources', asked.sources);
    // Validation, part of the loop, refuses a change whose specs/ folder leads outside, as it would an unreadable one.
    assert.match(textOf(results.loopOfLinkedSpecs), /specs leads outside .* through a symbolic link; refused/);
  });
});

/** An answer of the right shape for each kind of request the server makes. */
function replyFor(request: RecordedChatRequest): StandInReply {
  switch (request.response_format?.json_schema?.name) {
    case 'openspec_review':
      return JSON.stringify({ findings: [] });
    case 'openspec_answer':
      return JSON.stringify({ answer: 'The files shown do not say.', citations: [] });
    case 'openspec_improvement':
      return JSON.stringify({ summary: 'Nothing to change.', document: 'unchanged' });
    default:
      return '{}';
  }
}

describe('openspec-loop mcp with a change folder it may not read', function () {
  this.timeout(60000);
  let workspace: WorkspaceCopy;
  let restore: () => void;
  let session: StdioSession;

  before(async () => {
    workspace = copyFixtureWorkspace('examples/sample-project');
    const locked = join(workspace.path, 'openspec', 'changes', 'locked-change');
    cpSync(join(workspace.path, 'openspec', 'changes', 'expire-shared-links'), locked, { recursive: true });
    restore = makeUnreadable(locked);
    session = await startStdioServer(
      workspace.path,
      ['--base-url', 'http://127.0.0.1:1/v1'],
      permissionCheckedLauncher(),
    );
  });

  after(async () => {
    await session.close();
    restore();
    workspace.dispose();
  });

  it('list_changes serves the other changes and names the folder with the reason', async () => {
    const listed = await callOk<{
      changes: Array<{ id: string }>;
      unreadable: Array<{ path: string; reason: string }>;
    }>(session.client, 'list_changes');
    assert.deepEqual(listed.changes.map((change) => change.id).sort(), ['add-note-tags', 'expire-shared-links']);
    assert.deepEqual(listed.unreadable, [
      { path: 'openspec/changes/locked-change', reason: 'permission denied (EACCES)' },
    ]);
  });

  it('get_change, get_tasks and review-change of it refuse, saying why', async () => {
    for (const tool of ['get_change', 'get_tasks', 'review_change']) {
      assert.match(
        await callRefused(session.client, tool, { change: 'locked-change' }),
        /Change "locked-change" cannot be read: openspec\/changes\/locked-change gives permission denied \(EACCES\)/,
        tool,
      );
    }
    await assert.rejects(
      session.client.getPrompt({ name: 'review-change', arguments: { change: 'locked-change' } }),
      /cannot be read/,
    );
  });

  it('every other read tool, prompt and resource goes on serving', async () => {
    const change = await callOk<{ proposal: { file: string } }>(session.client, 'get_change', {
      change: 'add-note-tags',
    });
    assert.equal(change.proposal.file, 'openspec/changes/add-note-tags/proposal.md');
    const { specs } = await callOk<{ specs: unknown[] }>(session.client, 'list_specs');
    assert.equal(specs.length, 2);
    const found = await callOk<{ hits: unknown[] }>(session.client, 'search_requirements', { query: 'tag' });
    assert.ok(found.hits.length > 0);
    const validated = await callTool(session.client, 'validate');
    assert.ok(textOf(validated).includes('"add-note-tags"'), textOf(validated));
    const { resources } = await session.client.listResources();
    assert.ok(resources.some((resource) => resource.uri === 'openspec://changes/add-note-tags/tasks.md'));
    const review = await session.client.getPrompt({ name: 'review-change', arguments: { change: 'add-note-tags' } });
    assert.ok(JSON.stringify(review).includes('openspec/changes/add-note-tags/proposal.md'));
  });
});
