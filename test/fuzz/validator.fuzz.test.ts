import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../src/core/fs/memoryFileSystem';
import { makeRoot } from '../../src/core/validation/projectRoot';
import { validateItems } from '../../src/core/validation/validateItems';
import { Validator } from '../../src/core/validation/validator';
import { adversarialDocuments, mutate, Random, randomDocument } from './generators';

/** The CLI-compatible validator must turn any damage into issues, never into an exception. */
describe('fuzz: the CLI-compatible validator reports, never throws', function () {
  this.timeout(120_000);

  it('validates 2,000 random and damaged main specs, strict and not', () => {
    const random = new Random(0xabc);
    const lenient = new Validator(new MemoryFileSystem());
    const strict = new Validator(new MemoryFileSystem(), true);
    for (let index = 0; index < 2_000; index++) {
      let text = randomDocument(random);
      for (let round = random.int(3); round > 0; round--) text = mutate(random, text);
      const report = lenient.validateSpecContent('fuzz', text);
      assert.equal(report.valid, report.summary.errors === 0, `case ${index}: verdict disagrees with its own summary`);
      assert.ok(
        strict.validateSpecContent('fuzz', text).valid === false || report.valid,
        `case ${index}: strict passed what lenient failed`,
      );
    }
    for (const text of adversarialDocuments()) lenient.validateSpecContent('adversarial', text);
  });

  it('validates a whole workspace of damaged changes and specs, every item reported', async () => {
    const random = new Random(0xdef);
    const files: Record<string, string> = { '/w/openspec/config.yaml': mutate(random, 'schema: spec-driven\n') };
    for (let index = 0; index < 60; index++) {
      const change = `/w/openspec/changes/change-${index}`;
      files[`${change}/proposal.md`] = mutate(random, randomDocument(random));
      files[`${change}/tasks.md`] = mutate(random, randomDocument(random));
      if (index % 3 === 0)
        files[`${change}/.openspec.yaml`] = mutate(random, 'schema: spec-driven\nskip_specs: true\n');
      files[`${change}/specs/cap-${index % 6}/spec.md`] = mutate(random, randomDocument(random));
      files[`/w/openspec/specs/cap-${index % 6}/spec.md`] = mutate(random, randomDocument(random));
    }
    const run = await validateItems(new MemoryFileSystem(files), makeRoot('/w', 'nearest'), {
      kind: 'bulk',
      changes: true,
      specs: true,
    });
    assert.equal(run.summary.byType.change?.items, 60);
    assert.equal(run.summary.byType.spec?.items, 6);
    for (const item of run.items) {
      assert.equal(
        item.valid,
        !item.issues.some((issue) => issue.level === 'ERROR'),
        `${item.type}/${item.id}: verdict disagrees with its issues`,
      );
    }
  });
});
