import * as assert from 'node:assert/strict';
import type { ChatModel } from '../../../../src/core/ai/chatModel';
import { isLlmError } from '../../../../src/core/ai/llmError';
import { PromptTooLargeError } from '../../../../src/core/ai/prompt/packPrompt';
import { reviewChange } from '../../../../src/core/ai/review/reviewChange';
import type { LmStudioStandIn } from '../../../lmstudio/standIn';
import { standInReplies } from '../../../lmstudio/standInReplies';
import { SAMPLE_ROOT, sampleProjectFs } from '../prompt/sampleWorkspace';
import { LinesLogger, promptText, startModel } from './standInModel';

const FINDINGS = {
  findings: [
    {
      severity: 'warning',
      category: 'ambiguity',
      file: 'openspec/changes/expire-shared-links/specs/sharing/links/spec.md',
      requirement: 'Expiry choice',
      message: '"quickly" is not measurable, and the requirement has no SHALL.',
      suggestion: 'The system SHALL let the owner choose 1, 7 or 30 days.',
    },
    {
      severity: 'error',
      category: 'missing-scenario',
      file: 'changes/expire-shared-links/specs/sharing/links/spec.md',
      line: 11,
      message: 'Expiry choice has no scenario.',
    },
    {
      severity: 'info',
      category: 'coverage',
      file: 'tasks.md',
      line: null,
      requirement: null,
      message: 'No task migrates existing links to a 90-day expiry.',
      suggestion: null,
    },
    {
      severity: 'warning',
      category: 'scope',
      file: 'openspec/specs/notes/spec.md',
      line: 3,
      message: 'Not part of this change.',
    },
  ],
};

describe('reviewChange over the LM Studio stand-in', () => {
  let server: LmStudioStandIn;
  let model: ChatModel;

  afterEach(async () => server.close());

  it('returns the findings anchored to files and lines of the change', async () => {
    ({ server, model } = await startModel());
    server.enqueueReply(JSON.stringify(FINDINGS));
    const logger = new LinesLogger();
    const result = await reviewChange(model, sampleProjectFs(), SAMPLE_ROOT, 'expire-shared-links', { logger });
    assert.equal(result.change, 'expire-shared-links');
    assert.equal(result.model, 'qwen2.5-7b-instruct');
    assert.equal(result.repaired, false);
    assert.deepEqual(result.trimmed, []);
    const delta = 'openspec/changes/expire-shared-links/specs/sharing/links/spec.md';
    assert.deepEqual(result.findings, [
      { ...FINDINGS.findings[0], file: delta, line: 10 },
      { ...FINDINGS.findings[1], file: delta },
      {
        severity: 'info',
        category: 'coverage',
        file: 'openspec/changes/expire-shared-links/tasks.md',
        message: 'No task migrates existing links to a 90-day expiry.',
      },
    ]);
    assert.deepEqual(
      result.discarded.map((entry) => entry.finding.file),
      ['openspec/specs/notes/spec.md'],
    );
    assert.ok(logger.lines.some((line) => line.startsWith('warn Review finding set aside')));
  });

  it('sends the change, config.yaml rules, the touched main spec and the lessons, asking for JSON', async () => {
    ({ server, model } = await startModel());
    server.enqueueReply('{"findings":[]}');
    const lessons = ['Flag every requirement that lacks a failure scenario.'];
    const result = await reviewChange(model, sampleProjectFs(), SAMPLE_ROOT, 'add-note-tags', { lessons });
    assert.deepEqual(result.findings, []);
    const request = server.requests[0];
    assert.equal(request?.response_format?.json_schema?.name, 'openspec_review');
    assert.equal(request?.messages[0]?.role, 'system');
    assert.match(
      request?.messages[0]?.content ?? '',
      /precise reviewer of OpenSpec changes[\s\S]*Lessons from earlier reviews of this project; follow them:\n- Flag every requirement that lacks a failure scenario\.\n\nAnswer with exactly one JSON object/,
    );
    const prompt = promptText(request);
    assert.match(prompt, /Rules for specs:\n- Every requirement has a failure scenario\./);
    assert.match(prompt, /Project context:\nNotes is a web app/);
    assert.match(prompt, /<file path="openspec\/specs\/notes\/spec.md" lines="1-39">\n1: # notes Specification/);
    assert.match(prompt, /<file path="openspec\/changes\/add-note-tags\/specs\/tags\/spec.md"/);
    assert.match(prompt, /<file path="openspec\/changes\/add-note-tags\/design.md"/);
    assert.doesNotMatch(prompt, /sharing\/links/);
    assert.match(
      request?.messages.at(-1)?.content ?? '',
      /Review the change "add-note-tags" above\. Answer with the JSON object of findings\.$/,
    );
    assert.ok((request?.max_tokens ?? 0) >= 1024);
  });

  it('reads findings after a <think> preamble and repairs a broken first answer', async () => {
    ({ server, model } = await startModel());
    server.enqueueReply(
      standInReplies.invalidJson,
      standInReplies.withThink('Let me look at the deltas.', JSON.stringify(FINDINGS)),
    );
    const result = await reviewChange(model, sampleProjectFs(), SAMPLE_ROOT, 'expire-shared-links');
    assert.equal(result.repaired, true);
    assert.equal(result.findings.length, 3);
  });

  it('retries once with a smaller prompt when LM Studio says the prompt does not fit', async () => {
    ({ server, model } = await startModel({ models: [{ id: 'small', loaded: true, contextLength: 8192 }] }));
    server.injectFault({ kind: 'contextOverflow', variant: 'sseError', promptTokens: 9000, contextLength: 4096 });
    server.setReplyHandler(() => '{"findings":[]}');
    const logger = new LinesLogger();
    const result = await reviewChange(model, sampleProjectFs(), SAMPLE_ROOT, 'add-note-tags', { logger });
    assert.equal(server.requests.length, 2);
    assert.ok(promptText(server.requests[1]).length < promptText(server.requests[0]).length);
    assert.ok(result.trimmed.length > 0);
    assert.match(
      result.trimmed.map((note) => note.message).join('\n'),
      /The main spec openspec\/specs\/notes\/spec.md was (shortened|left out)/,
    );
    assert.ok(logger.lines.some((line) => line.startsWith('warn The prompt did not fit')));
  });

  it('fails with contextOverflow before sending anything when not even the proposal fits', async () => {
    ({ server, model } = await startModel({ models: [{ id: 'tiny', loaded: true, contextLength: 1200 }] }));
    await assert.rejects(reviewChange(model, sampleProjectFs(), SAMPLE_ROOT, 'add-note-tags'), (error: unknown) => {
      assert.ok(isLlmError(error) && error instanceof PromptTooLargeError);
      assert.equal(error.reason, 'contextOverflow');
      assert.equal(error.details.contextLength, 1200);
      assert.match(error.hint, /lms load tiny --context-length \d+/);
      return true;
    });
    assert.equal(server.requests.length, 0);
  });
});
