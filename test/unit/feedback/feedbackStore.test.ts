import * as assert from 'node:assert/strict';
import { FeedbackStore, LessonError, lessonsForPrompt } from '../../../src/core/feedback/feedbackStore';
import { MemoryFeedbackPersistence } from '../../../src/core/feedback/memoryFeedbackPersistence';
import { decision, fixedNow } from './decisionHistory';

async function storeWith(
  ...kinds: Parameters<typeof decision>[]
): Promise<{ store: FeedbackStore; persistence: MemoryFeedbackPersistence }> {
  const persistence = new MemoryFeedbackPersistence();
  const store = await FeedbackStore.open(persistence, { now: fixedNow });
  for (const args of kinds) await store.record(decision(...args));
  return { store, persistence };
}

describe('FeedbackStore', () => {
  it('records every decision, stamped and shortened, and saves it', async () => {
    const persistence = new MemoryFeedbackPersistence();
    const store = await FeedbackStore.open(persistence, { now: fixedNow });
    const { at: scriptedTime, ...rest } = decision('acceptedEdited', ['ambiguity', 'ambiguity', 'format'], {
      requirement: 'Tag a note',
      findingMessages: ['x'.repeat(500), 'b', 'c', 'd', 'e', 'f'],
      editedDiffSummary: { restored: ['- **WHEN** a tag is added'], added: [], removed: [] },
    });
    const recorded = await store.record(rest);
    assert.notEqual(recorded.at, scriptedTime);
    assert.equal(recorded.at, '2025-06-01T12:00:00.000Z');
    assert.deepEqual(recorded.categories, ['ambiguity', 'format']);
    assert.equal(recorded.findingMessages.length, 5);
    assert.equal(recorded.findingMessages[0]?.length, 200);
    assert.equal(recorded.requirement, 'Tag a note');
    assert.deepEqual(persistence.stored?.decisions, [recorded]);
    const reopened = await FeedbackStore.open(persistence);
    assert.deepEqual(reopened.decisions(), [recorded]);
  });

  it('keeps only the newest decisions', async () => {
    const persistence = new MemoryFeedbackPersistence();
    const store = await FeedbackStore.open(persistence, { maxDecisions: 3 });
    for (let index = 0; index < 5; index++)
      await store.record(decision('accepted', ['other'], { proposalHash: `p${index}` }));
    assert.deepEqual(
      store.decisions().map((entry) => entry.proposalHash),
      ['p2', 'p3', 'p4'],
    );
    assert.equal(persistence.stored?.decisions.length, 3);
  });

  it('distils a lesson from a category the team keeps rejecting, and one it keeps accepting', async () => {
    const { store } = await storeWith(
      ['rejected', ['ambiguity']],
      ['rejected', ['ambiguity']],
      ['accepted', ['ambiguity']],
      ['rejected', ['ambiguity']],
      ['rejected', ['ambiguity', 'missing-scenario']],
      ['accepted', ['missing-scenario']],
      ['acceptedEdited', ['missing-scenario']],
      ['accepted', ['missing-scenario']],
      ['accepted', ['missing-scenario']],
    );
    const byId = new Map(store.lessons().map((lesson) => [lesson.id, lesson]));
    const rejected = byId.get('category-rejected:ambiguity');
    assert.equal(
      rejected?.text,
      'Findings of category "ambiguity" were rejected 4 of 5 times in this project: raise one only when the wording leaves the behaviour undecided, not for style.',
    );
    assert.deepEqual(rejected?.evidence, { accepted: 1, rejected: 4 });
    assert.equal(rejected?.source, 'distilled');
    assert.equal(rejected?.updatedAt, store.decisions()[4]?.at);
    assert.match(byId.get('category-accepted:missing-scenario')?.text ?? '', /were accepted 4 of 5 times/);
    assert.deepEqual(
      lessonsForPrompt(store),
      store.lessons().map((lesson) => lesson.text),
    );
  });

  it('draws no lesson from too little evidence', async () => {
    const { store } = await storeWith(['rejected', ['scope']], ['rejected', ['scope']], ['accepted', ['format']]);
    assert.deepEqual(store.lessons(), []);
  });

  it('keeps a lesson the user edited, and distillation no longer touches it', async () => {
    const { store } = await storeWith(['rejected', ['format']], ['rejected', ['format']], ['rejected', ['format']]);
    const edited = await store.editLesson(
      'category-rejected:format',
      'Ignore format nits; openspec validate catches them.',
    );
    assert.equal(edited.source, 'user');
    await store.record(decision('rejected', ['format']));
    await store.record(decision('accepted', ['format']));
    const lessons = store.lessons().filter((lesson) => lesson.id === 'category-rejected:format');
    assert.deepEqual(lessons, [edited]);
    const added = await store.addLesson('  Tasks are written in the imperative.  ');
    assert.equal(added.text, 'Tasks are written in the imperative.');
    assert.deepEqual(lessonsForPrompt(store).slice(0, 2), [
      'Tasks are written in the imperative.',
      'Ignore format nits; openspec validate catches them.',
    ]);
  });

  it('never brings a deleted lesson back', async () => {
    const { store, persistence } = await storeWith(
      ['rejected', ['scope']],
      ['rejected', ['scope']],
      ['rejected', ['scope']],
    );
    assert.ok(store.lessons().some((lesson) => lesson.id === 'category-rejected:scope'));
    await store.deleteLesson('category-rejected:scope');
    await store.record(decision('rejected', ['scope']));
    assert.ok(!store.lessons().some((lesson) => lesson.id === 'category-rejected:scope'));
    const reopened = await FeedbackStore.open(persistence);
    await reopened.record(decision('rejected', ['scope']));
    assert.ok(!reopened.lessons().some((lesson) => lesson.id === 'category-rejected:scope'));
  });

  it('holds the lessons to the cap and their length to the limit', async () => {
    const persistence = new MemoryFeedbackPersistence();
    const store = await FeedbackStore.open(persistence, { maxLessons: 3 });
    for (const category of ['ambiguity', 'format', 'scope', 'coverage', 'untestable'] as const) {
      for (let index = 0; index < 3; index++) await store.record(decision('rejected', [category]));
    }
    assert.equal(store.lessons().length, 3);
    await store.addLesson('One of my own.');
    assert.equal(store.lessons().length, 3);
    assert.equal(store.lessons()[0]?.text, 'One of my own.');
    await assert.rejects(store.addLesson('x'.repeat(301)), LessonError);
    await assert.rejects(store.addLesson('   '), LessonError);
    await store.addLesson('Two.');
    await store.addLesson('Three.');
    await assert.rejects(store.addLesson('Four.'), /already 3 lessons of your own/);
    assert.deepEqual(lessonsForPrompt(store), ['Three.', 'Two.', 'One of my own.']);
    assert.ok(store.lessons().every((lesson) => lesson.text.length <= 300));
  });

  it('starts empty when the stored data cannot be read, and drops only the damaged entries', async () => {
    const broken = new MemoryFeedbackPersistence();
    broken.load = async () => {
      throw new Error('disk on fire');
    };
    assert.deepEqual((await FeedbackStore.open(broken)).decisions(), []);
    const good = decision('accepted', ['format']);
    const partly = new MemoryFeedbackPersistence({
      version: 1,
      decisions: [good, { nonsense: true } as never],
      lessons: [],
      deletedLessonIds: [],
    });
    assert.deepEqual((await FeedbackStore.open(partly)).decisions(), [good]);
  });
});
