#!/usr/bin/env bash
# Runs a command with one of the supported Node majors first on PATH and its headers as
# npm_config_nodedir (scripts/node.sh fetches it once), e.g.
#   scripts/with-node.sh 24 npm test
# npm test, test:core and start pair node_modules with that Node first (scripts/runtime.js);
# afterwards this script pairs them back with the default `node`, so a plain `npm test` works
# again. KEYSERVICE_KEEP_PAIRING=1 skips that (CI, between legs).
set -euo pipefail
cd "$(dirname "$0")/.."

[[ $# -ge 2 ]] || { echo "usage: scripts/with-node.sh <20|22|24> <command> [args...]" >&2; exit 2; }
major=$1; shift
bin=$(bash scripts/node.sh "$major" | tail -n1)
default_path=$PATH

status=0
PATH="$bin:$PATH" npm_config_nodedir="$(dirname "$bin")" "$@" || status=$?

if [[ -z ${KEYSERVICE_KEEP_PAIRING:-} ]] && command -v node >/dev/null; then
  # The default node, with its own headers (runtime.js finds them beside its binary).
  env -u npm_config_nodedir PATH="$default_path" node scripts/runtime.js || { ((status)) || status=1; }
fi
exit "$status"
