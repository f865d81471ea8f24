import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { connectLmStudio, normalizeLmStudioSettings } from '../../../../src/core/ai/transport/lmStudio';
import { NodeFileSystem, toPosix } from '../../../../src/node/nodeFileSystem';
import { copyFixtureWorkspace, type WorkspaceCopy } from '../../../harness/repoPaths';
import { RecordingLogger } from '../../../harness/recordingLogger';
import { LmStudioStandIn } from '../../../lmstudio/standIn';
import { callOk, connectInProcess, startStdioServer, type StdioSession } from './mcpTestClient';
import { farewellFinding, improvedFarewellRequirement } from '../../ai/farewellReplies';

const DELTA = 'openspec/changes/add-farewell/specs/greeting/spec.md';
const SPEC = 'openspec/specs/greeting/spec.md';

const finding = farewellFinding;
const improvedRequirement = improvedFarewellRequirement;

describe('openspec-loop mcp AI tools against the LM Studio stand-in', function () {
  this.timeout(30000);
  let server: LmStudioStandIn;
  let workspace: WorkspaceCopy;
  let session: StdioSession;

  before(async () => {
    server = await LmStudioStandIn.start();
    workspace = copyFixtureWorkspace('basic');
    session = await startStdioServer(workspace.path, ['--base-url', server.baseUrl]);
  });

  after(async () => {
    await session.close();
    await server.close();
    workspace.dispose();
  });

  it('review_change returns anchored findings and sends progress notifications', async () => {
    server.enqueueReply(JSON.stringify({ findings: [finding] }));
    const progress: Progress[] = [];
    const result = await session.client.callTool(
      { name: 'review_change', arguments: { change: 'add-farewell' } },
      undefined,
      {
        onprogress: (update) => progress.push(update),
      },
    );
    assert.notEqual(result.isError, true, JSON.stringify(result.content));
    const value = result.structuredContent as {
      change: string;
      model: string;
      findings: Array<Record<string, unknown>>;
    };
    assert.equal(value.change, 'add-farewell');
    assert.equal(value.model, 'qwen2.5-7b-instruct');
    assert.deepEqual(value.findings, [
      {
        severity: 'warning',
        category: 'ambiguity',
        file: DELTA,
        line: 2,
        message: finding.message,
        suggestion: finding.suggestion,
      },
    ]);
    assert.ok(progress.length >= 1, 'no progress notification');
    assert.match(progress[0]!.message ?? '', /Reviewing add-farewell/);
  });

  it('propose_improvement returns the new text and a unified diff, and leaves the file byte-identical', async () => {
    const file = join(workspace.path, DELTA);
    const before = readFileSync(file);
    server.enqueueReply(
      JSON.stringify({ summary: 'Named the events that end a session.', requirement: improvedRequirement }),
    );
    const value = await callOk<{
      file: string;
      changed: boolean;
      newErrors: unknown[];
      proposedText: string;
      unifiedDiff: string;
    }>(session.client, 'propose_improvement', {
      change: 'add-farewell',
      file: 'specs/greeting/spec.md',
      requirement: 'Say farewell',
    });
    assert.equal(value.file, DELTA);
    assert.equal(value.changed, true);
    assert.deepEqual(value.newErrors, []);
    assert.equal(value.proposedText, `## ADDED Requirements\n${improvedRequirement}\n`);
    const lines = value.unifiedDiff.split('\n');
    assert.equal(lines[0], `--- a/${DELTA}`);
    assert.ok(lines.includes('-The service SHALL say goodbye by name when a session ends.'));
    assert.ok(
      lines.includes('+The service SHALL say goodbye by name when the user logs out or the session times out.'),
    );
    assert.deepEqual(readFileSync(file), before);
  });

  it('ask answers from the specs it was shown and keeps only citations of those files', async () => {
    server.enqueueReply(
      JSON.stringify({
        answer: 'The service greets a known user by name.',
        citations: [
          { file: SPEC, requirement: 'Greet by name' },
          { file: '/etc/passwd', requirement: null },
        ],
      }),
    );
    const value = await callOk<{ answer: string; citations: unknown[]; sources: string[] }>(session.client, 'ask', {
      question: 'How does the service greet a user?',
    });
    assert.equal(value.answer, 'The service greets a known user by name.');
    assert.deepEqual(value.citations, [{ file: SPEC, requirement: 'Greet by name' }]);
    assert.ok(value.sources.includes(SPEC) && value.sources.includes(DELTA), JSON.stringify(value.sources));
    const prompt = server.requests[server.requests.length - 1]!.messages.map((message) => message.content).join('\n');
    assert.ok(prompt.includes(`<file path="${SPEC}">`));
    assert.ok(prompt.includes('Question: How does the service greet a user?'));
  });
});

describe('MCP AI tool cancellation (in process)', function () {
  this.timeout(30000);
  let server: LmStudioStandIn;
  let workspace: WorkspaceCopy;

  beforeEach(async () => {
    server = await LmStudioStandIn.start();
    workspace = copyFixtureWorkspace('basic');
  });

  afterEach(async () => {
    await server.close();
    workspace.dispose();
  });

  it('an aborted review_change stops the model request and is logged as cancelled', async () => {
    const logger = new RecordingLogger();
    const settings = normalizeLmStudioSettings({ baseUrl: server.baseUrl, maxRetries: 0 });
    const fs = new NodeFileSystem();
    const connection = await connectInProcess({
      folders: [{ name: 'workspace', fs, root: await fs.realPath(toPosix(workspace.path)) }],
      allowWrite: false,
      logger,
      connectModel: (signal) =>
        connectLmStudio(settings, { logger, progressIntervalMs: 20, ...(signal ? { signal } : {}) }),
      version: 'test',
    });
    try {
      server.injectFault({ kind: 'stall' });
      const controller = new AbortController();
      const call = connection.client.callTool(
        { name: 'review_change', arguments: { change: 'add-farewell' } },
        undefined,
        {
          signal: controller.signal,
          onprogress: () => controller.abort(),
        },
      );
      await assert.rejects(call, /abort/i);
      await waitFor(() => logger.lines.some((line) => line.includes('MCP review_change: cancelled')), logger);
      assert.ok(server.requests.length <= 1, 'a cancelled request must not be retried');
    } finally {
      await connection.close();
    }
  });
});

async function waitFor(condition: () => boolean, logger: RecordingLogger, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out; log:\n${logger.text()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
