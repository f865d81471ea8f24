import * as assert from 'node:assert/strict';
import {
  describeOverlap,
  findChangeOverlaps,
  findChangeOverlapsInSlices,
  overlapsOfChange,
  type ChangeOverlap,
} from '../../../src/core/archive/changeOverlaps';
import { rename, requirement, section } from './fixtures';
import { deltaPath, workspaceWith } from './overlapWorkspaces';

/** Each overlap as `requirement: a OPERATION @line ↔ b OPERATION @line`. */
function pairs(overlaps: readonly ChangeOverlap[]): string[] {
  return overlaps.map(
    ({ capability, requirement: name, touches: [a, b] }) =>
      `${capability}/${name}: ${a.changeId} ${a.operation}@${a.line} ↔ ${b.changeId} ${b.operation}@${b.line}`,
  );
}

describe('findChangeOverlaps', () => {
  it('pairs two changes that modify the same requirement, each touch at its header', async () => {
    const workspace = await workspaceWith({
      'paint-blue': section('MODIFIED', requirement('Color', 'Red')),
      'paint-green': section('MODIFIED', requirement('Size', 'Big'), requirement('Color', 'Red')),
    });
    const overlaps = findChangeOverlaps(workspace);
    assert.deepEqual(pairs(overlaps), ['widgets/Color: paint-blue MODIFIED@1 ↔ paint-green MODIFIED@8']);
    const [first, second] = overlaps[0]!.touches;
    assert.equal(first.file, deltaPath('paint-blue'));
    assert.equal(second.file, deltaPath('paint-green'));
    assert.equal(
      describeOverlap(overlaps[0]!, 0),
      "Also modified by change 'paint-green' (capability widgets): archiving one overwrites the other's version",
    );
  });

  it('matches names as archive does: a closing # run is not part of the name, case is', async () => {
    const workspace = await workspaceWith({
      a: section('MODIFIED', requirement('Color ##', 'Red')),
      b: section('REMOVED', '### Requirement: Color\n**Reason**: r\n**Migration**: m\n'),
      c: section('MODIFIED', requirement('color', 'Red')),
    });
    assert.deepEqual(pairs(findChangeOverlaps(workspace)), ['widgets/Color: a MODIFIED@1 ↔ b REMOVED@1']);
  });

  it('keys a rename by its FROM name against changes of the requirement, and by its TO name against additions', async () => {
    const workspace = await workspaceWith({
      grow: section('RENAMED', rename('Size', 'Dimensions')),
      measure: section('MODIFIED', requirement('Size', 'Big')),
      cut: section('REMOVED', '- `### Requirement: Size`'),
      dimension: section('ADDED', requirement('Dimensions', 'Any')),
    });
    const overlaps = findChangeOverlaps(workspace);
    assert.deepEqual(pairs(overlaps), [
      'widgets/Dimensions: dimension ADDED@1 ↔ grow RENAMED@2',
      'widgets/Size: cut REMOVED@1 ↔ grow RENAMED@1',
      'widgets/Size: cut REMOVED@1 ↔ measure MODIFIED@1',
      'widgets/Size: grow RENAMED@1 ↔ measure MODIFIED@1',
    ]);
    const [added, removedRenamed, removedModified, renamedModified] = overlaps;
    assert.equal(
      describeOverlap(added!, 0),
      "Also renamed to this name by change 'grow' (capability widgets): the second archive will fail",
    );
    assert.equal(
      describeOverlap(added!, 1),
      "Also added by change 'dimension' (capability widgets): the second archive will fail",
    );
    assert.match(describeOverlap(removedRenamed!, 0), /^Also renamed by change 'grow'/);
    assert.match(describeOverlap(removedModified!, 1), /^Also removed by change 'cut' .*this MODIFIED fails/);
    assert.equal(
      describeOverlap(renamedModified!, 1),
      "Also renamed by change 'grow' (capability widgets): once that rename is archived this MODIFIED no longer finds the old name",
    );
  });

  it('flags two additions of one name, and nothing else: other capabilities, other names, one change alone', async () => {
    const workspace = await workspaceWith(
      {
        a: section('ADDED', requirement('Weight', 'Light')) + section('MODIFIED', requirement('Spin', 'Spins fast')),
        b: section('ADDED', requirement('Weight', 'Heavy'), requirement('Height', 'Tall')),
        c: section('MODIFIED', requirement('Spin', 'Spins fast'), requirement('Spin', 'Stops')),
      },
      {
        // The same requirement name in another capability is another requirement.
        [deltaPath('d', 'gadgets')]: section('MODIFIED', requirement('Color', 'Red')),
        [deltaPath('e', 'gadgets')]: section('ADDED', requirement('Height', 'Tall')),
      },
    );
    const overlaps = findChangeOverlaps(workspace);
    assert.deepEqual(pairs(overlaps), [
      'widgets/Spin: a MODIFIED@9 ↔ c MODIFIED@1',
      'widgets/Spin: a MODIFIED@9 ↔ c MODIFIED@8',
      'widgets/Weight: a ADDED@1 ↔ b ADDED@1',
    ]);
    assert.equal(
      describeOverlap(overlaps[2]!, 1),
      "Also added by change 'a' (capability widgets): the second archive will fail",
    );
    assert.deepEqual(pairs(overlapsOfChange(overlaps, 'b')), ['widgets/Weight: a ADDED@1 ↔ b ADDED@1']);
  });

  it('never compares the archive', async () => {
    const workspace = await workspaceWith(
      { a: section('MODIFIED', requirement('Color', 'Red')) },
      { '/p/openspec/changes/archive/2026-01-01-b/specs/widgets/spec.md': section('MODIFIED', requirement('Color')) },
    );
    assert.equal(workspace.archive.length, 1);
    assert.deepEqual(findChangeOverlaps(workspace), []);
  });
});

describe('findChangeOverlapsInSlices', () => {
  it('finds what findChangeOverlaps finds, pausing before each change', async () => {
    const workspace = await workspaceWith({
      a: section('MODIFIED', requirement('Color', 'Red')),
      b: section('REMOVED', '### Requirement: Color\n**Reason**: r\n**Migration**: m\n'),
      c: section('ADDED', requirement('Shape', 'Round')),
      d: section('ADDED', requirement('Shape', 'Square')),
    });
    let pauses = 0;
    const sliced = await findChangeOverlapsInSlices(workspace, async () => {
      pauses++;
    });
    assert.equal(pairs(sliced).length, 2);
    assert.deepEqual(sliced, findChangeOverlaps(workspace));
    assert.equal(pauses, workspace.changes.length);
  });
});
