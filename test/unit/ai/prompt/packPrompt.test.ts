import * as assert from 'node:assert/strict';
import { isLlmError } from '../../../../src/core/ai/llmError';
import { loadChangeContext } from '../../../../src/core/ai/prompt/changeContext';
import { changePromptParts } from '../../../../src/core/ai/prompt/changePromptParts';
import { listDocument } from '../../../../src/core/ai/prompt/documentListing';
import { packPrompt, PromptTooLargeError, type PromptPart } from '../../../../src/core/ai/prompt/packPrompt';
import { promptMessages } from '../../../../src/core/ai/prompt/promptMessages';
import { estimateTokens } from '../../../../src/core/ai/tokenEstimate';
import { SAMPLE_ROOT, sampleProjectFs } from './sampleWorkspace';

const words = (count: number) => Array.from({ length: count }, (_, index) => `word${index}`).join(' ');
const cost = (text: string) => estimateTokens(text) + 1;

function part(kind: PromptPart['kind'], path: string, size: number, extra: Partial<PromptPart> = {}): PromptPart {
  return { kind, path, text: `${path}: ${words(size)}`, ...extra };
}

describe('packPrompt', () => {
  it('keeps everything that fits, highest priority first, whatever order the parts came in', () => {
    const parts = [
      part('mainSpec', 'm', 10),
      part('delta', 'd', 10),
      part('target', 't', 10, { required: true }),
      part('instructions', '', 10),
      part('config', 'c', 10),
      part('document', 'x', 10),
    ];
    const packed = packPrompt(parts, 10_000);
    assert.deepEqual(
      packed.parts.map((p) => p.kind),
      ['instructions', 'config', 'target', 'document', 'delta', 'mainSpec'],
    );
    assert.deepEqual(packed.trimmed, []);
    assert.equal(
      packed.tokens,
      parts.reduce((sum, p) => sum + cost(p.text), 0),
    );
  });

  it('shortens a main spec before dropping it, and drops the lowest priority first', () => {
    const main = part('mainSpec', 'openspec/specs/m/spec.md', 200, {
      shorter: [{ text: `short ${words(20)}`, note: 'only the named requirements' }],
    });
    const parts = [
      part('instructions', '', 50, { required: true }),
      part('target', 't', 50, { required: true }),
      part('delta', 'd', 50),
      main,
    ];
    const fixed = cost(parts[0]!.text) + cost(parts[1]!.text) + cost(parts[2]!.text);

    const shortened = packPrompt(parts, fixed + cost(`short ${words(20)}`));
    assert.deepEqual(
      shortened.parts.map((p) => p.kind),
      ['instructions', 'target', 'delta', 'mainSpec'],
    );
    assert.equal(shortened.parts[3]!.text, `short ${words(20)}`);
    assert.deepEqual(shortened.trimmed, [
      {
        kind: 'mainSpec',
        path: 'openspec/specs/m/spec.md',
        action: 'shortened',
        message:
          "The main spec openspec/specs/m/spec.md was shortened to fit the model's context: only the named requirements.",
      },
    ]);

    const dropped = packPrompt(parts, fixed);
    assert.deepEqual(
      dropped.parts.map((p) => p.kind),
      ['instructions', 'target', 'delta'],
    );
    assert.deepEqual(
      dropped.trimmed.map((note) => [note.path, note.action]),
      [['openspec/specs/m/spec.md', 'dropped']],
    );

    const tight = packPrompt(parts, fixed - 1);
    assert.deepEqual(
      tight.parts.map((p) => p.kind),
      ['instructions', 'target', 'mainSpec'],
    );
    assert.deepEqual(
      tight.trimmed.map((note) => [note.path, note.action]),
      [
        ['d', 'dropped'],
        ['openspec/specs/m/spec.md', 'shortened'],
      ],
    );
    assert.match(tight.trimmed[0]!.message, /^The delta spec d was left out/);
  });

  it('packs into trimFactor of the budget for the retry after an overflow', () => {
    const parts = [part('target', 't', 10, { required: true }), part('delta', 'd', 100)];
    const budget = cost(parts[0]!.text) + cost(parts[1]!.text);
    assert.equal(packPrompt(parts, budget).parts.length, 2);
    const retry = packPrompt(parts, budget, { trimFactor: 0.6 });
    assert.equal(retry.budget, Math.floor(budget * 0.6));
    assert.deepEqual(
      retry.parts.map((p) => p.path),
      ['t'],
    );
  });

  it('fails with contextOverflow, saying how much is needed, when the target itself cannot fit', () => {
    const parts = [
      part('instructions', '', 20, { required: true }),
      part('target', 'openspec/changes/x/proposal.md', 500, { required: true }),
      part('delta', 'd', 5),
    ];
    const needed = cost(parts[0]!.text) + cost(parts[1]!.text);
    assert.throws(
      () => packPrompt(parts, 100, { contextLength: 4096 }),
      (error: unknown) => {
        assert.ok(isLlmError(error) && error instanceof PromptTooLargeError);
        assert.equal(error.reason, 'contextOverflow');
        assert.deepEqual(error.details, { promptTokens: needed, contextLength: 4096 });
        assert.match(
          error.message,
          /needs about \d+ tokens to include openspec\/changes\/x\/proposal.md, but only 100 are available/,
        );
        assert.match(error.hint, /context length/);
        return true;
      },
    );
  });

  it('packs the sample change with every part labelled by path and numbered lines', async () => {
    const context = await loadChangeContext(sampleProjectFs(), SAMPLE_ROOT, 'add-note-tags');
    const parts: PromptPart[] = [
      { kind: 'instructions', text: 'Review.', required: true },
      ...changePromptParts(context, { target: context.change.proposal }),
    ];
    const packed = packPrompt(parts, 8000);
    assert.deepEqual(packed.trimmed, []);
    const [system, user] = promptMessages(packed, 'Do it.');
    assert.deepEqual(system, { role: 'system', content: 'Review.' });
    assert.ok(user);
    for (const path of [
      'openspec/config.yaml',
      'openspec/changes/add-note-tags/design.md',
      'openspec/changes/add-note-tags/specs/tags/spec.md',
      'openspec/specs/notes/spec.md',
    ]) {
      assert.ok(user.content.includes(`path="${path}"`), path);
    }
    assert.match(
      user.content,
      /<file path="openspec\/changes\/add-note-tags\/specs\/tags\/spec.md" lines="1-22">\n1: ## Purpose\n2: Lets users label notes/,
    );
    assert.ok(user.content.endsWith('</file>\n\nDo it.'));
  });
});

describe('listDocument', () => {
  it('numbers lines from 1, keeps original numbers in a partial listing, and marks the gaps', () => {
    const text = 'a\nb\nc\nd\ne\n';
    assert.equal(listDocument('f.md', text), '<file path="f.md" lines="1-5">\n1: a\n2: b\n3: c\n4: d\n5: e\n</file>');
    assert.equal(
      listDocument('f.md', text, {
        ranges: [
          [1, 1],
          [3, 3],
        ],
        shortened: 'part',
      }),
      '<file path="f.md" lines="1-5" shortened="part">\n...\n2: b\n...\n4: d\n...\n</file>',
    );
    assert.equal(listDocument('f.md', 'x\r\ny', { numbered: false }), '<file path="f.md" lines="1-2">\nx\ny\n</file>');
  });
});
