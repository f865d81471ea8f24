import * as assert from 'node:assert/strict';
import { MemoryFileSystem } from '../../../src/core/fs/memoryFileSystem';
import { UsageError } from '../../../src/cli/usageError';
import { runValidate } from '../../../src/cli/validateCommand';
import { main } from '../../../src/cli/main';
import { type CliOutput } from '../../../src/cli/output';
import type { SavedVerdicts, VerdictStore } from '../../../src/core/validation/verdictCache';
import { authSpec } from '../validation/authSpec';

const spec = authSpec(['Valid password']);
const delta = spec.split('## Requirements\n')[1]!.replace(/^/, '## ADDED Requirements\n').replace('Login', 'Logout');

function project(): MemoryFileSystem {
  return new MemoryFileSystem({
    '/p/openspec/config.yaml': 'schema: spec-driven\n',
    '/p/openspec/specs/auth/spec.md': spec,
    '/p/openspec/specs/shared/spec.md': spec,
    '/p/openspec/changes/add-logout/specs/auth/spec.md': delta,
    '/p/openspec/changes/shared/specs/auth/spec.md': delta,
    '/p/openspec/changes/dup-tasks/specs/auth/spec.md': delta,
    '/p/openspec/changes/dup-tasks/tasks.md': '## 1. A\n- [ ] 1.1 a\n- [ ] 1.1 b\n',
  });
}

function capture(): CliOutput & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (line) => stdout.push(line), err: (line) => stderr.push(line) };
}

async function run(args: string[], fs = project(), cwd = '/p') {
  const output = capture();
  const code = await runValidate(args, { fs, cwd, output });
  return { code, ...output, json: () => JSON.parse(output.stdout.join('\n')) as Record<string, unknown> };
}

describe('openspec-loop validate', () => {
  it('validates one change with the CLI JSON shape and exit code', async () => {
    const result = await run(['add-logout', '--json']);
    assert.equal(result.code, 0);
    const json = result.json() as {
      items: Array<Record<string, unknown>>;
      summary: unknown;
      version: string;
      root: unknown;
    };
    assert.deepEqual(Object.keys(json), ['items', 'summary', 'version', 'root']);
    assert.deepEqual(Object.keys(json.items[0]!), ['id', 'type', 'valid', 'issues', 'durationMs']);
    assert.deepEqual(json.summary, {
      totals: { items: 1, passed: 1, failed: 0 },
      byType: { change: { items: 1, passed: 1, failed: 0 } },
    });
    assert.deepEqual(json.root, { path: '/p', source: 'nearest' });
  });

  it('fails in strict mode on warnings and prints next steps in text mode', async () => {
    assert.equal((await run(['dup-tasks'])).code, 0);
    const strict = await run(['dup-tasks', '--strict']);
    assert.equal(strict.code, 1);
    assert.deepEqual(strict.stderr.slice(0, 2), [
      "Change 'dup-tasks' has issues",
      '⚠ [WARNING] tasks.md: Task ID "1.1" is duplicated; it was first declared on line 2.',
    ]);
    assert.equal(strict.stderr[2], 'Next steps:');
  });

  it('runs bulk scopes with byType for each requested scope', async () => {
    const all = await run(['--all', '--json']);
    const json = all.json() as { items: Array<{ id: string; type: string }>; summary: { byType: object } };
    // Ids in the CLI's order; a change and a spec sharing an id come in finishing order.
    assert.deepEqual(
      json.items.map((item) => item.id),
      ['add-logout', 'auth', 'dup-tasks', 'shared', 'shared'],
    );
    assert.deepEqual(Object.keys(json.summary.byType), ['change', 'spec']);
    const specsOnly = (await run(['--specs', '--json'])).json() as { summary: { byType: object } };
    assert.deepEqual(Object.keys(specsOnly.summary.byType), ['spec']);
    const text = await run(['--changes', '--strict']);
    assert.deepEqual(text.stdout, [
      '✓ change/add-logout',
      '✓ change/shared',
      'Totals: 2 passed, 1 failed (3 items)',
      'Details: openspec-loop validate dup-tasks --type change',
    ]);
  });

  it('reports unknown and ambiguous items with the CLI envelopes', async () => {
    const unknown = await run(['auht', '--json']);
    assert.equal(unknown.code, 1);
    assert.deepEqual(unknown.json(), {
      status: [
        {
          severity: 'error',
          code: 'unknown_item',
          message: "Unknown item 'auht'. Did you mean: auth, shared, shared, dup-tasks, add-logout?",
        },
      ],
    });
    const ambiguous = await run(['shared', '--json']);
    assert.deepEqual(ambiguous.json(), {
      status: [
        {
          severity: 'error',
          code: 'ambiguous_item',
          message: "Ambiguous item 'shared' matches both a change and a spec.",
          fix: 'Pass --type change|spec.',
        },
      ],
    });
    assert.equal((await run(['shared', '--type', 'spec'])).code, 0);
    const invalid = await run(['a/b', '--type', 'change', '--json']);
    assert.deepEqual(invalid.json(), {
      status: [{ severity: 'error', code: 'invalid_item', message: 'Change name must not contain path separators' }],
    });
  });

  it('validates several named items into one combined report', async () => {
    const result = await run(['dup-tasks', 'auth', '--strict', '--json']);
    const json = result.json() as { items: Array<{ id: string }>; summary: unknown };
    assert.equal(result.code, 1);
    assert.deepEqual(
      json.items.map((item) => item.id),
      ['auth', 'dup-tasks'],
    );
    assert.deepEqual(json.summary, {
      totals: { items: 2, passed: 1, failed: 1 },
      byType: { change: { items: 1, passed: 0, failed: 1 }, spec: { items: 1, passed: 1, failed: 0 } },
    });
  });

  it('prints the hint without items and refuses bulk runs without a root', async () => {
    const hint = await run([]);
    assert.equal(hint.code, 1);
    assert.equal(hint.stderr[0], 'Nothing to validate. Try one of:');
    const fs = new MemoryFileSystem();
    fs.mkdir('/elsewhere');
    const noRoot = await run(['--all', '--json'], fs, '/elsewhere');
    assert.equal(noRoot.code, 1);
    assert.equal((noRoot.json() as { status: Array<{ code: string }> }).status[0]?.code, 'no_openspec_root');
    const text = await run(['--all'], fs, '/elsewhere');
    assert.deepEqual(text.stderr, [
      '✖ Error: No OpenSpec root found from the current directory.',
      'Fix: Run openspec init to create a root here.',
    ]);
  });

  it('rejects unknown options and answers --help and --version', async () => {
    await assert.rejects(run(['--bogus']), UsageError);
    const help = capture();
    assert.equal(await main(['validate', '--help'], help), 0);
    assert.match(help.stdout.join('\n'), /Usage: openspec-loop validate/);
    const version = capture();
    assert.equal(await main(['--version'], version), 0);
    assert.match(version.stdout[0] ?? '', /^\d+\.\d+\.\d+/);
    const bad = capture();
    assert.equal(await main(['validate', '--bogus'], bad), 1);
    assert.match(bad.stderr[0] ?? '', /^error: Unknown option '--bogus'/);
  });
});

