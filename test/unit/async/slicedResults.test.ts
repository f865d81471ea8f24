import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Pause } from '../../../src/core/async/timeSlices';
import { scanWorkspace } from '../../../src/core/openspec/workspaceScanner';
import { makeRoot } from '../../../src/core/validation/projectRoot';
import { validateItems } from '../../../src/core/validation/validateItems';
import { NodeFileSystem, toPosix } from '../../../src/node/nodeFileSystem';

const fixturesRoot = path.resolve(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'differential');
const fixtures = readdirSync(fixturesRoot, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** The most a pause can do: give the turn away before every item. */
const alwaysYield: Pause = () => new Promise((resolve) => setImmediate(resolve));

function byTypeWithinId(a: { id: string; type: string }, b: { id: string; type: string }): number {
  return a.id.localeCompare(b.id) || a.type.localeCompare(b.type);
}

async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return { value: await run() };
  } catch (error) {
    return { error: String(error) };
  }
}

describe('work sliced for the editor gives what it gives in one stretch', () => {
  const fs = new NodeFileSystem();
  for (const name of fixtures) {
    const root = toPosix(path.join(fixturesRoot, name));
    it(`scans the model of ${name} alike`, async () => {
      assert.deepEqual(
        await outcome(() => scanWorkspace(fs, root, undefined, alwaysYield)),
        await outcome(() => scanWorkspace(fs, root)),
      );
    });

    it(`validates every item of ${name} alike`, async () => {
      const run = (pause?: Pause) =>
        outcome(async () => {
          const result = await validateItems(
            fs,
            makeRoot(root, 'nearest'),
            { kind: 'bulk', changes: true, specs: true },
            { now: () => 0, ...(pause ? { pause } : {}) },
          );
          // A change and a spec sharing an id come in finishing order, which yielding may swap.
          return { ...result, items: [...result.items].sort(byTypeWithinId) };
        });
      assert.deepEqual(await run(alwaysYield), await run());
    });
  }
});
