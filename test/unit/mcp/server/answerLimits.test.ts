import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANSWER_LIMIT_BYTES } from '../../../../src/core/mcp/server/toolResults';
import { mainSpec } from '../../../bench/workspaceGenerator';
import { copyFixtureWorkspace, type WorkspaceCopy } from '../../../harness/repoPaths';
import { callTool, startStdioServer, textOf, type StdioSession } from './mcpTestClient';

/** A JSON-RPC message of an answer stays under this: both of its parts within the budget, with escaping. */
const MESSAGE_LIMIT_BYTES = 1024 * 1024;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

interface Truncated {
  shown: number;
  total: number;
  nextRequirement?: string;
  message: string;
  omitted?: Array<{ file: string; ask: string }>;
}

interface SpecPage {
  requirements?: Array<{ name: string; body: string }>;
  text?: string;
  truncated?: Truncated;
}

function write(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

/** A delta spec adding `count` requirements, about 300 bytes each. */
function addedDelta(count: number): string {
  const parts = ['## ADDED Requirements', ''];
  for (let index = 1; index <= count; index++) {
    parts.push(
      `### Requirement: Added ${index}`,
      `The system SHALL handle added case ${index}.`,
      '',
      '#### Scenario: Success',
      '- **WHEN** the user acts',
      '- **THEN** the system responds',
      '',
    );
  }
  return parts.join('\n');
}

/**
 * Answers of a project with specs of several MB, through the built CLI and the SDK client over stdio: every
 * answer within the documented budget, large specs paged by requirement, nothing said twice.
 */
describe('openspec-loop mcp: bounded answers, paged by requirement (built CLI, SDK client over stdio)', function () {
  this.timeout(120000);
  let workspace: WorkspaceCopy;
  let session: StdioSession;
  let specFile: string;

  /** A call that must succeed, checked against the budget before anything else. */
  async function answer<T>(name: string, args: Record<string, unknown>): Promise<T> {
    const result: CallToolResult = await callTool(session.client, name, args);
    assert.notEqual(result.isError, true, `${name} failed: ${textOf(result).slice(0, 500)}`);
    assert.ok(bytes(result.structuredContent) <= ANSWER_LIMIT_BYTES, `${name}: structured content over the budget`);
    assert.ok(Buffer.byteLength(textOf(result), 'utf8') <= ANSWER_LIMIT_BYTES, `${name}: text over the budget`);
    assert.ok(bytes(result) < MESSAGE_LIMIT_BYTES, `${name}: the message is ${bytes(result)} bytes`);
    return result.structuredContent as T;
  }

  /** Every page of get_spec (or get_change with delta), following truncated.nextRequirement. */
  async function pages(tool: string, args: Record<string, unknown>): Promise<SpecPage[]> {
    const seen: SpecPage[] = [];
    let from: string | undefined;
    do {
      const page: SpecPage = await answer(tool, { ...args, ...(from !== undefined ? { fromRequirement: from } : {}) });
      seen.push(page);
      from = page.truncated?.nextRequirement;
      assert.ok(seen.length < 200, 'paging ends');
    } while (from !== undefined);
    return seen;
  }

  before(async () => {
    workspace = copyFixtureWorkspace('examples/sample-project');
    const openspec = join(workspace.path, 'openspec');
    specFile = join(openspec, 'specs', 'huge', 'spec.md');
    write(specFile, mainSpec('huge', 15_000));
    write(
      join(openspec, 'specs', 'giant', 'spec.md'),
      [
        '# Giant Specification',
        '',
        '## Purpose',
        'One requirement of this spec is larger than a whole answer may be.',
        '',
        '## Requirements',
        '',
        '### Requirement: Small before',
        'The system SHALL be small.',
        '',
        '### Requirement: Enormous',
        `The system SHALL ${'say a great deal '.repeat(40_000)}`,
        '',
        '### Requirement: Small after',
        'The system SHALL be small again.',
        '',
      ].join('\n'),
    );
    const change = join(openspec, 'changes', 'huge-change');
    write(join(change, 'proposal.md'), '## Why\nA change too large for one answer.\n\n## What Changes\n- Much.\n');
    write(join(change, 'design.md'), `## Context\n${'Design notes go on and on. '.repeat(8_000)}\n`);
    write(join(change, 'tasks.md'), '## 1. Work\n- [ ] 1.1 Do it\n');
    write(join(change, 'specs', 'huge', 'spec.md'), addedDelta(6_000));
    write(join(change, 'specs', 'small', 'spec.md'), addedDelta(2));
    session = await startStdioServer(workspace.path);
  });

  after(async () => {
    await session.close();
    workspace.dispose();
  });

  it('pages a spec of several MB by requirement: each requirement once, in order, each page within the budget', async () => {
    const seen = await pages('get_spec', { capability: 'huge' });
    assert.ok(seen.length > 5, `${seen.length} pages`);
    const names = seen.flatMap((page) => page.requirements!.map((requirement) => requirement.name));
    assert.deepEqual(
      names,
      Array.from({ length: 15_000 }, (_, index) => `Requirement ${index + 1}`),
    );
    const first = seen[0]!.truncated!;
    assert.equal(first.total, 15_000);
    assert.equal(first.nextRequirement, `Requirement ${first.shown + 1}`);
    assert.match(
      first.message,
      new RegExp(
        `truncated: ${first.shown} of 15000 requirements.*get_spec again .*fromRequirement: "Requirement ${first.shown + 1}"`,
      ),
    );
    assert.equal(seen.at(-1)!.truncated, undefined, 'the last page says nothing is left');
    await session.client.ping();
  });

  it('a parsed page does not repeat the markdown: each requirement body occurs once', async () => {
    const page = await answer<SpecPage & Record<string, unknown>>('get_spec', { capability: 'huge' });
    assert.equal(page.text, undefined);
    const json = JSON.stringify(page);
    assert.equal(json.split('The system SHALL handle case 7 of huge.').length - 1, 1);
    assert.equal(json.includes('### Requirement:'), false, 'no raw markdown in the parsed view');
  });

  it('pages the markdown at requirement headers: the pages put together are the file', async () => {
    const seen = await pages('get_spec', { capability: 'huge', format: 'markdown' });
    assert.ok(seen.length > 5);
    assert.equal(seen.map((page) => page.text).join(''), readFileSync(specFile, 'utf8'));
    assert.match(seen[0]!.truncated!.message, /format: "markdown"/);
  });

  it('cuts a single requirement larger than the budget, marked, and pages on past it', async () => {
    const seen = await pages('get_spec', { capability: 'giant' });
    const shown = seen.flatMap((page) => page.requirements!);
    assert.deepEqual(
      shown.map((requirement) => requirement.name),
      ['Small before', 'Enormous', 'Small after'],
    );
    assert.match(shown[1]!.body, /\[truncated: \d+ of \d+ bytes shown\]$/);
  });

  it('get_change names the documents that do not fit, with the call that reads each', async () => {
    const change = await answer<{
      proposal?: unknown;
      tasks?: unknown;
      deltas: Array<{ capability: string }>;
      truncated: Truncated;
    }>('get_change', { change: 'huge-change' });
    assert.ok(change.proposal && change.tasks);
    assert.deepEqual(
      change.deltas.map((delta) => delta.capability),
      ['small'],
    );
    const omitted = change.truncated.omitted!;
    assert.deepEqual(
      omitted.map((entry) => entry.file),
      ['openspec/changes/huge-change/specs/huge/spec.md'],
    );
    assert.match(omitted[0]!.ask, /get_change with change: "huge-change", delta: "huge"/);
    assert.match(change.truncated.message, /truncated: 4 of 5 documents shown/);

    const seen = await pages('get_change', { change: 'huge-change', delta: 'huge' });
    const names = seen.flatMap((page) =>
      (page as { deltas: Array<{ sections: Array<{ requirements: Array<{ name: string }> }> }> }).deltas.flatMap(
        (delta) => delta.sections.flatMap((section) => section.requirements.map((requirement) => requirement.name)),
      ),
    );
    assert.deepEqual(
      names,
      Array.from({ length: 6_000 }, (_, index) => `Added ${index + 1}`),
    );
    assert.match(seen[0]!.truncated!.message, /delta: "huge" and fromRequirement: "Added \d+"/);
  });

  it('refuses fromRequirement that names no requirement, and fromRequirement without delta on get_change', async () => {
    const unknown = await callTool(session.client, 'get_spec', { capability: 'huge', fromRequirement: 'Nope' });
    assert.equal(unknown.isError, true);
    assert.match(textOf(unknown), /no requirement "Nope"/);
    const loose = await callTool(session.client, 'get_change', { change: 'huge-change', fromRequirement: 'Added 2' });
    assert.equal(loose.isError, true);
    assert.match(textOf(loose), /pass delta/);
    const long = await callTool(session.client, 'get_spec', { capability: 'huge', fromRequirement: 'r'.repeat(5000) });
    assert.equal(long.isError, true);
    assert.match(textOf(long), /4000/);
  });

  it('the prompts stay within the budget and name the files they left out', async () => {
    const review = await session.client.getPrompt({ name: 'review-change', arguments: { change: 'huge-change' } });
    const text = (review.messages[0]!.content as { text: string }).text;
    assert.ok(Buffer.byteLength(text, 'utf8') <= ANSWER_LIMIT_BYTES, `${Buffer.byteLength(text, 'utf8')} bytes`);
    assert.match(text, /<file path="openspec\/changes\/huge-change\/proposal.md">/);
    assert.match(text, /Left out to keep this prompt within 256 KiB.*specs\/small\/spec.md/);
    const write = await session.client.getPrompt({
      name: 'write-delta-spec',
      arguments: { change: 'huge-change', capability: 'huge', what: 'More' },
    });
    const writeText = (write.messages[0]!.content as { text: string }).text;
    assert.ok(Buffer.byteLength(writeText, 'utf8') <= ANSWER_LIMIT_BYTES);
    await session.client.ping();
  });
});

describe('openspec-loop mcp: listings within the budget (built CLI, SDK client over stdio)', function () {
  this.timeout(120000);
  let workspace: WorkspaceCopy;
  let session: StdioSession;

  before(async () => {
    workspace = copyFixtureWorkspace('examples/sample-project');
    for (let index = 0; index < 2500; index++) {
      const capability = `a-capability-with-a-rather-long-name-number-${String(index).padStart(5, '0')}`;
      write(join(workspace.path, 'openspec', 'specs', capability, 'spec.md'), mainSpec(capability, 1));
    }
    session = await startStdioServer(workspace.path);
  });

  after(async () => {
    await session.close();
    workspace.dispose();
  });

  it('list_specs shows what fits and says how many it left out', async () => {
    const result = await callTool(session.client, 'list_specs');
    assert.notEqual(result.isError, true, textOf(result).slice(0, 500));
    assert.ok(bytes(result.structuredContent) <= ANSWER_LIMIT_BYTES);
    const { specs, truncated } = result.structuredContent as { specs: unknown[]; truncated: Truncated };
    assert.equal(truncated.total, 2502);
    assert.equal(truncated.shown, specs.length);
    assert.match(truncated.message, new RegExp(`${specs.length} of 2502 specs shown, ${2502 - specs.length} left out`));
    assert.equal(textOf(result), JSON.stringify(result.structuredContent), 'the text is the same JSON, compact');
  });
});
