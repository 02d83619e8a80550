#!/usr/bin/env bash
# Makes the Pulumi engine available offline (this network only reaches the Go module proxy,
# npm and apt, so the CLI is compiled from Go modules). Prints, as its LAST stdout line, a
# directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`:
#   PATH="$(scripts/engine.sh | tail -n1):$PATH"
# Automation API: PulumiCommand.get({ root: path.dirname(thatDir) }) (it runs <root>/bin/pulumi).
# It takes, in order: the pinned build, cached; a `pulumi` on PATH at least as new as the
# installed @pulumi/pulumi (copied beside our plugin); else it builds the pinned version.
# Progress, and which CLI it chose, go to stderr. Binaries are cached outside the work tree.
#   KEYSERVICE_ENGINE_CACHE       the cache (~/.cache/keyservice-engine), one folder per CLI version
#   KEYSERVICE_ENGINE_NO_BUILD=1  fail instead of building
#   KEYSERVICE_ENGINE_QUIET=1     do not say which CLI was chosen (build progress is still shown)
set -euo pipefail

ENGINE_VERSION=v3.259.0   # pulumi CLI; keep >= the @pulumi/pulumi version in package-lock.json
LANGHOST_VERSION=v3.68.0  # last sdk/v3 that contains nodejs/cmd/pulumi-language-nodejs (its newer own module is not on the proxy)
CLIPBOARD_FORK=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e  # pkg/v3's own replace (go ignores deps' replaces)
VERSION_VAR=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version  # unset => empty `pulumi version`, Automation API refuses the CLI
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${KEYSERVICE_ENGINE_CACHE:-$HOME/.cache/keyservice-engine}"
DIR="$CACHE/$ENGINE_VERSION"
BIN="$DIR/bin"            # <root>/bin/pulumi is the layout PulumiCommand.get({ root }) expects

