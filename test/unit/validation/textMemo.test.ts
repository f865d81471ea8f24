import * as assert from 'node:assert/strict';
import { rememberedByText } from '../../../src/core/validation/textMemo';
import { parseYamlCached } from '../../../src/core/validation/yamlCache';

describe('text memo', () => {
  it('computes once per text and starts afresh past its bound of texts or characters', () => {
    const seen: string[] = [];
    const byCount = rememberedByText((text) => (seen.push(text), text.length), { maxEntries: 2 });
    assert.deepEqual([byCount('a'), byCount('bb'), byCount('a'), byCount('bb')], [1, 2, 1, 2]);
    assert.deepEqual(seen, ['a', 'bb'], 'each text computed once');
    byCount('ccc');
    byCount('a');
    assert.deepEqual(seen, ['a', 'bb', 'ccc', 'a'], 'a third text cleared the memo');
    const byChars = rememberedByText((text) => (seen.push(text), text.length), { maxChars: 3 });
    seen.length = 0;
    byChars('long text');
    byChars('long text');
    assert.deepEqual(seen, ['long text', 'long text'], 'a text over the bound is never remembered');
  });

  it('throws again for the same text only when told to remember failures', () => {
    let calls = 0;
    const failing = (text: string) => {
      calls++;
      throw new Error(`bad ${text}`);
    };
    const forgetting = rememberedByText(failing);
    assert.throws(() => forgetting('x'), /bad x/);
    assert.throws(() => forgetting('x'), /bad x/);
    assert.equal(calls, 2);
    const remembering = rememberedByText(failing, { failures: true });
    assert.throws(() => remembering('y'), /bad y/);
    assert.throws(() => remembering('y'), /bad y/);
    assert.equal(calls, 3);
  });

  it('hands YAML readers one frozen value per text, and the same error for the same bad text', () => {
    const first = parseYamlCached('schema: spec-driven\nareas:\n  - a\n');
    assert.equal(parseYamlCached('schema: spec-driven\nareas:\n  - a\n'), first);
    assert.ok(Object.isFrozen(first) && Object.isFrozen((first as { areas: unknown }).areas));
    let error: unknown;
    assert.throws(
      () => parseYamlCached('a: [unclosed'),
      (thrown) => ((error = thrown), true),
    );
    assert.throws(
      () => parseYamlCached('a: [unclosed'),
      (thrown) => thrown === error,
    );
  });
});
