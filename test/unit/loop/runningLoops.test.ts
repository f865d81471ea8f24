import * as assert from 'node:assert/strict';
import type { LoopEvent } from '../../../src/core/loop/loopTypes';
import { describeRunningLoop, RunningLoops, type RunningLoop } from '../../../src/core/loop/runningLoops';

function loop(root: string, change: string, latest?: LoopEvent): RunningLoop & { stopped: number } {
  return {
    root,
    change,
    startedBy: 'editor',
    latest,
    stopped: 0,
    iterations: () => [],
    stop() {
      this.stopped++;
    },
  };
}

describe('RunningLoops: one improvement-loop run per change per folder', () => {
  it('refuses a second run of a change in the same folder and names the one going', () => {
    const runs = new RunningLoops();
    const first = loop('/work/a', 'add-x', {
      runId: 'r',
      change: 'add-x',
      iteration: 2,
      step: 'awaitingDecision',
      file: 'openspec/changes/add-x/design.md',
    });
    const claim = runs.claim(first);
    assert.ok(!('running' in claim));
    const second = runs.claim(loop('/work/a', 'add-x'));
    assert.ok('running' in second);
    assert.equal(second.running, first);
    assert.equal(
      describeRunningLoop(second.running),
      'iteration 2: waiting for your decision on design.md; started from the editor',
    );
    // The first is still the one a Stop finds.
    runs.get('/work/a', 'add-x')?.stop();
    assert.equal(first.stopped, 1);
  });

  it('runs other changes, and the same change id in another folder, side by side, each stopped on its own', () => {
    const runs = new RunningLoops();
    const a = loop('/work/a', 'add-x');
    const b = loop('/work/a', 'add-y');
    const otherFolder = loop('/work/b', 'add-x');
    for (const run of [a, b, otherFolder]) assert.ok(!('running' in runs.claim(run)));
    assert.deepEqual(
      runs.all().map((run) => `${run.root} ${run.change}`),
      ['/work/a add-x', '/work/a add-y', '/work/b add-x'],
    );
    runs.get('/work/b', 'add-x')?.stop();
    assert.deepEqual([a.stopped, b.stopped, otherFolder.stopped], [0, 0, 1]);
  });

  it('frees the change when the run ends, and tells whoever shows the runs of every start, step and end', () => {
    let changes = 0;
    const runs = new RunningLoops(() => changes++);
    const claim = runs.claim(loop('/work/a', 'add-x'));
    assert.ok(!('running' in claim));
    claim.changed();
    claim.release();
    claim.release();
    assert.equal(changes, 3);
    assert.equal(runs.get('/work/a', 'add-x'), undefined);
    assert.ok(!('running' in runs.claim(loop('/work/a', 'add-x'))), 'a new run may start once the first ended');
  });
});
