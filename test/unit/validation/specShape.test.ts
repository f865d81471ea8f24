import * as assert from 'node:assert/strict';
import { z } from 'zod';
import type { ParsedSpec } from '../../../src/core/validation/markdownParser';
import { VALIDATION_MESSAGES } from '../../../src/core/validation/messages';
import { specShapeIssues } from '../../../src/core/validation/specSchema';
import { Random } from '../../fuzz/generators';

/** The schema `openspec validate` parses a main spec with (its src/core/schemas), as zod reports it. */
const OpenSpecSpecSchema = z.object({
  name: z.string().min(1, VALIDATION_MESSAGES.SPEC_NAME_EMPTY),
  overview: z.string().min(1, VALIDATION_MESSAGES.SPEC_PURPOSE_EMPTY),
  requirements: z
    .array(
      z.object({
        text: z.string().min(1, VALIDATION_MESSAGES.REQUIREMENT_EMPTY),
        scenarios: z
          .array(z.object({ rawText: z.string().min(1, VALIDATION_MESSAGES.SCENARIO_EMPTY) }))
          .min(1, VALIDATION_MESSAGES.REQUIREMENT_NO_SCENARIOS),
      }),
    )
    .min(1, VALIDATION_MESSAGES.SPEC_NO_REQUIREMENTS),
});

function viaZod(spec: ParsedSpec): Array<{ path: string; message: string }> {
  const result = OpenSpecSpecSchema.safeParse(spec);
  return result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}

describe('main spec shape check', () => {
  it('reports what the zod schema of openspec validate reports, in its order, on 2,000 random parsed specs', () => {
    const random = new Random(20261202);
    const text = () => random.pick(['', 'x', 'The system SHALL work.']);
    let withIssues = 0;
    for (let round = 0; round < 2000; round++) {
      const spec: ParsedSpec = {
        name: text(),
        overview: text(),
        requirements: Array.from({ length: random.int(4) }, () => ({
          text: text(),
          scenarios: Array.from({ length: random.int(3) }, () => ({ rawText: text() })),
        })),
        metadata: { version: '1.0.0', format: 'openspec' },
      };
      const expected = viaZod(spec);
      if (expected.length > 0) withIssues++;
      assert.deepEqual(specShapeIssues(spec), expected, JSON.stringify(spec));
    }
    assert.ok(withIssues > 1000 && withIssues < 2000, `${withIssues} of 2000 had issues`);
  });
});
