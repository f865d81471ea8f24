import * as assert from 'node:assert/strict';
import { targetAt } from '../../../src/core/language/languageTarget';
import { requirementKeyOf } from '../../../src/core/language/requirementNameRange';
import { requirementReferences } from '../../../src/core/language/requirementReferences';
import type { OpenSpecWorkspace } from '../../../src/core/openspec/model';
import { authWorkspace, DELTA_A, DELTA_B, MAIN } from './languageWorkspace';

/** `file:line:start-end` per reference, paths shortened to the change. */
function places(workspace: OpenSpecWorkspace, file: string, line: number): string[] {
  const target = targetAt(workspace, file, line, 5);
  assert.ok(target, `a target at ${file}:${line}`);
  const key = requirementKeyOf(target);
  assert.ok(key);
  return requirementReferences(workspace, key).map(
    (reference) =>
      `${reference.file.replace('/p/openspec/', '')}:${reference.range.start.line}:${reference.range.start.character}-${reference.range.end.character}`,
  );
}

describe('find all references of a requirement', () => {
  it('from the main spec: the header, every active delta naming it, and its archived history through renames', async () => {
    const workspace = await authWorkspace();
    assert.deepEqual(places(workspace, MAIN, 13), [
      'specs/auth/spec.md:13:17-32',
      'changes/add-mfa/specs/auth/spec.md:1:17-32',
      'changes/tidy-auth/specs/auth/spec.md:1:26-41',
      // Newest archive first; the older one added it as "Lock account", which the newer renamed.
      'changes/archive/2026-01-10-lockout/specs/auth/spec.md:1:26-38',
      'changes/archive/2026-01-10-lockout/specs/auth/spec.md:2:24-39',
      'changes/archive/2025-06-01-add-lock/specs/auth/spec.md:1:17-29',
    ]);
  });

  it('from a delta header or a RENAMED FROM line: the same list', async () => {
    const workspace = await authWorkspace();
    const fromMain = places(workspace, MAIN, 13);
    assert.deepEqual(places(workspace, DELTA_A, 1), fromMain);
    assert.deepEqual(places(workspace, DELTA_B, 1), fromMain);
  });

  it('a REMOVED bullet finds the requirement it removes', async () => {
    const workspace = await authWorkspace();
    assert.deepEqual(places(workspace, DELTA_B, 5), [
      'specs/auth/spec.md:6:17-22',
      'changes/tidy-auth/specs/auth/spec.md:5:20-25',
    ]);
  });

  it('an added requirement has only its own header', async () => {
    const workspace = await authWorkspace();
    assert.deepEqual(places(workspace, DELTA_A, 9), ['changes/add-mfa/specs/auth/spec.md:9:17-30']);
  });

  it('matches names as archive does, and only within the capability', async () => {
    const workspace = await authWorkspace({
      '/p/openspec/changes/other/specs/billing/spec.md': '## MODIFIED Requirements\n### Requirement: Login\nx\n',
      '/p/openspec/changes/closing/specs/auth/spec.md': '## MODIFIED Requirements\n### Requirement: Login ##\nx\n',
    });
    const found = places(workspace, MAIN, 6);
    assert.ok(found.includes('changes/closing/specs/auth/spec.md:1:17-22'), found.join('\n'));
    assert.ok(!found.some((place) => place.includes('billing')));
  });
});
