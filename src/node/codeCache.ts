import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, promises as fsp } from 'node:fs';
import { Module } from 'node:module';
import * as nodePath from 'node:path';
import { performance } from 'node:perf_hooks';
import * as vm from 'node:vm';
import { toPosix } from './nodeFileSystem';
import { writeFileAtomically } from './nodeFileWriter';

/**
 * How a CommonJS bundle was compiled: from the code V8 compiled at an earlier start (`used`), from source because
 * there was no cache for this exact text yet (`absent`), or from source because V8 refused the cache it was given
 * (`rejected`: another V8, other flags, a damaged file).
 */
export type CodeCacheUse = 'used' | 'absent' | 'rejected';

export interface CodeCachedModule<T> {
  readonly exports: T;
  readonly use: CodeCacheUse;
  /** Reading the text and the cache, and compiling: one unbroken stretch of the thread. */
  readonly compileMs: number;
  /** Running the bundle's top level, which defines its modules: one unbroken stretch of the thread. */
  readonly runMs: number;
  /** Where the cache for this text is kept: read at this start, written by `save`. */
  readonly cacheFile: string;
  /**
   * Writes V8's code for the bundle, as compiled while it loaded, for the next start; and removes the caches of
   * other texts of the same bundle. Called a while after the start, so that the writing does not slow it.
   */
  save(): Promise<void>;
}

/**
 * Loads a CommonJS bundle as `require` would, but compiles it with V8's code cache kept in `cacheDir`.
 *
 * The extension host compiles a 1 MB bundle in about 40–90 ms of its only thread before activation can even
 * start; from the cache, in about a fifth of that. A cache is named after a hash of the bundle's text and the Node version,
 * because V8 checks only the text's length, not its content, before trusting a cache.
 *
 * `parentRequire` resolves the bundle's own `require` calls: the extension host hands each extension's `require`
 * its `vscode` module, so the bundle must ask through the loader's. `nextTurn` is awaited between the steps, so
 * that compiling, running and taking the cache are separate stretches of a thread others share.
 */
export async function loadWithCodeCache<T>(
  file: string,
  cacheDir: string,
  parentRequire: NodeJS.Require,
  nextTurn: () => Promise<void> = () => Promise.resolve(),
): Promise<CodeCachedModule<T>> {
  const compiling = performance.now();
  const bytes = readFileSync(file);
  const key = createHash('sha256').update(process.version).update('\0').update(bytes).digest('hex').slice(0, 32);
  const source = textOf(bytes);
  const stem = nodePath.basename(file, '.js');
  const cacheFile = nodePath.join(cacheDir, `${stem}-${key}.v8`);
  const cachedData = readIfPresent(cacheFile);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData, ...dynamicImports() });
  const use: CodeCacheUse = cachedData === undefined ? 'absent' : script.cachedDataRejected ? 'rejected' : 'used';
  const compileMs = performance.now() - compiling;
  await nextTurn();
  const running = performance.now();
  const module = { exports: {} as T };
  const wrapper = script.runInThisContext() as (
    exports: T,
    require: NodeJS.Require,
    module: { exports: T },
    filename: string,
    dirname: string,
  ) => void;
  wrapper.call(module.exports, module.exports, parentRequire, module, file, nodePath.dirname(file));
  const runMs = performance.now() - running;
  await nextTurn();
  // Taken before the extension runs, the cache holds what loading the bundle compiled, and no more: taken after,
  // it holds every function compiled since, and V8 then spends longer reading that cache than compiling afresh.
  let compiled = use === 'used' ? undefined : script.createCachedData();
  return {
    exports: module.exports,
    use,
    compileMs,
    runMs,
    cacheFile,
    save: async () => {
      await writeFileAtomically(toPosix(cacheFile), compiled ?? script.createCachedData());
      compiled = undefined; // a megabyte the extension no longer needs
      await removeOtherCaches(cacheDir, stem, nodePath.basename(cacheFile));
    },
  };
}

/**
 * The bundle's text. esbuild writes bundles in ASCII (other characters escaped), which decodes as Latin-1 in
 * about a millisecond; Node's UTF-8 decoding of the same megabyte took some 15 ms of the host's thread.
 */
function textOf(bytes: Buffer): string {
  return isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    // No cache yet, or one that cannot be read: either way the source is compiled as on a first start.
    return undefined;
  }
}

/** The bundle's `import()` calls go to Node's own loader where this Node can say so (it throws otherwise). */
function dynamicImports(): Pick<vm.ScriptOptions, 'importModuleDynamically'> {
  // Older Node has no such constant (its typings say it always has).
  const loader = (vm.constants as Partial<typeof vm.constants> | undefined)?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  return loader === undefined ? {} : { importModuleDynamically: loader };
}

async function removeOtherCaches(cacheDir: string, stem: string, keep: string): Promise<void> {
  const names = await fsp.readdir(cacheDir);
  const pattern = new RegExp(`^${stem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{32}\\.v8$`);
  await Promise.all(
    names
      .filter((name) => name !== keep && pattern.test(name))
      .map((name) => fsp.rm(nodePath.join(cacheDir, name), { force: true })),
  );
}
