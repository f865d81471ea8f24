import * as assert from 'node:assert/strict';
import {
  mergeStaleRecords,
  recordsAfterArchive,
  recordsOfActiveChanges,
  staleModifiedFindings,
} from '../../../src/core/archive/staleModified';
import { rename, requirement, section, widgetsSpec } from './fixtures';
import { deltaPath, scan } from './overlapWorkspaces';

const MAIN = '/p/openspec/specs/widgets/spec.md';
const BLUE = section('MODIFIED', requirement('Color', 'Red', 'Blue'));
const GREEN = section('MODIFIED', requirement('Size', 'Big'), requirement('Color', 'Red', 'Green'));

/** The project before `paint-blue` is archived, and after: its folder moved, the main spec holding its Color. */
async function beforeAndAfter(others: Record<string, string>) {
  const deltas = Object.fromEntries(Object.entries(others).map(([id, text]) => [deltaPath(id), text]));
  const before = await scan({ [MAIN]: widgetsSpec, [deltaPath('paint-blue')]: BLUE, ...deltas });
  const after = await scan({
    [MAIN]: widgetsSpec.replace('The widget SHALL have a color.', 'The widget SHALL be blue.'),
    '/p/openspec/changes/archive/2026-12-01-paint-blue/specs/widgets/spec.md': BLUE,
    ...deltas,
  });
  return { before, after };
}

describe('stale MODIFIED blocks after an archive', () => {
  it("flags another change's MODIFIED of a requirement the archive rewrote, on its header", async () => {
    const { before, after } = await beforeAndAfter({ 'paint-green': GREEN });
    const records = recordsAfterArchive(before, 'paint-blue', '2026-12-01-paint-blue');
    assert.deepEqual(
      records.map(({ blockHash, ...rest }) => ({ ...rest, hashed: /^[0-9a-f]{64}$/.test(blockHash) })),
      [
        {
          archivedChange: 'paint-blue',
          archivedAs: '2026-12-01-paint-blue',
          capability: 'widgets',
          requirement: 'Color',
          changeId: 'paint-green',
          hashed: true,
        },
      ],
    );
    // Plain data: what the editor stores and reads back after a reload still holds.
    const reloaded = JSON.parse(JSON.stringify(records)) as typeof records;
    assert.deepEqual(
      staleModifiedFindings(after, reloaded).map(({ file, line, message }) => ({ file, line, message })),
      [
        {
          file: deltaPath('paint-green'),
          line: 8,
          message:
            "Archiving 'paint-blue' changed this requirement; refresh this MODIFIED block against the current spec",
        },
      ],
    );
  });

  it('clears a record once its block is edited, and drops it once its change is gone', async () => {
    const { before, after } = await beforeAndAfter({ 'paint-green': GREEN });
    const records = recordsAfterArchive(before, 'paint-blue', '2026-12-01-paint-blue');
    const refreshed = await scan({
      [MAIN]: widgetsSpec,
      [deltaPath('paint-green')]: GREEN.replace('The widget SHALL do Color.', 'The widget SHALL be blue and green.'),
    });
    assert.deepEqual(staleModifiedFindings(refreshed, records), []);
    // An edit elsewhere in the delta leaves the block as it was: still stale.
    const elsewhere = await scan({
      [MAIN]: widgetsSpec,
      [deltaPath('paint-green')]: GREEN.replace('The widget SHALL do Size.', 'The widget SHALL be big.'),
    });
    assert.equal(staleModifiedFindings(elsewhere, records).length, 1);

    assert.deepEqual(recordsOfActiveChanges(after, records), records);
    const archivedToo = await scan({ [MAIN]: widgetsSpec });
    assert.deepEqual(recordsOfActiveChanges(archivedToo, records), []);
    assert.deepEqual(staleModifiedFindings(archivedToo, records), []);
  });

  it('records only MODIFIED blocks of the other changes, for every way the archive changed the requirement', async () => {
    const before = await scan({
      [MAIN]: widgetsSpec,
      [deltaPath('reshape')]:
        section('RENAMED', rename('Spin', 'Rotate')) +
        section('REMOVED', '- `### Requirement: Size`') +
        section('MODIFIED', requirement('Color', 'Red')),
      [deltaPath('spin-faster')]: section('MODIFIED', requirement('Spin', 'Spins fast', 'Stops')),
      [deltaPath('resize')]: section('MODIFIED', requirement('Size', 'Big')),
      [deltaPath('drop-color')]: section('REMOVED', '- `### Requirement: Color`'),
      [deltaPath('spin-slower')]: section('MODIFIED', requirement('Spin', 'Spins fast', 'Stops')),
    });
    const records = recordsAfterArchive(before, 'reshape', '2026-12-01-reshape');
    assert.deepEqual(records.map((record) => `${record.changeId}:${record.requirement}`).sort(), [
      'resize:Size',
      'spin-faster:Spin',
      'spin-slower:Spin',
    ]);
    // The other way round, the removal leaves reshape's MODIFIED Color with nothing to modify.
    assert.deepEqual(
      recordsAfterArchive(before, 'drop-color', '2026-12-01-drop-color').map((record) => record.changeId),
      ['reshape'],
    );
  });

  it('keeps one record per block, the latest archive winning', () => {
    const record = {
      archivedChange: 'a',
      archivedAs: '2026-01-01-a',
      capability: 'widgets',
      requirement: 'Color',
      changeId: 'c',
      blockHash: 'x',
    };
    const later = { ...record, archivedChange: 'b', archivedAs: '2026-01-02-b', requirement: 'Color ##' };
    const other = { ...record, requirement: 'Size' };
    assert.deepEqual(mergeStaleRecords([record, other], [later]), [other, later]);
  });
});
