import * as assert from 'node:assert/strict';
import { findingsSummary } from '../../../../src/core/ai/review/findingsSummary';
import { counted } from '../../../../src/core/counted';

describe('findingsSummary', () => {
  it('counts one finding, one error and one warning in the singular', () => {
    assert.equal(
      findingsSummary([{ severity: 'error' }, { severity: 'warning' }, { severity: 'warning' }]),
      '3 findings (1 error, 2 warnings, 0 info)',
    );
    assert.equal(findingsSummary([{ severity: 'warning' }]), '1 finding (0 errors, 1 warning, 0 info)');
  });

  it('says "no findings" for a clean review', () => {
    assert.equal(findingsSummary([]), 'no findings');
  });

  it('takes an irregular plural where the noun needs one', () => {
    assert.equal(counted(1, 'proposal'), '1 proposal');
    assert.equal(counted(0, 'proposal'), '0 proposals');
    assert.equal(counted(2, 'entry', 'entries'), '2 entries');
  });
});
