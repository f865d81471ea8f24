import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWithCodeCache } from '../../../src/node/codeCache';

interface Bundle {
  answer(): string;
  readonly dirname: string;
  readonly pathSep: string;
}

/** A CommonJS bundle as esbuild writes one: `module.exports`, `require` of a Node module, `__dirname`. */
function bundleText(answer: string): string {
  return [
    'const path = require("node:path");',
    'module.exports = {',
    `  answer: () => ${JSON.stringify(answer)},`,
    '  dirname: __dirname,',
    '  pathSep: path.sep,',
    '};',
  ].join('\n');
}

describe('loading the extension bundle through the code cache', () => {
  let scratch: string;
  let bundle: string;
  let cacheDir: string;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'openspec-loop-code-cache-'));
    bundle = join(scratch, 'extension-main.js');
    cacheDir = join(scratch, 'storage', 'code-cache');
    writeFileSync(bundle, bundleText('first'));
  });

  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  const load = () => loadWithCodeCache<Bundle>(bundle, cacheDir, require);

  /**
   * A start of its own: V8 keeps what it compiled for the life of a process, so a second load in this one would
   * not read the cache file at all.
   */
  const start = (then: 'save' | 'exit'): { use: string; answer: string } => {
    const program = `
      require(${JSON.stringify(require.resolve('../../../src/node/codeCache'))})
        .loadWithCodeCache(${JSON.stringify(bundle)}, ${JSON.stringify(cacheDir)}, require)
        .then(async (loaded) => {
          ${then === 'save' ? 'await loaded.save();' : ''}
          process.stdout.write(JSON.stringify({ use: loaded.use, answer: loaded.exports.answer() }));
        });`;
    return JSON.parse(execFileSync(process.execPath, ['-e', program], { encoding: 'utf8' })) as {
      use: string;
      answer: string;
    };
  };

  it('runs the bundle as require would, compiling from source at the first start', async () => {
    const loaded = await load();
    assert.equal(loaded.use, 'absent');
    assert.equal(loaded.exports.answer(), 'first');
    assert.equal(loaded.exports.dirname, scratch);
    assert.equal(loaded.exports.pathSep, '/');
    assert.equal(existsSync(cacheDir), false, 'nothing is written before save()');
  });

  it('gives the thread back between compiling the bundle and running it, and after', async () => {
    writeFileSync(bundle, `${bundleText('first')}\nglobalThis.openspecLoopBundleRan = true;`);
    const ranAtEachTurn: boolean[] = [];
    const ran = () => (globalThis as { openspecLoopBundleRan?: boolean }).openspecLoopBundleRan === true;
    const loaded = await loadWithCodeCache<Bundle>(bundle, cacheDir, require, () => {
      ranAtEachTurn.push(ran());
      return new Promise((resolve) => setImmediate(resolve));
    });
    delete (globalThis as { openspecLoopBundleRan?: boolean }).openspecLoopBundleRan;
    assert.deepEqual(ranAtEachTurn, [false, true]);
    assert.equal(loaded.exports.answer(), 'first');
  });

  it('reads a bundle with text beyond ASCII as UTF-8, from source and from its cache', async () => {
    writeFileSync(bundle, bundleText('déjà vu ↔ 漢字'));
    const first = await loadWithCodeCache<Bundle>(bundle, cacheDir, require);
    assert.equal(first.exports.answer(), 'déjà vu ↔ 漢字');
    await first.save();
    const again = await loadWithCodeCache<Bundle>(bundle, cacheDir, require);
    assert.equal(again.use, 'used');
    assert.equal(again.exports.answer(), 'déjà vu ↔ 漢字');
  });

  it('compiles from the cache the start before saved', () => {
    assert.deepEqual(start('save'), { use: 'absent', answer: 'first' });
    assert.deepEqual(start('exit'), { use: 'used', answer: 'first' });
  });

  it('never runs an earlier text from the cache: a new bundle of the same length compiles from source', async () => {
    start('save');
    writeFileSync(bundle, bundleText('other'));
    assert.deepEqual(start('exit'), { use: 'absent', answer: 'other' });
    const loaded = await load();
    await loaded.save();
    assert.deepEqual(readdirSync(cacheDir), [loaded.cacheFile.split('/').pop()], "the old text's cache is removed");
  });

  it('compiles from source when the cache file is damaged, and saving mends it', () => {
    start('save');
    const [cacheFile] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, cacheFile!), Buffer.from('not a V8 code cache at all'));
    assert.deepEqual(start('save'), { use: 'rejected', answer: 'first' });
    assert.deepEqual(start('exit'), { use: 'used', answer: 'first' });
  });

  it('still loads when the cache cannot be written; save() says why', async () => {
    // A file where the cache folder should be: no folder can be made there, whoever runs the test.
    mkdirSync(join(scratch, 'storage'));
    writeFileSync(cacheDir, 'in the way');
    const loaded = await load();
    assert.equal(loaded.exports.answer(), 'first');
    await assert.rejects(loaded.save(), /EEXIST|ENOTDIR/);
    assert.equal((await load()).use, 'absent');
  });
});
