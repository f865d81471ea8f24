import * as assert from 'node:assert/strict';
import { parseDesign, parseProposal, parseTasks } from '../../src/core/openspec/changeDocuments';
import { parseDeltaSpec, parseMainSpec } from '../../src/core/openspec/specDocuments';
import { parseChangeMetadata, parseProjectConfig } from '../../src/core/openspec/yamlFiles';
import { MemoryFileSystem } from '../../src/core/fs/memoryFileSystem';
import { scanWorkspace } from '../../src/core/openspec/workspaceScanner';
import { checkChange } from '../../src/core/lint/changeChecks';
import type { MarkdownDocument, Range } from '../../src/core/openspec/model';
import { adversarialDocuments, mutate, Random, randomDocument } from './generators';

const CASES = 3_000;

function assertRangeInside(range: Range, document: MarkdownDocument, what: string): void {
  assert.ok(range.start.line >= 0 && range.start.line <= range.end.line, `${what}: start after end`);
  assert.ok(range.end.line < document.lineCount, `${what}: ends past the last line`);
}

function parseAll(text: string, withYaml = true): void {
  const spec = parseMainSpec('/s.md', 'cap', text);
  for (const requirement of spec.requirements) {
    assertRangeInside(requirement.range, spec, `requirement ${requirement.name}`);
    for (const scenario of requirement.scenarios) {
      assert.ok(
        scenario.headerLine > requirement.headerLine && scenario.range.end.line <= requirement.range.end.line,
        'scenario outside its requirement',
      );
    }
  }
  const delta = parseDeltaSpec('/d.md', 'cap', text);
  for (const section of delta.deltaSections) {
    assertRangeInside(section.range, delta, `section ${section.operation}`);
    for (const requirement of section.requirements)
      assert.ok(requirement.headerLine >= section.headerLine && requirement.headerLine <= section.range.end.line);
  }
  const tasks = parseTasks('/t.md', text);
  assert.equal(tasks.total, tasks.tasks.length);
  assert.ok(tasks.completed <= tasks.total);
  for (const task of tasks.tasks)
    assert.ok(task.checkboxRange.start.character <= task.checkboxRange.end.character, 'checkbox range inverted');
  const proposal = parseProposal('/p.md', text);
  for (const capability of proposal.newCapabilities) assert.ok(capability.line < proposal.lineCount);
  parseDesign('/x.md', text);
  if (!withYaml) return;
  parseProjectConfig('/c.yaml', text);
  parseChangeMetadata('/m.yaml', text);
}

describe('fuzz: document parsers never throw and keep ranges inside the document', function () {
  // Generous: a regex that backtracks catastrophically would take minutes, not seconds.
  this.timeout(120_000);

  it(`survives ${CASES} random and mutated documents`, () => {
    const random = new Random(0x5eed);
    for (let index = 0; index < CASES; index++) {
      let text = randomDocument(random);
      for (let round = random.int(3); round > 0; round--) text = mutate(random, text);
      try {
        // YAML files are small in practice and the YAML library dominates the run time: fuzz it on a tenth.
        parseAll(text, index % 10 === 0);
      } catch (error) {
        assert.fail(`case ${index} failed: ${(error as Error).message}\n${JSON.stringify(text.slice(0, 400))}`);
      }
    }
  });

  it('handles inputs built to trigger regex backtracking', () => {
    for (const text of adversarialDocuments()) parseAll(text);
  });

  it('scans a workspace of malformed files and lints it without throwing', async () => {
    const random = new Random(42);
    const files: Record<string, string> = {};
    for (let index = 0; index < 40; index++) {
      const change = `/w/openspec/changes/change-${index}`;
      files[`${change}/proposal.md`] = mutate(random, randomDocument(random));
      files[`${change}/tasks.md`] = mutate(random, randomDocument(random));
      files[`${change}/.openspec.yaml`] = mutate(random, randomDocument(random));
      files[`${change}/specs/cap-${index % 5}/spec.md`] = mutate(random, randomDocument(random));
      files[`/w/openspec/specs/cap-${index % 7}/spec.md`] = mutate(random, randomDocument(random));
    }
    files['/w/openspec/config.yaml'] = '\u0000: [';
    const workspace = await scanWorkspace(new MemoryFileSystem(files), '/w');
    assert.equal(workspace?.changes.length, 40);
    for (const change of workspace.changes) checkChange(change, workspace.specs);
  });
});