log() { echo "engine: $*" >&2; }
say() { [[ -n ${KEYSERVICE_ENGINE_QUIET:-} ]] || log "$@"; }
die() { echo "engine: ERROR: $*" >&2; exit 1; }
version_of() { PULUMI_SKIP_UPDATE_CHECK=true "$1" version 2>/dev/null || true; }
cli_ok() { [[ -x $1 && "$(version_of "$1")" == "$ENGINE_VERSION" ]]; }
ready() { [[ -x $BIN/pulumi-language-nodejs ]] && cli_ok "$BIN/pulumi"; }
# at_least A B: version A >= version B (a leading v is ignored).
at_least() { [[ "$(printf '%s\n%s\n' "${2#v}" "${1#v}" | sort -V | head -n1)" == "${2#v}" ]]; }

# The CLI must be at least as new as the SDK: the installed @pulumi/pulumi (which one depends on
# the Node version, see scripts/runtime.js), else the pinned CLI's own version.
SDK_VERSION=$(node -p "require('$ROOT/node_modules/@pulumi/pulumi/package.json').version" 2>/dev/null || echo "${ENGINE_VERSION#v}")
at_least "$ENGINE_VERSION" "$SDK_VERSION" || die "ENGINE_VERSION $ENGINE_VERSION is older than @pulumi/pulumi $SDK_VERSION: raise it in scripts/engine.sh"

# write_plugin DIR: the dynamic-provider plugin, rewritten on every run (cheap, keeps it in sync
# with this file). Like the script at the root of the @pulumi/pulumi npm package, it resolves the
# SDK from its cwd; that fails for Automation API inline programs run outside the project tree, so
# KEYSERVICE_PULUMI_SDK (the dir of an installed @pulumi/pulumi) takes precedence when set.
write_plugin() {
  mkdir -p "$1"
  cat >"$1/.plugin.$$" <<'PLUGIN'
#!/bin/sh
# Pulumi dynamic-provider plugin (like @pulumi/pulumi/pulumi-resource-pulumi-nodejs; from scripts/engine.sh).
script=$(node -e 'const d = process.env.KEYSERVICE_PULUMI_SDK;
console.log(require.resolve(d ? d + "/cmd/dynamic-provider" : "@pulumi/pulumi/cmd/dynamic-provider"))') || exit 1
exec node "$script" "$@"
PLUGIN
  chmod +x "$1/.plugin.$$" && mv -f "$1/.plugin.$$" "$1/pulumi-resource-pulumi-nodejs"
}

# copy_in SRC DEST: an atomic copy, skipped when DEST already holds the same bytes.
copy_in() { cmp -s "$1" "$2" || { cp -f "$1" "$2.$$" && mv -f "$2.$$" "$2"; }; }

# 1. The pinned build, cached.
write_plugin "$BIN"
if ready; then
  say "pulumi $ENGINE_VERSION, the pinned build cached in $BIN (>= @pulumi/pulumi $SDK_VERSION)"
  echo "$BIN"; exit 0
fi

# 2. A `pulumi` on PATH at least as new as the SDK, with the language host beside it (as Pulumi's
#    own installs have). Copied, not symlinked, next to our plugin: the CLI looks for bundled
#    plugins beside its resolved path first.
sys=$(command -v pulumi || true)
if [[ -n $sys ]]; then
  sys_version=$(version_of "$sys")
  sys_host="$(dirname "$(readlink -f "$sys")")/pulumi-language-nodejs"
  if ! [[ $sys_version =~ ^v[0-9]+\.[0-9]+\.[0-9]+ ]] || ! at_least "$sys_version" "$SDK_VERSION"; then
    log "not using $sys: its version '${sys_version}' is older than @pulumi/pulumi $SDK_VERSION (or unreadable)"
  elif [[ ! -x $sys_host ]]; then
    log "not using $sys ($sys_version): no pulumi-language-nodejs beside it"
  else
    sys_bin="$CACHE/$sys_version/bin"
    write_plugin "$sys_bin"
    copy_in "$sys" "$sys_bin/pulumi"
    copy_in "$sys_host" "$sys_bin/pulumi-language-nodejs"
    say "pulumi $sys_version from $sys (>= @pulumi/pulumi $SDK_VERSION), copied with its language host to $sys_bin"
    echo "$sys_bin"; exit 0
  fi
fi

# 3. Build the pinned version.
[[ -z ${KEYSERVICE_ENGINE_NO_BUILD:-} ]] || die "no pulumi CLI >= $SDK_VERSION found, and KEYSERVICE_ENGINE_NO_BUILD is set"
mkdir -p "$DIR/build"
exec 9>"$DIR/.lock"; flock 9   # concurrent runs wait for one build instead of racing
if ready; then say "pulumi $ENGINE_VERSION, the pinned build cached in $BIN"; echo "$BIN"; exit 0; fi

# go_build NAME MAIN_PACKAGE VERSION GO_GET_ARGS...: builds in a scratch module $DIR/build/NAME with
# its own go.mod (the CLI and the old language host need different dependency versions).
go_build() {
  local name=$1 pkg=$2 ver=$3 b="$DIR/build/$1"; shift 3
  command -v go >/dev/null || die "'go' not found on PATH: Go >= 1.25.11 is needed to build the Pulumi engine offline"
  log "building $name $ver (cold Go build cache: ~3 min for the CLI, ~20 s for the language host on 2 cores; first-ever module download extra)..."
  mkdir -p "$b"
  (
    cd "$b" && rm -f go.mod go.sum &&
    go mod init "keyservice-engine/$name" 2>/dev/null &&
    go mod edit -replace "github.com/atotto/clipboard=$CLIPBOARD_FORK" &&
    { go get "$@" 2>&1 | sed '/^go: added /d' >&2; } &&   # drop ~300 "go: added" lines; pipefail keeps go's status
    CGO_ENABLED=0 go build -v -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X $VERSION_VAR=$ver" -o "$b/$name.new" "$pkg" >&2 &&
    mv -f "$b/$name.new" "$BIN/$name"   # atomic: never a half-written binary in $BIN
  ) || die "building $name $ver failed (see the go output above)"
}

# The CLI.
if ! cli_ok "$BIN/pulumi"; then
  go_build pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$ENGINE_VERSION" \
    "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$ENGINE_VERSION" "github.com/pulumi/pulumi/sdk/v3@$ENGINE_VERSION"
  cli_ok "$BIN/pulumi" || die "$BIN/pulumi does not print $ENGINE_VERSION for 'pulumi version'"
fi

# The Node.js language host, needed for directory programs (inline Automation API programs run
# their own). The v3.259 CLI falls back to the older RPCs this host implements.
if [[ ! -x $BIN/pulumi-language-nodejs ]]; then
  go_build pulumi-language-nodejs github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "$LANGHOST_VERSION" \
    "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@$LANGHOST_VERSION"
fi

ready || die "engine directory $BIN is incomplete"
log "ready: pulumi $ENGINE_VERSION, built here, in $BIN"
echo "$BIN"
