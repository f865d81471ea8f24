import * as assert from 'node:assert/strict';
import { isEmptyEdit, summarizeEdit } from '../../../src/core/feedback/editSummary';
import { FeedbackStore, lessonsForPrompt } from '../../../src/core/feedback/feedbackStore';
import { MemoryFeedbackPersistence } from '../../../src/core/feedback/memoryFeedbackPersistence';
import { decision } from './decisionHistory';

const BASE = '## Why\nUsers lose notes.\n\n## Impact\n- Affects: notes API (owner: Ana)\n';
const PROPOSED = '## Why\nUsers lose notes when offline.\n\n## Impact\n- Affects: notes API\n';
const ACCEPTED =
  '## Why\nUsers lose notes when offline.\n\n## Impact\n- Affects: notes API (owner: Ana)\n- Rollout: behind a flag\n';

describe('summarizeEdit', () => {
  it('tells restored lines from lines the user wrote or removed', () => {
    assert.deepEqual(summarizeEdit(BASE, PROPOSED, ACCEPTED), {
      restored: ['- Affects: notes API (owner: Ana)'],
      added: ['- Rollout: behind a flag'],
      removed: ['- Affects: notes API'],
    });
    assert.ok(isEmptyEdit(summarizeEdit(BASE, PROPOSED, `${PROPOSED}\n\n`)));
  });

  it('turns a line restored after several proposals into a lesson', async () => {
    const store = await FeedbackStore.open(new MemoryFeedbackPersistence());
    const editedDiffSummary = summarizeEdit(BASE, PROPOSED, ACCEPTED);
    await store.record(
      decision('acceptedEdited', ['ambiguity'], { file: 'openspec/changes/a/proposal.md', editedDiffSummary }),
    );
    assert.deepEqual(lessonsForPrompt(store), []);
    await store.record(
      decision('acceptedEdited', ['scope'], { file: 'openspec/changes/b/proposal.md', editedDiffSummary }),
    );
    const texts = lessonsForPrompt(store);
    assert.ok(
      texts.includes(
        'Keep lines like "- Affects: notes API (owner: Ana)" (in proposal.md) as they are: the user restored this line after 2 proposals removed it.',
      ),
      texts.join('\n'),
    );
    assert.ok(
      texts.includes(
        'The user added "- Rollout: behind a flag" (in proposal.md) after 2 proposals: include such a line where it belongs.',
      ),
      texts.join('\n'),
    );
  });
});
