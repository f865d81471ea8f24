import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { collectTaskFileIssues } from '../../../src/core/validation/taskFileChecks';
import { parseTaskLines } from '../../../src/core/validation/taskCheckboxes';

const root = '/p';
const change = '/p/openspec/changes/c1';

describe('task file checks', () => {
  it('parses task lines like the CLI (any marker, only x done, links are not tasks)', () => {
    const tasks = parseTaskLines('- [ ] a\n* [x] b\n1. [X] c\n+ [~] d\n- [A](link)\n- [ ](x)\n  - [] e\n- plain');
    assert.deepEqual(
      tasks.map((t) => [t.done, t.description]),
      [
        [false, 'a'],
        [true, 'b'],
        [true, 'c'],
        [false, 'd'],
        [false, '(x)'],
        [false, 'e'],
      ],
    );
  });

  it('warns about duplicated and misplaced task ids under the built-in schema', async () => {
    const fs = new MemoryFileSystem({
      [`${change}/tasks.md`]:
        '## 1. Setup\n- [ ] 1.1 One\n- [ ] 1.1 Again\n- [ ] 2.1 Misplaced\n## Notes\n- [ ] 1.1 Ignored\n',
    });
    assert.deepEqual(await collectTaskFileIssues(fs, change, root), [
      {
        level: 'WARNING',
        path: 'tasks.md',
        line: 3,
        message: 'Task ID "1.1" is duplicated; it was first declared on line 2.',
      },
      {
        level: 'WARNING',
        path: 'tasks.md',
        line: 4,
        message:
          'Task "2.1" is under group 1, but its leading number points to group 2. Move it to group 2 or renumber it.',
      },
    ]);
  });

  it('warns when the tracked task file has list items but no checkbox', async () => {
    const fs = new MemoryFileSystem({
      [`${change}/tasks.md`]:
        '---\ntags:\n- a\n---\n```\n- code\n```\n<!-- \n- hidden\n-->\n    - indented\n- real item\n',
    });
    const issues = await collectTaskFileIssues(fs, change, root);
    assert.equal(issues.length, 1);
    assert.equal(issues[0]?.line, 12);
    assert.match(issues[0]?.message ?? '', /^This change counts as 0 tasks/);
  });

  it('skips numbering checks for a project schema named spec-driven and follows its tracked glob', async () => {
    const schema =
      'name: spec-driven\nversion: 1\nartifacts:\n  - id: work\n    generates: "work/**/*.md"\n    description: d\n    template: t.md\n' +
      'apply:\n  requires: [work]\n  tracks: "work/**/*.md"\n';
    const fs = new MemoryFileSystem({
      '/p/openspec/schemas/spec-driven/schema.yaml': schema,
      [`${change}/work/a.md`]: '## 1. A\n- [ ] 1.1 x\n- [ ] 1.1 x\n',
      [`${change}/work/deep/b.md`]: '- plain\n',
    });
    assert.deepEqual(await collectTaskFileIssues(fs, change, root), []);
    fs.writeFile(`${change}/work/a.md`, '- plain bullet\n');
    assert.deepEqual(
      (await collectTaskFileIssues(fs, change, root)).map((issue) => [issue.path, issue.line]),
      [
        ['work/a.md', 1],
        ['work/deep/b.md', 1],
      ],
    );
  });

  it('reports nothing when the change metadata is invalid', async () => {
    const fs = new MemoryFileSystem({
      [`${change}/.openspec.yaml`]: 'schema: unknown\n',
      [`${change}/tasks.md`]: '## 1. A\n- [ ] 1.1 x\n- [ ] 1.1 x\n',
    });
    assert.deepEqual(await collectTaskFileIssues(fs, change, root), []);
  });
});
