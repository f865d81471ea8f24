import * as assert from 'node:assert/strict';
import { newErrors, validateProposal, type ValidationTarget } from '../../../../src/core/ai/improve/proposalValidation';
import type { ValidationIssue } from '../../../../src/core/validation/types';
import { SAMPLE_ROOT, sampleProjectFs } from '../prompt/sampleWorkspace';

const CHANGE = `${SAMPLE_ROOT}/openspec/changes/add-note-tags`;
const deltaTarget = (capability: string): ValidationTarget => ({
  kind: 'delta',
  file: `${CHANGE}/specs/${capability}/spec.md`,
  changeDir: CHANGE,
  capability,
  openspecDir: `${SAMPLE_ROOT}/openspec`,
});

describe('proposal validation', () => {
  it('reports a new error when the proposal drops the only scenario of an ADDED requirement', async () => {
    const fs = sampleProjectFs();
    const base = await fs.readFile(`${CHANGE}/specs/tags/spec.md`);
    const proposed = base.replace(/\n#### Scenario: Filter applied\n[\s\S]*$/, '\n');
    const validation = await validateProposal(fs, deltaTarget('tags'), base, proposed);
    assert.deepEqual(validation.before, []);
    assert.deepEqual(validation.newErrors, [
      { level: 'ERROR', path: 'tags/spec.md', message: 'ADDED "Filter by tag" must include at least one scenario' },
    ]);
    assert.deepEqual(validation.after, validation.newErrors);
  });

  it('checks a MODIFIED block against the main spec it replaces', async () => {
    const fs = sampleProjectFs();
    const base = await fs.readFile(`${CHANGE}/specs/notes/spec.md`);
    const proposed = base.replace(/\n#### Scenario: Title missing\n[\s\S]*$/, '\n');
    const validation = await validateProposal(fs, deltaTarget('notes'), base, proposed);
    assert.equal(validation.newErrors.length, 1);
    assert.match(
      validation.newErrors[0]!.message,
      /^MODIFIED "Create a note" omits scenario\(s\) the current spec still has: "Title missing"/,
    );
  });

  it('validates a main spec with the main-spec rules, and nothing for other documents', async () => {
    const fs = sampleProjectFs();
    const file = `${SAMPLE_ROOT}/openspec/specs/notes/spec.md`;
    const base = await fs.readFile(file);
    const validation = await validateProposal(
      fs,
      { kind: 'spec', file },
      base,
      base.replace('## Purpose', '## Porpoise'),
    );
    assert.deepEqual(validation.before, []);
    assert.ok(validation.newErrors.length > 0);
    assert.deepEqual(await validateProposal(fs, { kind: 'none' }, 'a', ''), { before: [], after: [], newErrors: [] });
  });

  it('compares errors by level and message, not line, counting repeats', () => {
    const error = (message: string, line?: number): ValidationIssue => ({
      level: 'ERROR',
      path: 'x',
      message,
      ...(line ? { line } : {}),
    });
    const before = [error('A', 3), error('B')];
    assert.deepEqual(newErrors(before, [error('A', 9), error('B')]), []);
    assert.deepEqual(newErrors(before, [error('A'), error('A'), error('B')]), [error('A')]);
    assert.deepEqual(newErrors(before, [{ level: 'WARNING', path: 'x', message: 'C' }]), []);
  });
});
