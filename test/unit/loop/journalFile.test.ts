import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseJournal } from '../../../src/core/loop/journalEntries';
import { LoopJournal } from '../../../src/core/loop/loopJournal';
import { FileJournalStore } from '../../../src/node/journalFile';

describe('FileJournalStore', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'loop-journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('appends one JSON line per transition, creating its folder, in order even when appends overlap', async () => {
    const store = new FileJournalStore(join(dir, 'nested', 'loop.jsonl'));
    assert.deepEqual(await store.readAll(), []);
    const journal = new LoopJournal(store, 'run-1', 'add-x', () => 0);
    await Promise.all([
      journal.record(1, 'reviewing', { event: 'started', maxIterations: 3, autoAccept: false }),
      journal.record(1, 'validating', { event: 'validated', validation: { valid: true, errors: 0, warnings: 0 } }),
    ]);
    const lines = await store.readAll();
    assert.equal(lines.length, 2);
    assert.deepEqual(
      parseJournal(lines).map((entry) => [entry.at, entry.run, entry.change, entry.iteration, entry.step, entry.event]),
      [
        ['1970-01-01T00:00:00.000Z', 'run-1', 'add-x', 1, 'reviewing', 'started'],
        ['1970-01-01T00:00:00.000Z', 'run-1', 'add-x', 1, 'validating', 'validated'],
      ],
    );
  });

  it('keeps a line torn by a crash from swallowing the next one, and the reader skips it', async () => {
    const path = join(dir, 'loop.jsonl');
    const store = new FileJournalStore(path);
    await store.append('{"event":"started","run":"r","change":"c","iteration":1,"step":"reviewing"}');
    appendFileSync(path, '{"event":"propo');
    await store.append('{"event":"validated","run":"r","change":"c","iteration":1,"step":"validating"}');
    assert.equal(readFileSync(path, 'utf8').split('\n').length, 4);
    assert.deepEqual(
      parseJournal(await store.readAll()).map((entry) => entry.event),
      ['started', 'validated'],
    );
    await assert.rejects(store.append('two\nlines'), /newline/);
  });
});
