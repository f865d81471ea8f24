import * as assert from 'node:assert/strict';
import type { ChatModel } from '../../../../src/core/ai/chatModel';
import { improveDocument } from '../../../../src/core/ai/improve/improveDocument';
import { sha256 } from '../../../../src/core/hash';
import { ImproveTargetError } from '../../../../src/core/ai/improve/improveTarget';
import { unifiedDiff } from '../../../../src/core/ai/improve/unifiedDiff';
import { isLlmError } from '../../../../src/core/ai/llmError';
import type { LmStudioStandIn } from '../../../lmstudio/standIn';
import { SAMPLE_ROOT, sampleProjectFs } from '../prompt/sampleWorkspace';
import { promptText, startModel } from '../review/standInModel';

const LINKS_DELTA = `${SAMPLE_ROOT}/openspec/changes/expire-shared-links/specs/sharing/links/spec.md`;
const BETTER_CHOICE = [
  '### Requirement: Expiry choice',
  'The system SHALL let the owner choose that a link expires after 1, 7 or 30 days.',
  '',
  '#### Scenario: Owner picks 7 days',
  '- **WHEN** the owner shares a note and picks 7 days',
  '- **THEN** the link stops working 7 days later',
].join('\n');

const answer = (field: 'document' | 'requirement', text: string, summary = 'Made it testable.') =>
  JSON.stringify({ summary, [field]: text });

