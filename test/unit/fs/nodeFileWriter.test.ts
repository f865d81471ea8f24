import * as assert from 'node:assert/strict';
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentBase, replaceIfUnchanged, type WriteOutcome } from '../../../src/core/fs/fileWriter';
import { checkboxEdit } from '../../../src/core/openspec/taskCheckbox';
import { toPosix } from '../../../src/node/nodeFileSystem';
import { NodeFileWriter } from '../../../src/node/nodeFileWriter';

const kind = (outcome: WriteOutcome) => outcome.kind;

describe('NodeFileWriter', () => {
  let dir: string;
  /** A path in the test folder, in the core's POSIX form. */
  const at = (...parts: string[]) => toPosix(join(dir, ...parts));
  const read = (...parts: string[]) => readFileSync(join(dir, ...parts));
  const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
  /** Everything in the folder, temporary files included. */
  const entries = (...parts: string[]) => readdirSync(join(dir, ...parts)).sort();

  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'node-file-writer-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('replacing a file only while it holds the text read', () => {
    it('writes over the text read, keeping the permissions, and leaves no temporary file', async () => {
      write('spec.md', 'old\n');
      chmodSync(join(dir, 'spec.md'), 0o640);
      const outcome = await replaceIfUnchanged(new NodeFileWriter(), at('spec.md'), documentBase('old\n'), 'new\n');
      assert.equal(kind(outcome), 'written');
      assert.equal(read('spec.md').toString(), 'new\n');
      assert.equal(statSync(join(dir, 'spec.md')).mode & 0o777, 0o640);
      assert.deepEqual(entries(), ['spec.md']);
    });

    it('takes a base read as an editor shows the file: without its BOM, with other line endings', async () => {
      write('spec.md', '\uFEFFone\r\ntwo\r\n');
      const outcome = await replaceIfUnchanged(new NodeFileWriter(), at('spec.md'), documentBase('one\ntwo\n'), 'x\n');
      assert.equal(kind(outcome), 'written');
      assert.equal(read('spec.md').toString(), 'x\n');
    });

    it('refuses as stale when the file changed since it was read, leaving it byte for byte', async () => {
      write('spec.md', 'edited by the user\n');
      const before = read('spec.md');
      const outcome = await replaceIfUnchanged(new NodeFileWriter(), at('spec.md'), documentBase('old\n'), 'new\n');
      assert.equal(kind(outcome), 'stale');
      assert.deepEqual(read('spec.md'), before);
      assert.deepEqual(entries(), ['spec.md']);
    });

    it('catches a second writer that changes the file after the base check, before the rename', async () => {
      write('spec.md', 'old\n');
      let wrote = false;
      const writer = new NodeFileWriter({
        beforeCommit: () => {
          // Another process saves the file while the new text sits in its temporary file.
          if (!wrote) write('spec.md', 'saved by someone else\n');
          wrote = true;
        },
      });
      const outcome = await replaceIfUnchanged(writer, at('spec.md'), documentBase('old\n'), 'new\n');
      assert.ok(wrote, 'the second writer ran between the check and the rename');
      assert.equal(kind(outcome), 'stale');
      assert.equal(read('spec.md').toString(), 'saved by someone else\n');
      assert.deepEqual(entries(), ['spec.md']);
    });
  });

  describe('read-modify-write', () => {
    it('edits the text a second writer saved meanwhile instead of overwriting it', async () => {
      write('tasks.md', '- [ ] 1.1 One\n- [ ] 1.2 Two\n');
      let wrote = false;
      const writer = new NodeFileWriter({
        beforeCommit: () => {
          if (!wrote) write('tasks.md', '- [ ] 1.1 One\n- [x] 1.2 Two\n');
          wrote = true;
        },
      });
      const outcome = await writer.update(at('tasks.md'), checkboxEdit(place(0), true));
      assert.equal(kind(outcome), 'written');
      assert.equal(read('tasks.md').toString(), '- [x] 1.1 One\n- [x] 1.2 Two\n');
    });

    it('100 parallel updates of one file all land', async () => {
      const count = 100;
      const lines = Array.from({ length: count }, (_, index) => `- [ ] 1.${index + 1} Task`);
      write('tasks.md', `${lines.join('\n')}\n`);
      const writer = new NodeFileWriter();
      const outcomes = await Promise.all(
        lines.map((_, line) => writer.update(at('tasks.md'), checkboxEdit(place(line), true))),
      );
      assert.deepEqual(new Set(outcomes.map(kind)), new Set(['written']));
      assert.equal(read('tasks.md').toString(), `${lines.map((line) => line.replace('[ ]', '[x]')).join('\n')}\n`);
      assert.deepEqual(entries(), ['tasks.md']);
    });

    it('answers unchanged and stale from the edit without writing, and missing for no file', async () => {
      write('tasks.md', '- [x] 1.1 Done\n');
      const before = statSync(join(dir, 'tasks.md')).mtimeMs;
      const writer = new NodeFileWriter();
      assert.equal(kind(await writer.update(at('tasks.md'), checkboxEdit(place(0), true))), 'unchanged');
      assert.equal(kind(await writer.update(at('tasks.md'), checkboxEdit(place(5), true))), 'stale');
      assert.equal(kind(await writer.update(at('gone.md'), () => 'text')), 'missing');
      assert.equal(statSync(join(dir, 'tasks.md')).mtimeMs, before);
      assert.deepEqual(entries(), ['tasks.md']);
    });

    it('refuses a folder, with the reason, and changes nothing', async () => {
      mkdirSync(join(dir, 'specs'));
      const outcome = await new NodeFileWriter().update(at('specs'), () => 'text');
      assert.deepEqual(outcome, { kind: 'refused', reason: 'it is not a file' });
      assert.deepEqual(entries('specs'), []);
    });
  });

  describe('links', () => {
    it('writes through a link to its target: the link stays a link', async () => {
      mkdirSync(join(dir, 'openspec', 'lists'), { recursive: true });
      writeFileSync(join(dir, 'openspec', 'lists', 'real.md'), '- [ ] 1.1 One\n');
      symlinkSync(join('lists', 'real.md'), join(dir, 'openspec', 'tasks.md'));
      const writer = new NodeFileWriter({ within: at('openspec') });
      const outcome = await writer.update(at('openspec', 'tasks.md'), checkboxEdit(place(0), true));
      assert.equal(kind(outcome), 'written');
      assert.ok(lstatSync(join(dir, 'openspec', 'tasks.md')).isSymbolicLink());
      assert.equal(read('openspec', 'lists', 'real.md').toString(), '- [x] 1.1 One\n');
      assert.deepEqual(entries('openspec', 'lists'), ['real.md']);
    });

    it('serializes writes through a link and to its target as writes to one file', async () => {
      write('real.md', '- [ ] 1.1 One\n- [ ] 1.2 Two\n');
      symlinkSync('real.md', join(dir, 'link.md'));
      const writer = new NodeFileWriter();
      const outcomes = await Promise.all([
        writer.update(at('link.md'), checkboxEdit(place(0), true)),
        writer.update(at('real.md'), checkboxEdit(place(1), true)),
      ]);
      assert.deepEqual(outcomes.map(kind), ['written', 'written']);
      assert.equal(read('real.md').toString(), '- [x] 1.1 One\n- [x] 1.2 Two\n');
    });

    it('refuses a link whose target lies outside the folder it is confined to, changing neither', async () => {
      mkdirSync(join(dir, 'openspec'));
      write('secret.md', '- [ ] 1.1 Outside\n');
      symlinkSync(join('..', 'secret.md'), join(dir, 'openspec', 'tasks.md'));
      const writer = new NodeFileWriter({ within: at('openspec') });
      const outcome = await writer.update(at('openspec', 'tasks.md'), checkboxEdit(place(0), true));
      assert.equal(kind(outcome), 'refused');
      assert.equal(read('secret.md').toString(), '- [ ] 1.1 Outside\n');
      assert.ok(lstatSync(join(dir, 'openspec', 'tasks.md')).isSymbolicLink());
      assert.equal(kind(await writer.create(at('elsewhere.md'), 'text')), 'refused');
      assert.deepEqual(entries(), ['openspec', 'secret.md']);
    });
  });

  describe('create', () => {
    it('creates the file and the folders it needs', async () => {
      const outcome = await new NodeFileWriter().create(at('specs', 'auth', 'spec.md'), '# Auth\n');
      assert.equal(kind(outcome), 'written');
      assert.equal(read('specs', 'auth', 'spec.md').toString(), '# Auth\n');
      assert.deepEqual(entries('specs', 'auth'), ['spec.md']);
    });

    it('refuses when anything is there, a dangling link included, leaving it as it was', async () => {
      write('spec.md', 'mine\n');
      symlinkSync('nowhere.md', join(dir, 'dangling.md'));
      const writer = new NodeFileWriter();
      assert.equal(kind(await writer.create(at('spec.md'), 'theirs\n')), 'exists');
      assert.equal(kind(await writer.create(at('dangling.md'), 'theirs\n')), 'exists');
      assert.equal(read('spec.md').toString(), 'mine\n');
      assert.ok(lstatSync(join(dir, 'dangling.md')).isSymbolicLink());
      assert.deepEqual(entries(), ['dangling.md', 'spec.md']);
    });

    it('refuses when a second writer creates the file after the check, keeping their file', async () => {
      const writer = new NodeFileWriter({ beforeCommit: () => write('spec.md', 'theirs\n') });
      assert.equal(kind(await writer.create(at('spec.md'), 'mine\n')), 'exists');
      assert.equal(read('spec.md').toString(), 'theirs\n');
      assert.deepEqual(entries(), ['spec.md']);
    });
  });

  describe('move', () => {
    it('moves a folder with what it holds, creating the target folder', async () => {
      mkdirSync(join(dir, 'changes', 'add-mfa'), { recursive: true });
      writeFileSync(join(dir, 'changes', 'add-mfa', 'tasks.md'), 'tasks\n');
      const outcome = await new NodeFileWriter().move(at('changes', 'add-mfa'), at('changes', 'archive', 'add-mfa'));
      assert.equal(kind(outcome), 'written');
      assert.deepEqual(entries('changes'), ['archive']);
      assert.equal(read('changes', 'archive', 'add-mfa', 'tasks.md').toString(), 'tasks\n');
    });

    it('refuses a target that exists, an empty folder included, and a source that does not', async () => {
      write('a.md', 'a\n');
      write('b.md', 'b\n');
      mkdirSync(join(dir, 'empty'));
      const writer = new NodeFileWriter();
      assert.equal(kind(await writer.move(at('a.md'), at('b.md'))), 'exists');
      assert.equal(kind(await writer.move(at('a.md'), at('empty'))), 'exists');
      assert.equal(kind(await writer.move(at('none.md'), at('c.md'))), 'missing');
      assert.deepEqual(entries(), ['a.md', 'b.md', 'empty']);
      assert.equal(read('a.md').toString(), 'a\n');
      assert.equal(read('b.md').toString(), 'b\n');
    });

    it('refuses when a second writer puts something at the target after the check', async () => {
      write('a.md', 'a\n');
      const writer = new NodeFileWriter({ beforeCommit: () => write('b.md', 'theirs\n') });
      assert.equal(kind(await writer.move(at('a.md'), at('b.md'))), 'exists');
      assert.equal(read('a.md').toString(), 'a\n');
      assert.equal(read('b.md').toString(), 'theirs\n');
    });
  });
});

/** A task checkbox at the start of `line`, as `- [ ] …` puts it. */
function place(line: number) {
  return { line, checkboxRange: { start: { line, character: 3 }, end: { line, character: 4 } } };
}
