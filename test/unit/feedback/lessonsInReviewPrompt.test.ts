import * as assert from 'node:assert/strict';
import type { ChatModel } from '../../../src/core/ai/chatModel';
import { reviewChange } from '../../../src/core/ai/review/reviewChange';
import { FeedbackStore, lessonsForPrompt } from '../../../src/core/feedback/feedbackStore';
import { MemoryFeedbackPersistence } from '../../../src/core/feedback/memoryFeedbackPersistence';
import type { LmStudioStandIn } from '../../lmstudio/standIn';
import { SAMPLE_ROOT, sampleProjectFs } from '../ai/prompt/sampleWorkspace';
import { startModel } from '../ai/review/standInModel';
import { decision } from './decisionHistory';

describe('lessons in the next review prompt', () => {
  let server: LmStudioStandIn;
  let model: ChatModel;

  afterEach(async () => server.close());

  it('sends what the user decided before to the reviewer', async () => {
    ({ server, model } = await startModel());
    const store = await FeedbackStore.open(new MemoryFeedbackPersistence());
    for (let index = 0; index < 3; index++) await store.record(decision('rejected', ['scope']));
    await store.addLesson('Tasks name the file they touch.');
    server.enqueueReply('{"findings":[]}');
    await reviewChange(model, sampleProjectFs(), SAMPLE_ROOT, 'add-note-tags', { lessons: lessonsForPrompt(store) });
    const system = server.requests[0]?.messages[0]?.content ?? '';
    assert.match(
      system,
      /Lessons from earlier reviews of this project; follow them:\n- Tasks name the file they touch\.\n- Findings of category "scope" were rejected 3 of 3 times in this project: raise one only when the change clearly does work its proposal does not mention\.\n/,
    );
  });
});