/** A store in memory that counts what the command asked of it. */
function memoryStore(options: { failSave?: boolean } = {}) {
  const saved = new Map<string, SavedVerdicts>();
  const calls = { loads: 0, saves: 0 };
  const store: VerdictStore = {
    load: (root) => {
      calls.loads++;
      return saved.get(root);
    },
    save: (root, data) => {
      calls.saves++;
      if (options.failSave) return Promise.reject(new Error('EACCES: permission denied'));
      saved.set(root, JSON.parse(JSON.stringify(data)) as SavedVerdicts);
      return Promise.resolve();
    },
  };
  return { store, saved, calls };
}

describe('openspec-loop validate with saved verdicts', () => {
  async function runWith(args: string[], store: VerdictStore, fs = project()) {
    const output = capture();
    const code = await runValidate(args, { fs, cwd: '/p', output, verdicts: store });
    const items = (JSON.parse(output.stdout.join('\n')) as { items: Array<{ id: string; valid: boolean }> }).items;
    return { code, stderr: output.stderr, items: items.map((item) => ({ ...item, durationMs: 0 })) };
  }

  it('saves a bulk run, answers the next from it with the same report, and writes nothing when nothing changed', async () => {
    const { store, saved, calls } = memoryStore();
    const fs = project();
    const first = await runWith(['--all', '--json'], store, fs);
    assert.equal(calls.saves, 1);
    assert.deepEqual(Object.keys(saved.get('/p')?.verdicts ?? {}).length, first.items.length);
    const second = await runWith(['--all', '--json'], store, fs);
    assert.deepEqual(second, first);
    assert.equal(calls.saves, 1, 'every verdict held, so nothing was written');
    assert.equal(second.code, 0);
    fs.writeFile('/p/openspec/changes/add-logout/specs/auth/spec.md', '## ADDED Requirements\n');
    const broken = await runWith(['--all', '--json'], store, fs);
    assert.equal(broken.code, 1, 'the emptied delta is validated afresh');
    assert.deepEqual(
      broken.items.filter((item) => !item.valid).map((item) => item.id),
      ['add-logout'],
    );
    assert.equal(calls.saves, 2);
  });

  it('neither reads nor saves verdicts with --no-cache or for named items', async () => {
    const { store, calls } = memoryStore();
    await runWith(['--all', '--json', '--no-cache'], store);
    await runWith(['add-logout', '--json'], store);
    assert.deepEqual(calls, { loads: 0, saves: 0 });
  });

  it('keeps the verdict and warns once when the verdicts cannot be saved', async () => {
    const { store } = memoryStore({ failSave: true });
    const result = await runWith(['--all', '--json'], store);
    assert.equal(result.code, 0);
    assert.equal(result.items.length, 5);
    assert.deepEqual(result.stderr, [
      'Warning: could not save the validation cache (EACCES: permission denied); pass --no-cache to skip it.',
    ]);
  });
});
