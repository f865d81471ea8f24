import * as assert from 'node:assert/strict';
import { loadChangeContext } from '../../../../src/core/ai/prompt/changeContext';
import { anchorFindings } from '../../../../src/core/ai/review/anchorFindings';
import { knownDocuments, resolveFindingPath } from '../../../../src/core/ai/review/findingPaths';
import type { ModelFinding } from '../../../../src/core/ai/review/findingSchema';
import { SAMPLE_ROOT, sampleProjectFs } from '../prompt/sampleWorkspace';

async function known() {
  const context = await loadChangeContext(sampleProjectFs(), SAMPLE_ROOT, 'add-note-tags');
  return knownDocuments(context);
}

function finding(file: string, extra: Partial<ModelFinding> = {}): ModelFinding {
  return { severity: 'warning', category: 'ambiguity', file, message: 'Vague.', ...extra };
}

describe('finding paths', () => {
  it('knows the change documents, its deltas, the touched main spec and config.yaml', async () => {
    assert.deepEqual([...(await known()).keys()].sort(), [
      'openspec/changes/add-note-tags/design.md',
      'openspec/changes/add-note-tags/proposal.md',
      'openspec/changes/add-note-tags/specs/notes/spec.md',
      'openspec/changes/add-note-tags/specs/tags/spec.md',
      'openspec/changes/add-note-tags/tasks.md',
      'openspec/config.yaml',
      'openspec/specs/notes/spec.md',
    ]);
  });

  it('accepts the ways models write a path', async () => {
    const files = await known();
    const resolve = (raw: string) => resolveFindingPath(raw, SAMPLE_ROOT, 'add-note-tags', files);
    const tagsDelta = 'openspec/changes/add-note-tags/specs/tags/spec.md';
    for (const raw of [
      tagsDelta,
      'changes/add-note-tags/specs/tags/spec.md',
      `${SAMPLE_ROOT}/${tagsDelta}`,
      `/home/someone/elsewhere/${tagsDelta}`,
      `./${tagsDelta}`,
      `\`${tagsDelta}\``,
      'openspec\\changes\\add-note-tags\\specs\\tags\\spec.md',
      'specs/tags/spec.md',
      'tags/spec.md',
    ]) {
      assert.deepEqual(resolve(raw), { file: tagsDelta }, raw);
    }
    assert.deepEqual(resolve('proposal.md'), { file: 'openspec/changes/add-note-tags/proposal.md' });
    // Relative to the change wins: specs/notes/spec.md is the delta, openspec/specs/notes/spec.md the main spec.
    assert.deepEqual(resolve('specs/notes/spec.md'), { file: 'openspec/changes/add-note-tags/specs/notes/spec.md' });
    assert.deepEqual(resolve('openspec/specs/notes/spec.md:12'), { file: 'openspec/specs/notes/spec.md', line: 12 });
    assert.deepEqual(resolve('tasks.md#L7'), { file: 'openspec/changes/add-note-tags/tasks.md', line: 7 });
  });

  it('resolves nothing outside the change and the specs it touches', async () => {
    const files = await known();
    for (const raw of [
      'openspec/specs/sharing/links/spec.md',
      'openspec/changes/expire-shared-links/proposal.md',
      '../etc/passwd',
      'README.md',
      '',
      'spec.md',
    ]) {
      assert.equal(resolveFindingPath(raw, SAMPLE_ROOT, 'add-note-tags', files), undefined, raw);
    }
  });
});

describe('anchorFindings', () => {
  it('locates a named requirement when the line is missing or outside it, and clamps lines to the file', async () => {
    const files = await known();
    const { findings, discarded } = anchorFindings(
      [
        finding('specs/tags/spec.md', { requirement: 'Filter by tag' }),
        finding('specs/tags/spec.md', { requirement: 'filter  BY tag', line: 2 }),
        finding('specs/tags/spec.md', { requirement: 'Tag a note', line: 9 }),
        finding('openspec/specs/notes/spec.md', { requirement: '### Requirement: Create a note', line: null }),
        finding('tasks.md', { line: 500, suggestion: '  ' }),
        finding('proposal.md', { line: 0, requirement: 'Nothing like it', suggestion: 'Say who.' }),
      ],
      SAMPLE_ROOT,
      'add-note-tags',
      files,
    );
    assert.deepEqual(discarded, []);
    assert.deepEqual(
      findings.map((f) => [f.file.replace('openspec/changes/add-note-tags/', ''), f.line, f.requirement, f.suggestion]),
      [
        ['specs/tags/spec.md', 17, 'Filter by tag', undefined],
        ['specs/tags/spec.md', 17, 'Filter by tag', undefined],
        ['specs/tags/spec.md', 9, 'Tag a note', undefined],
        ['openspec/specs/notes/spec.md', 8, 'Create a note', undefined],
        ['tasks.md', 14, undefined, undefined],
        ['proposal.md', 1, 'Nothing like it', 'Say who.'],
      ],
    );
    assert.ok(!('suggestion' in findings[4]!));
  });

  it('sets aside findings about files outside the change, saying why', async () => {
    const outside = finding('openspec/specs/sharing/links/spec.md');
    const { findings, discarded } = anchorFindings([outside], SAMPLE_ROOT, 'add-note-tags', await known());
    assert.deepEqual(findings, []);
    assert.deepEqual(discarded, [
      {
        finding: outside,
        reason:
          '"openspec/specs/sharing/links/spec.md" is not a file of change add-note-tags or a main spec it touches',
      },
    ]);
  });
});