describe('improveDocument over the LM Studio stand-in', () => {
  let server: LmStudioStandIn;
  let model: ChatModel;

  beforeEach(async () => {
    ({ server, model } = await startModel());
  });
  afterEach(async () => server.close());

  it('rewrites one requirement, splices it in place and validates the result', async () => {
    const fs = sampleProjectFs();
    const base = await fs.readFile(LINKS_DELTA);
    server.enqueueReply(answer('requirement', `## ADDED Requirements\n\n${BETTER_CHOICE}\n`));
    const proposal = await improveDocument(model, fs, SAMPLE_ROOT, {
      changeId: 'expire-shared-links',
      file: 'specs/sharing/links/spec.md',
      requirement: 'Expiry choice',
      findings: [
        {
          severity: 'error',
          category: 'missing-scenario',
          file: 'openspec/changes/expire-shared-links/specs/sharing/links/spec.md',
          line: 11,
          message: 'No scenario.',
        },
      ],
    });
    assert.equal(proposal.file, 'openspec/changes/expire-shared-links/specs/sharing/links/spec.md');
    assert.equal(proposal.absolutePath, LINKS_DELTA);
    assert.equal(proposal.requirement, 'Expiry choice');
    assert.equal(proposal.baseText, base);
    assert.equal(proposal.baseHash, sha256(base));
    assert.equal(
      proposal.proposedText,
      base.slice(0, base.indexOf('### Requirement: Expiry choice')) + BETTER_CHOICE + '\n',
    );
    assert.equal(proposal.summary, 'Made it testable.');
    assert.equal(proposal.changed, true);
    assert.deepEqual(proposal.validation.newErrors, []);
    assert.ok(
      proposal.validation.before.some(
        (issue) => issue.level === 'ERROR' && /must include at least one scenario/.test(issue.message),
      ),
    );
    assert.deepEqual(proposal.validation.after, []);

    const request = server.requests[0];
    assert.equal(request?.response_format?.json_schema?.name, 'openspec_improvement');
    const task = request?.messages.at(-1)?.content ?? '';
    assert.match(
      task,
      /Improve only the requirement "Expiry choice" of openspec\/changes\/expire-shared-links\/specs\/sharing\/links\/spec.md\. Its current block:\n\n### Requirement: Expiry choice\nOwners choose how long a link lasts, quickly\./,
    );
    assert.match(
      task,
      /- \[error, missing-scenario\] at the line "Owners choose how long a link lasts, quickly\.": No scenario\./,
    );
    const prompt = promptText(request);
    assert.match(prompt, /<file path="openspec\/specs\/sharing\/links\/spec.md"/);
    assert.match(prompt, /Rules for specs:\n- Every requirement has a failure scenario\./);
    // The target is listed as it is, without line numbers, so none leak into the answer.
    assert.match(
      prompt,
      /<file path="openspec\/changes\/expire-shared-links\/specs\/sharing\/links\/spec.md" lines="1-11">\n## ADDED Requirements\n/,
    );
  });

  it('reports newErrors when the proposal drops the only scenario, and keeps a CRLF file CRLF', async () => {
    const fs = sampleProjectFs();
    const crlf = (await fs.readFile(LINKS_DELTA)).replace(/\n/g, '\r\n');
    fs.writeFile(LINKS_DELTA, crlf);
    const shorter = answer(
      'requirement',
      '### Requirement: Link expiry\nThe system SHALL stop serving a shared link after its expiry date.',
    );
    // "Shorter." asks for no removal, so dropping the scenario earns one repair round; the model insists.
    server.enqueueReply(shorter, shorter);
    const proposal = await improveDocument(model, fs, SAMPLE_ROOT, {
      changeId: 'expire-shared-links',
      file: LINKS_DELTA,
      requirement: 'Link expiry',
      instruction: 'Shorter.',
    });
    assert.deepEqual(
      proposal.validation.newErrors.map((issue) => issue.message),
      ['ADDED "Link expiry" must include at least one scenario'],
    );
    assert.deepEqual(
      proposal.check.unjustified.map((entry) => entry.code),
      ['scenarioRemoved'],
    );
    assert.equal(proposal.repaired, true);
    assert.match(server.requests[1]?.messages.at(-1)?.content ?? '', /Link expired/);
    assert.doesNotMatch(proposal.proposedText.replace(/\r\n/g, ''), /[\r\n]/);
    assert.ok(proposal.proposedText.endsWith(crlf.slice(crlf.indexOf('\r\n\r\n### Requirement: Expiry choice'))));
    assert.match(server.requests[0]?.messages.at(-1)?.content ?? '', /Instruction from the author: Shorter\./);
  });

  it('rewrites a whole document, unwrapping a code fence and keeping the file shape', async () => {
    const fs = sampleProjectFs();
    const file = `${SAMPLE_ROOT}/openspec/changes/expire-shared-links/proposal.md`;
    const base = await fs.readFile(file);
    const better = base.replace(
      'Links shared once stay valid forever',
      'Note owners who shared links find that links shared once stay valid forever',
    );
    server.enqueueReply(answer('document', `\`\`\`markdown\n${better.trimEnd()}\n\`\`\``, 'Named the users affected.'));
    const proposal = await improveDocument(model, fs, SAMPLE_ROOT, {
      changeId: 'expire-shared-links',
      file: 'proposal.md',
    });
    assert.equal(proposal.proposedText, better);
    assert.equal(proposal.requirement, undefined);
    assert.deepEqual(proposal.validation, { before: [], after: [], newErrors: [] });
    assert.equal(
      unifiedDiff(proposal.baseText, proposal.proposedText, proposal.file)
        .split('\n')
        .filter((line) => /^[-+][^-+]/.test(line)).length,
      2,
    );
    assert.match(server.requests[0]?.messages.at(-1)?.content ?? '', /Fix whatever makes it ambiguous/);
  });

  it('returns changed: false when the model keeps the document as it is', async () => {
    const fs = sampleProjectFs();
    const file = `${SAMPLE_ROOT}/openspec/changes/add-note-tags/design.md`;
    server.enqueueReply(answer('document', (await fs.readFile(file)).trimEnd(), 'Nothing to fix.'));
    const proposal = await improveDocument(model, fs, SAMPLE_ROOT, { changeId: 'add-note-tags', file });
    assert.equal(proposal.changed, false);
    assert.equal(proposal.proposedText, proposal.baseText);
    assert.equal(unifiedDiff(proposal.baseText, proposal.proposedText, proposal.file), '');
  });

  it('follows the lessons learned from earlier decisions: they are in the instructions the model gets', async () => {
    const fs = sampleProjectFs();
    const file = `${SAMPLE_ROOT}/openspec/changes/add-note-tags/design.md`;
    server.enqueueReply(answer('document', (await fs.readFile(file)).trimEnd(), 'Nothing to fix.'));
    const lesson = 'Keep the "Decisions" heading: the team restores it every time.';
    await improveDocument(model, fs, SAMPLE_ROOT, { changeId: 'add-note-tags', file }, { lessons: [lesson] });
    assert.ok(promptText(server.requests[0]).includes(`- ${lesson}`));
  });

  it('fails with badOutput on an empty proposal', async () => {
    server.enqueueReply(answer('document', '   \n'));
    await assert.rejects(
      improveDocument(model, sampleProjectFs(), SAMPLE_ROOT, { changeId: 'add-note-tags', file: 'tasks.md' }),
      (error: unknown) => isLlmError(error) && error.reason === 'badOutput' && /empty document/.test(error.message),
    );
  });

  it('refuses targets that are not the change documents, or requirements the file lacks', async () => {
    const fs = sampleProjectFs();
    await assert.rejects(
      improveDocument(model, fs, SAMPLE_ROOT, {
        changeId: 'add-note-tags',
        file: 'openspec/changes/expire-shared-links/proposal.md',
      }),
      ImproveTargetError,
    );
    await assert.rejects(
      improveDocument(model, fs, SAMPLE_ROOT, { changeId: 'add-note-tags', file: 'openspec/config.yaml' }),
      ImproveTargetError,
    );
    await assert.rejects(
      improveDocument(model, fs, SAMPLE_ROOT, {
        changeId: 'add-note-tags',
        file: 'specs/tags/spec.md',
        requirement: 'No such thing',
      }),
      /has no requirement "No such thing"/,
    );
    assert.equal(server.requests.length, 0);
  });

  it('improves a requirement of a main spec the change does not touch', async () => {
    const fs = sampleProjectFs();
    const block =
      '### Requirement: Revoke a link\nThe system SHALL stop serving a note through a link within 1 second of its owner revoking it.\n\n#### Scenario: Link revoked\n- **WHEN** the owner revokes the link\n- **THEN** opening the link shows "This link is no longer available"';
    server.enqueueReply(answer('requirement', block));
    const proposal = await improveDocument(model, fs, SAMPLE_ROOT, {
      changeId: 'add-note-tags',
      file: 'openspec/specs/sharing/links/spec.md',
      requirement: 'Revoke a link',
    });
    assert.equal(proposal.absolutePath, `${SAMPLE_ROOT}/openspec/specs/sharing/links/spec.md`);
    assert.ok(proposal.proposedText.endsWith(`${block}\n`));
    assert.deepEqual(proposal.validation.newErrors, []);
  });
});
