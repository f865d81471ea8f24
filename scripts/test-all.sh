#!/usr/bin/env bash
# `npm test`: everything CI runs, from a fresh clone on a fresh machine. Installs what is missing (npm
# packages, apt packages, code-server in a cache folder outside the repository), then runs lint, the format check, the type
# check, the build, the Node test tiers (unit, differential against the OpenSpec CLI, fuzz), the integration
# tests in a real VS Code extension host and the UI tests in its workbench. Ends with "N passed, N failed, N skipped",
# counting every test plus the lint, type-check and build steps.
set -uo pipefail
cd "$(dirname "$0")/.."

RESULTS=test-results
SUMMARIES="$RESULTS/summaries"
rm -rf "$SUMMARIES"
mkdir -p "$SUMMARIES"

record() { # suite passed failed
  printf '{"suite":"%s","passed":%d,"failed":%d,"pending":0}\n' "$1" "$2" "$3" > "$SUMMARIES/$1.json"
}

step() { # name command... : a check that counts as one pass or one failure
  local name=$1
  shift
  echo "== $name"
  if "$@"; then record "$name" 1 0; else record "$name" 0 1; fi
}

suite() { # name command... : a test run that writes its own summary; a crash before it does counts as a failure
  local name=$1
  shift
  echo "== $name"
  export OPENSPEC_LOOP_TEST_SUMMARY="$PWD/$SUMMARIES/$name.json" OPENSPEC_LOOP_TEST_SUITE="$name"
  "$@"
  local status=$?
  if [ ! -s "$SUMMARIES/$name.json" ]; then record "$name" 0 1; fi
  if [ $status -ne 0 ] && grep -q '"failed":0' "$SUMMARIES/$name.json"; then record "$name-exit" 0 1; fi
  unset OPENSPEC_LOOP_TEST_SUMMARY OPENSPEC_LOOP_TEST_SUITE
}

install_node_modules() {
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
}

step install-npm install_node_modules
step install-code-server bash scripts/code-server/install.sh
step lint npx eslint src test
step format npx prettier --check .
step typecheck npx tsc -p .
step build node esbuild.mjs
suite node npx mocha --reporter ./out/test/harness/summaryReporter.js
suite integration node out/test/harness/runIntegration.js
# A multi-root workspace (the multiroot fixture's .code-workspace): folders added and removed while it runs.
suite integration-multiroot node out/test/harness/runIntegration.js --multiroot
suite ui npx mocha --no-config --forbid-only --timeout 120000 --reporter ./out/test/harness/summaryReporter.js 'out/test/ui/**/*.test.js'
# The integration tests again on VS Code 1.117 (code-server 4.117.0, which needs Node 22): the APIs newer than our
# minimum, such as handing our MCP server to agent mode, are feature-detected and must work where they exist.
step install-code-server-1.117 env CODE_SERVER_NODE_MAJOR=22 bash scripts/code-server/install.sh 4.117.0
suite integration-1.117 env CODE_SERVER_VERSION=4.117.0 node out/test/harness/runIntegration.js
# And on the newest code-server npm has (4.139.1 = VS Code 1.139, on Node 24), where those APIs are newest.
step install-code-server-newest env CODE_SERVER_NODE_MAJOR=24 bash scripts/code-server/install.sh 4.139.1
suite integration-newest env CODE_SERVER_VERSION=4.139.1 node out/test/harness/runIntegration.js

node scripts/sum-results.mjs "$SUMMARIES"
