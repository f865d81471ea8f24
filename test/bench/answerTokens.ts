import { applyDocumentEdits } from '../../src/core/ai/improve/documentEdits';
import { estimateTokens } from '../../src/core/ai/tokenEstimate';
import type { Row } from './table';
import { mainSpec } from './workspaceGenerator';

/**
 * What the model has to write to improve a small part of a long spec: the whole document again, the one
 * requirement (requirement mode), or find/replace edits. Output tokens are the slow part of a local model's
 * answer, and a long retyped document is where small models drop and truncate text.
 */
export function answerTokenRows(): Row[] {
  const spec = mainSpec('large', 180);
  const lines = spec.split('\n').length;
  const summary = 'Made the statement measurable.';
  const before = 'The system SHALL handle case 90 of large.';
  const after = 'The system SHALL handle case 90 of large within 200 ms.';
  const improved = spec.replace(before, after);
  const block = improved
    .slice(improved.indexOf('### Requirement: Requirement 90\n'), improved.indexOf('### Requirement: Requirement 91\n'))
    .trimEnd();
  const edit = {
    find: `### Requirement: Requirement 90\n${before}`,
    replace: `### Requirement: Requirement 90\n${after}`,
  };
  const applied = applyDocumentEdits(spec, [edit]);
  if (!applied.ok || applied.text !== improved)
    throw new Error('the edits answer does not reproduce the improved spec');
  const tokens = (answer: object) => estimateTokens(JSON.stringify(answer));
  const whole = tokens({ summary, document: improved });
  const requirement = tokens({ summary, requirement: block });
  const edits = tokens({ summary, edits: [edit] });
  const purpose = 'Describes how large behaves for every user of the product, in detail.';
  const clearer = 'Describes how the large capability answers each request of a signed-in user, and what it refuses.';
  const sectionEdit = { find: `## Purpose\n${purpose}`, replace: `## Purpose\n${clearer}` };
  const sectionWhole = tokens({ summary, document: spec.replace(purpose, clearer) });
  const sectionEdits = tokens({ summary, edits: [sectionEdit] });
  return [
    {
      what: `answer tokens: the Purpose section of a ${lines}-line spec, whole text`,
      value: sectionWhole,
      unit: 'tokens',
      note: '',
    },
    {
      what: 'answer tokens: the same section as find/replace edits',
      value: sectionEdits,
      unit: 'tokens',
      note: `${(sectionWhole / sectionEdits).toFixed(0)}x fewer (documents over 120 lines)`,
    },
    {
      what: `answer tokens: one requirement of a ${lines}-line spec, whole text`,
      value: whole,
      unit: 'tokens',
      note: 'what a whole-document answer costs',
    },
    {
      what: 'answer tokens: the same, requirement mode',
      value: requirement,
      unit: 'tokens',
      note: `${(whole / requirement).toFixed(0)}x fewer`,
    },
    {
      what: 'answer tokens: the same requirement as find/replace edits',
      value: edits,
      unit: 'tokens',
      note: `${(whole / edits).toFixed(0)}x fewer`,
    },
  ];
}
