import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ChangeMetadataSchema, SchemaYamlSchema } from '../../../src/core/validation/fileSchemas';
import { checkChangeMetadata, checkWorkflowSchemaYaml } from '../../../src/core/validation/plainSchemaChecks';
import { Random } from '../../fuzz/generators';

/** Values YAML can produce, valid and not, for each field the schemas know. */
function anyOf(random: Random, choices: readonly unknown[]): unknown {
  return random.pick(choices);
}

const TEXTS = ['', 'spec-driven', 'x', 'a b', 'docs/guide.md', '../out.md', '/abs.md', 'C:\\x', 'a\0b', 'tasks.md'];
const maybe = (random: Random, value: () => unknown): unknown => (random.int(3) === 0 ? undefined : value());

function randomMetadata(random: Random): unknown {
  if (random.int(20) === 0) return anyOf(random, [null, [], 'schema: x', 3]);
  const fields: Record<string, unknown> = {
    schema: anyOf(random, [...TEXTS, undefined, 1, null]),
    created: maybe(random, () => anyOf(random, ['2026-12-02', '2026-1-2', '', 20261202, null])),
    goal: maybe(random, () => anyOf(random, ['', 'Ship it', 5])),
    affected_areas: maybe(random, () => anyOf(random, [[], ['api'], ['api', ''], 'api', [1]])),
    initiative:
      random.int(8) === 0 ? anyOf(random, [{ store: 'a', id: 'b-c' }, { store: 'A', id: 'b' }, {}]) : undefined,
    skip_specs: maybe(random, () => anyOf(random, [true, false, 'true', 1, null])),
    retire_capabilities: maybe(random, () => anyOf(random, [true, false, 'no'])),
    unknown_key: maybe(random, () => 'kept out'),
  };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}

function randomArtifact(random: Random): unknown {
  if (random.int(15) === 0) return anyOf(random, [null, 'proposal', []]);
  return {
    id: anyOf(random, ['proposal', 'tasks', '', 7]),
    generates: anyOf(random, TEXTS),
    description: anyOf(random, ['', 'The proposal', undefined, 3]),
    template: anyOf(random, TEXTS),
    ...(random.int(2) === 0 ? { instruction: anyOf(random, ['Write it', 4]) } : {}),
    ...(random.int(2) === 0 ? { requires: anyOf(random, [[], ['proposal'], 'proposal', [1]]) } : {}),
    ...(random.int(4) === 0 ? { extra: true } : {}),
  };
}

function randomSchemaYaml(random: Random): unknown {
  if (random.int(20) === 0) return anyOf(random, [null, [], 'name: x']);
  const artifacts = random.int(10) === 0 ? 'none' : Array.from({ length: random.int(3) }, () => randomArtifact(random));
  return {
    name: anyOf(random, ['spec-driven', '', 3]),
    version: anyOf(random, [1, 2, 0, -1, 1.5, '1', Number.MAX_SAFE_INTEGER + 2]),
    ...(random.int(2) === 0 ? { description: anyOf(random, ['Flow', 3]) } : {}),
    artifacts,
    ...(random.int(2) === 0
      ? {
          apply: anyOf(random, [
            { requires: ['tasks'], tracks: 'tasks.md' },
            { requires: ['tasks'], tracks: null },
            { requires: ['tasks'] },
            { requires: [], tracks: 'tasks.md' },
            { requires: ['tasks'], tracks: '../x' },
            { requires: ['tasks'], instruction: 9 },
            'apply',
          ]),
        }
      : {}),
  };
}

describe('plain checks of the YAML files validation reads', () => {
  it('give what the CLI schemas give, value or error, on 3,000 random .openspec.yaml and schema.yaml files', () => {
    const random = new Random(1202);
    const outcomes = new Set<string>();
    for (let round = 0; round < 3000; round++) {
      const metadata = randomMetadata(random);
      const expected = ChangeMetadataSchema.safeParse(metadata);
      const actual = checkChangeMetadata(metadata);
      assert.deepEqual(actual.success, expected.success, JSON.stringify(metadata));
      if (expected.success && actual.success) assert.deepEqual(actual.data, expected.data, JSON.stringify(metadata));
      else if (!actual.success && !expected.success) assert.equal(actual.error.message, expected.error.message);
      const schema = randomSchemaYaml(random);
      const expectedSchema = SchemaYamlSchema.safeParse(schema);
      const actualSchema = checkWorkflowSchemaYaml(schema);
      assert.deepEqual(actualSchema.success, expectedSchema.success, JSON.stringify(schema));
      if (expectedSchema.success && actualSchema.success)
        assert.deepEqual(actualSchema.data, expectedSchema.data, JSON.stringify(schema));
      else if (!actualSchema.success && !expectedSchema.success)
        assert.equal(actualSchema.error.message, expectedSchema.error.message);
      outcomes.add(`metadata ${expected.success}`).add(`schema ${expectedSchema.success}`);
    }
    assert.deepEqual(
      [...outcomes].sort(),
      ['metadata false', 'metadata true', 'schema false', 'schema true'],
      'valid and invalid files of both kinds were generated',
    );
  });

  it('leave the schema library unloaded while every file is plainly valid', () => {
    const loaded = execFileSync(
      process.execPath,
      [
        '-e',
        `const checks = require(${JSON.stringify(require.resolve('../../../src/core/validation/plainSchemaChecks'))});
         checks.checkChangeMetadata({ schema: 'spec-driven', created: '2026-12-02' });
         checks.checkWorkflowSchemaYaml({ name: 'flow', version: 1, artifacts: [{ id: 'a', generates: 'a.md', description: '', template: 't.md' }] });
         const before = Object.keys(require.cache).some((file) => file.endsWith('fileSchemas.js'));
         checks.checkChangeMetadata({ schema: '' });
         const after = Object.keys(require.cache).some((file) => file.endsWith('fileSchemas.js'));
         process.stdout.write(JSON.stringify([before, after]));`,
      ],
      { encoding: 'utf8' },
    );
    assert.deepEqual(JSON.parse(loaded), [false, true]);
  });
});
