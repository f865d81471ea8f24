// Bundles the extension and the CLI into CommonJS files for Node.
// `vscode` is provided by the extension host at run time, so it stays external.
import * as esbuild from 'esbuild';
import { dirname, join } from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// zod bundles its error messages in every language it has (about a sixth of dist/extension.js); the product
// speaks English only, so each language resolves to the English messages. The extension host compiles the whole
// bundle at activation, while every other extension waits.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\/[a-zA-Z-]+\.(c?js)$/ }, (args) => {
      const locales = /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.(c?js)$/.exec(args.importer);
      if (!locales || args.path.startsWith('./en.')) return undefined;
      return { path: join(dirname(args.importer), `en.${locales[1]}`) };
    });
  },
};

// A package bundled twice, once as ES modules and once as CommonJS (a `require` of it next to an `import`), has two
// sets of classes: `instanceof` against one never matches what the other throws, and the bundle grows. This fails
// the build instead.
const onePackageCopy = {
  name: 'one-package-copy',
  setup(build) {
    build.onEnd((result) => {
      const seen = new Map();
      const errors = [];
      for (const input of Object.keys(result.metafile?.inputs ?? {})) {
        if (!input.includes('node_modules/')) continue;
        const module = input.replace(/\/dist\/(cjs|esm)\//, '/dist/*/').replace(/\.(c|m)?js$/, '');
        const other = seen.get(module);
        if (other !== undefined && other !== input)
          errors.push({
            text: `${other} and ${input} are two builds of one module: import it the same way everywhere`,
          });
        seen.set(module, input);
      }
      return { errors: errors.slice(0, 3) };
    });
  },
};

// esbuild turns each `import * as vscode from 'vscode'` of an external CommonJS module into a copy of the API
// object, a getter per property: 60 files, some 450 properties each, about 50 ms of the host thread at
// activation. Every file imports this one module instead, which copies the API once.
const oneVscodeNamespace = {
  name: 'one-vscode-namespace',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-api'
        ? { path: 'vscode', external: true }
        : { path: 'vscode', namespace: 'vscode-api' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-api' }, () => ({
      contents: "export * from 'vscode';",
      loader: 'js',
    }));
  },
};

const shared = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
  metafile: true,
  plugins: [zodEnglishOnly, onePackageCopy],
};

// The CLI is a small dispatcher (dist/cli.js) and one bundle per command (dist/cli-<command>.js), which the
// dispatcher loads when that command runs: `validate` then compiles a fraction of the code, not the MCP SDK
// and the model client too.
const CLI_COMMANDS = ['validate', 'archive', 'review', 'improve', 'loop', 'mcp'];

/** Keeps main.ts's `import('./<command>Command')` out of the dispatcher, pointing at that command's bundle. */
const commandsApart = {
  name: 'cli-commands-apart',
  setup(build) {
    const pattern = new RegExp(`^\\./(${CLI_COMMANDS.join('|')})Command$`);
    build.onResolve({ filter: pattern }, (args) => {
      if (!args.importer.endsWith('main.ts')) return undefined;
      return { path: `./cli-${pattern.exec(args.path)[1]}.js`, external: true };
    });
  },
};

// The schema library behind the YAML files' error texts (src/core/validation/fileSchemas.ts) is a bundle of its
// own too, dist/cli-schemas.js: the commands load it only for a file that is not plainly valid.
const schemasApart = {
  name: 'cli-schemas-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/fileSchemas$/ }, (args) =>
      args.importer.endsWith('plainSchemaChecks.ts') ? { path: './cli-schemas.js', external: true } : undefined,
    );
  },
};

// The YAML library (a third of dist/cli-validate.js) is a bundle of its own, dist/cli-yaml.js, for the validate
// command: most projects' metadata is read without it (src/core/validation/plainYaml.ts), so most runs never
// compile it.
const yamlApart = {
  name: 'cli-yaml-apart',
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, (args) =>
      args.importer.endsWith('yamlCache.ts') ? { path: './cli-yaml.js', external: true } : undefined,
    );
  },
};

const builds = [
  // The extension's entry (dist/extension.js) is small: it compiles the extension (dist/extension-main.js)
  // through V8's code cache (src/extension/entry.ts).
  { ...shared, entryPoints: ['src/extension/entry.ts'], outfile: 'dist/extension.js' },
  {
    ...shared,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension-main.js',
    plugins: [...shared.plugins, oneVscodeNamespace],
  },
  {
    ...shared,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [zodEnglishOnly, onePackageCopy, commandsApart, schemasApart],
  },
  ...CLI_COMMANDS.map((command) => ({
    ...shared,
    entryPoints: [`src/cli/${command}Command.ts`],
    outfile: `dist/cli-${command}.js`,
    plugins: [zodEnglishOnly, onePackageCopy, schemasApart, ...(command === 'validate' ? [yamlApart] : [])],
  })),
  { ...shared, entryPoints: ['node_modules/yaml/dist/index.js'], outfile: 'dist/cli-yaml.js' },
  { ...shared, entryPoints: ['src/core/validation/fileSchemas.ts'], outfile: 'dist/cli-schemas.js' },
];

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
