#!/usr/bin/env bash
# Makes the Pulumi engine available offline (this network only reaches the Go module proxy,
# npm and apt, so the CLI is compiled from Go modules). Prints, as its LAST stdout line, a
# directory holding `pulumi`, `pulumi-language-nodejs` and `pulumi-resource-pulumi-nodejs`:
#   PATH="$(scripts/engine.sh | tail -n1):$PATH"
# Automation API: PulumiCommand.get({ root: path.dirname(thatDir) }) (it runs <root>/bin/pulumi).
# Progress goes to stderr. Binaries are cached outside the work tree, keyed by version.
set -euo pipefail

ENGINE_VERSION=v3.259.0   # pulumi CLI; keep >= the @pulumi/pulumi SDK version in package.json
LANGHOST_VERSION=v3.68.0  # last sdk/v3 that contains nodejs/cmd/pulumi-language-nodejs (its newer own module is not on the proxy)
CLIPBOARD_FORK=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e  # pkg/v3's own replace (go ignores deps' replaces)
VERSION_VAR=github.com/pulumi/pulumi/sdk/v3/go/common/version.Version  # unset => empty `pulumi version`, Automation API refuses the CLI
DIR="${KEYSERVICE_ENGINE_CACHE:-$HOME/.cache/keyservice-engine}/$ENGINE_VERSION"
BIN="$DIR/bin"            # <root>/bin/pulumi is the layout PulumiCommand.get({ root }) expects

log() { echo "engine: $*" >&2; }
die() { echo "engine: ERROR: $*" >&2; exit 1; }
cli_ok() { [[ -x $1 && "$(PULUMI_SKIP_UPDATE_CHECK=true "$1" version 2>/dev/null)" == "$ENGINE_VERSION" ]]; }
ready() { [[ -x $BIN/pulumi-language-nodejs ]] && cli_ok "$BIN/pulumi"; }

# Dynamic-provider plugin, rewritten on every run (cheap, keeps it in sync with this file). Like the
# script at the root of the @pulumi/pulumi npm package, it resolves the SDK from its cwd; that fails
# for Automation API inline programs run outside the project tree, so KEYSERVICE_PULUMI_SDK
# (the dir of an installed @pulumi/pulumi) takes precedence when set.
mkdir -p "$BIN"
cat >"$BIN/.plugin.$$" <<'EOF'
#!/bin/sh
# Pulumi dynamic-provider plugin (like @pulumi/pulumi/pulumi-resource-pulumi-nodejs; from scripts/engine.sh).
script=$(node -e 'const d = process.env.KEYSERVICE_PULUMI_SDK;
console.log(require.resolve(d ? d + "/cmd/dynamic-provider" : "@pulumi/pulumi/cmd/dynamic-provider"))') || exit 1
exec node "$script" "$@"
EOF
chmod +x "$BIN/.plugin.$$" && mv -f "$BIN/.plugin.$$" "$BIN/pulumi-resource-pulumi-nodejs"

# Fast path: binaries already cached.
if ready; then echo "$BIN"; exit 0; fi

mkdir -p "$DIR/build"
exec 9>"$DIR/.lock"; flock 9   # concurrent runs wait for one build instead of racing
if ready; then echo "$BIN"; exit 0; fi

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

# 1. CLI: reuse a `pulumi` on PATH if it is exactly the pinned version, else build it.
if ! cli_ok "$BIN/pulumi"; then
  sys=$(command -v pulumi || true)
  if [[ -n $sys ]] && cli_ok "$sys"; then
    log "using $sys"
    cp -f "$sys" "$BIN/pulumi"   # copy, not symlink: the CLI looks for bundled plugins beside its resolved path
    if [[ -x $(dirname "$sys")/pulumi-language-nodejs ]]; then cp -f "$(dirname "$sys")/pulumi-language-nodejs" "$BIN/"; fi
  else
    go_build pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$ENGINE_VERSION" \
      "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@$ENGINE_VERSION" "github.com/pulumi/pulumi/sdk/v3@$ENGINE_VERSION"
  fi
  cli_ok "$BIN/pulumi" || die "$BIN/pulumi does not print $ENGINE_VERSION for 'pulumi version'"
fi

# 2. Node.js language host, needed for directory programs (inline Automation API programs run their
#    own). The v3.259 CLI falls back to the older RPCs this host implements.
if [[ ! -x $BIN/pulumi-language-nodejs ]]; then
  go_build pulumi-language-nodejs github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs "$LANGHOST_VERSION" \
    "github.com/pulumi/pulumi/sdk/v3/nodejs/cmd/pulumi-language-nodejs@$LANGHOST_VERSION"
fi

ready || die "engine directory $BIN is incomplete"
log "ready: $BIN"
echo "$BIN"
