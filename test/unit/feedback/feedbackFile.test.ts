import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeedbackStore } from '../../../src/core/feedback/feedbackStore';
import { JsonFileFeedbackPersistence } from '../../../src/node/feedbackFile';
import { decision } from './decisionHistory';

describe('JsonFileFeedbackPersistence', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'feedback-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('saves the history to a JSON file (creating its folder) and reads it back, leaving no temporary files', async () => {
    const file = join(dir, 'storage', 'feedback.json');
    const persistence = new JsonFileFeedbackPersistence(file);
    assert.equal(await persistence.load(), undefined);
    const store = await FeedbackStore.open(persistence);
    await Promise.all([store.record(decision('accepted', ['format'])), store.record(decision('rejected', ['scope']))]);
    assert.deepEqual(await readdir(join(dir, 'storage')), ['feedback.json']);
    const reopened = await FeedbackStore.open(new JsonFileFeedbackPersistence(file));
    assert.deepEqual(reopened.decisions(), store.decisions());
    assert.equal(reopened.decisions().length, 2);
  });

  it('sets a damaged file aside and starts again', async () => {
    const file = join(dir, 'feedback.json');
    await writeFile(file, '{"decisions": [', 'utf8');
    assert.equal(await new JsonFileFeedbackPersistence(file).load(), undefined);
    assert.equal(await readFile(`${file}.corrupt`, 'utf8'), '{"decisions": [');
  });
});
