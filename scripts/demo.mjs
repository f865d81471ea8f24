// `npm run demo`: builds and packages the extension, installs it into code-server (a real VS Code server,
// installed into a cache folder outside the repository), and opens it on a fresh copy of
// examples/sample-project. Prints the URL to open; Ctrl+C stops everything.
//   PORT=8080 (default)  the port to listen on, 127.0.0.1 only
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.OPENSPEC_LOOP_CACHE ?? join(homedir(), '.cache', 'openspec-loop');
const demo = join(cache, 'demo');
const port = Number(process.env.PORT ?? 8080);
const run = (command, args, options = {}) => execFileSync(command, args, { cwd: repo, stdio: 'inherit', ...options });
const say = (message) => process.stderr.write(`[demo] ${message}\n`);

const lock = join(repo, 'node_modules', '.package-lock.json');
if (!existsSync(lock) || statSync(join(repo, 'package-lock.json')).mtimeMs > statSync(lock).mtimeMs) {
  say('installing npm packages');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}
say('installing code-server (cached after the first run)');
const installDir = execFileSync('bash', [join(repo, 'scripts/code-server/install.sh')], {
  cwd: repo,
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
})
  .trim()
  .split('\n')
  .pop();
const entry = join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

say('building and packaging the extension');
mkdirSync(demo, { recursive: true });
run('npx', ['vsce', 'package', '--no-dependencies', '-o', join(demo, 'openspec-loop.vsix')], {
  stdio: ['ignore', 'ignore', 'inherit'],
});

const workspace = join(demo, 'sample-project');
rmSync(workspace, { recursive: true, force: true });
cpSync(join(repo, 'examples', 'sample-project'), workspace, { recursive: true });
const userData = join(demo, 'user-data');
const extensions = join(demo, 'extensions');
mkdirSync(join(userData, 'User'), { recursive: true });
mkdirSync(extensions, { recursive: true });
writeFileSync(
  join(userData, 'User', 'settings.json'),
  JSON.stringify(
    {
      'workbench.startupEditor': 'none',
      'security.workspace.trust.enabled': false,
      'extensions.autoCheckUpdates': false,
    },
    null,
    2,
  ),
);
const scratch = join(demo, 'scratch');
mkdirSync(scratch, { recursive: true });
const env = {
  ...process.env,
  XDG_CONFIG_HOME: join(scratch, 'config'),
  XDG_DATA_HOME: join(scratch, 'data'),
  TMPDIR: scratch,
};
const common = ['--user-data-dir', userData, '--extensions-dir', extensions];
run(process.execPath, [entry, ...common, '--install-extension', join(demo, 'openspec-loop.vsix'), '--force'], {
  env,
  stdio: ['ignore', 'ignore', 'inherit'],
});

// The shell watches this process: if it dies without cleaning up (killed, terminal closed), the shell takes
// code-server's whole process group down with it, so no server outlives the demo.
const watchdog = `"$@" & server=$!; while kill -0 ${process.pid} 2>/dev/null && kill -0 $server 2>/dev/null; do sleep 1; done; kill -KILL 0`;
const server = spawn(
  '/bin/sh',
  [
    '-c',
    watchdog,
    'code-server',
    process.execPath,
    entry,
    ...common,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    workspace,
  ],
  { env, stdio: ['ignore', 'ignore', 'inherit'], detached: true },
);
const stop = () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => {
  say(`code-server exited (${code})`);
  process.exit(code ?? 1);
});

for (let attempt = 0; attempt < 100; attempt++) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    if (response.ok) break;
  } catch {
    /* not up yet */
  }
  await new Promise((done) => setTimeout(done, 200));
}
console.log(
  `\nOpenSpec Loop is running in VS Code: http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}\n` +
    `Workspace: ${workspace} (a fresh copy of examples/sample-project). Press Ctrl+C to stop.`,
);
