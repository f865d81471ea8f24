import * as assert from 'node:assert/strict';
import { targetAt } from '../../../src/core/language/languageTarget';
import { planRequirementRename, renameStart } from '../../../src/core/language/requirementRename';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { scanWorkspace } from '../../../src/core/openspec/workspaceScanner';
import type { OpenSpecWorkspace } from '../../../src/core/openspec/model';
import { lineStarts } from '../../../src/core/openspec/markdownLines';
import { authWorkspace, DELTA_A, DELTA_B, MAIN } from './languageWorkspace';

/** The texts of every file after the plan's replacements, as the editor would write them. */
function applied(workspace: OpenSpecWorkspace, replacements: ReturnType<typeof replacementsOf>): Map<string, string> {
  const texts = new Map<string, string>();
  const files = new Set(replacements.map((replacement) => replacement.file));
  for (const file of files) {
    const original = textOf(workspace, file);
    const starts = lineStarts(original);
    const offset = (line: number, character: number) => (starts[line] ?? 0) + character;
    let text = original;
    const mine = replacements
      .filter((replacement) => replacement.file === file)
      .sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    for (const { range, newText } of mine)
      text =
        text.slice(0, offset(range.start.line, range.start.character)) +
        newText +
        text.slice(offset(range.end.line, range.end.character));
    texts.set(file, text);
  }
  return texts;
}

function textOf(workspace: OpenSpecWorkspace, file: string): string {
  const documents = [...workspace.specs, ...workspace.changes.flatMap((change) => change.deltas)];
  const document = documents.find((candidate) => candidate.path === file);
  assert.ok(document, file);
  return document.text;
}

function replacementsOf(workspace: OpenSpecWorkspace, line: number, newName: string) {
  const target = targetAt(workspace, MAIN, line, 20);
  assert.ok(target);
  const plan = planRequirementRename(workspace, target, newName);
  assert.ok(plan.ok, plan.ok ? '' : plan.reason);
  return plan.replacements;
}

describe('rename a requirement', () => {
  it('starts on a main spec header, on the name', async () => {
    const workspace = await authWorkspace();
    const start = renameStart(workspace, targetAt(workspace, MAIN, 13, 3));
    assert.ok(start.ok);
    assert.deepEqual(start.range, { start: { line: 13, character: 17 }, end: { line: 13, character: 32 } });
    assert.ok(!renameStart(workspace, targetAt(workspace, MAIN, 3, 0)).ok);
  });

  it('renames from a MODIFIED header of an active change as from the main spec header it names', async () => {
    const workspace = await authWorkspace();
    const inDelta = targetAt(workspace, DELTA_A, 1, 20);
    assert.ok(inDelta?.kind === 'deltaRequirement');
    const start = renameStart(workspace, inDelta);
    assert.ok(start.ok, start.ok ? '' : start.reason);
    assert.equal(start.range.start.line, 1, 'the name is offered where F2 was pressed');
    const main = workspace.specs[0]?.requirements.find((requirement) => requirement.name === inDelta.requirement.name);
    assert.ok(main, 'the delta names a main spec requirement');
    const fromDelta = planRequirementRename(workspace, inDelta, 'Renamed from the delta');
    assert.ok(fromDelta.ok);
    assert.deepEqual(fromDelta.replacements, replacementsOf(workspace, main.headerLine, 'Renamed from the delta'));
  });

  it('renames the header, MODIFIED headers and RENAMED FROM lines of active changes, and leaves the archive', async () => {
    const workspace = await authWorkspace();
    const replacements = replacementsOf(workspace, 13, 'Account lock');
    assert.ok(!replacements.some((replacement) => replacement.file.includes('/archive/')));
    const texts = applied(workspace, replacements);
    assert.deepEqual([...texts.keys()].sort(), [DELTA_A, DELTA_B, MAIN].sort());
    assert.match(texts.get(MAIN) ?? '', /^### Requirement: Account lock$/m);
    assert.doesNotMatch(texts.get(MAIN) ?? '', /Account lockout/);
    assert.match(texts.get(DELTA_A) ?? '', /^### Requirement: Account lock$/m);
    assert.match(texts.get(DELTA_B) ?? '', /^- FROM: `### Requirement: Account lock`$/m);
    assert.match(texts.get(DELTA_B) ?? '', /^- TO: `### Requirement: Lockout after failures`$/m);
  });

  it('renames a REMOVED bullet, and a header with a closing # run keeps it', async () => {
    const workspace = await authWorkspace({
      '/p/openspec/changes/closing/specs/auth/spec.md': '## MODIFIED Requirements\n### Requirement: Login ##\nx\n',
    });
    const texts = applied(workspace, replacementsOf(workspace, 6, 'Sign in'));
    assert.match(texts.get(DELTA_B) ?? '', /^- `### Requirement: Sign in`$/m);
    assert.match(texts.get('/p/openspec/changes/closing/specs/auth/spec.md') ?? '', /^### Requirement: Sign in ##$/m);
  });

  it('refuses an empty name and a name the capability already has', async () => {
    const workspace = await authWorkspace();
    const target = targetAt(workspace, MAIN, 13, 20);
    assert.ok(target);
    const empty = planRequirementRename(workspace, target, '   ');
    assert.ok(!empty.ok);
    assert.match(empty.reason, /needs a name/);
    const taken = planRequirementRename(workspace, target, 'Login');
    assert.ok(!taken.ok);
    assert.match(taken.reason, /auth already has a requirement named "Login"/);
    const added = planRequirementRename(workspace, target, 'Second factor');
    assert.ok(!added.ok);
    assert.match(added.reason, /add-mfa already adds/);
  });

  it('touches only the capability it renames in', async () => {
    const workspace = await scanWorkspace(
      new MemoryFileSystem({
        '/p/openspec/specs/auth/spec.md': '# a\n## Purpose\np\n## Requirements\n### Requirement: Login\nx\n',
        '/p/openspec/changes/c/specs/billing/spec.md': '## MODIFIED Requirements\n### Requirement: Login\nx\n',
      }),
      '/p',
    );
    assert.ok(workspace);
    const target = targetAt(workspace, '/p/openspec/specs/auth/spec.md', 4, 20);
    assert.ok(target);
    const plan = planRequirementRename(workspace, target, 'Sign in');
    assert.ok(plan.ok);
    assert.deepEqual(
      plan.replacements.map((replacement) => replacement.file),
      ['/p/openspec/specs/auth/spec.md'],
    );
  });
});
