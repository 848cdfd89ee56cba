#!/usr/bin/env bash
# Self-test of the differential harness (docs/fuzzing-diff.md): runs the hand-written modules
# of selftest/ under wtrun (diff_runner, in each of its modes) and V8 (v8_shell.cjs) and checks
# each verdict and the lines it expects (";; expect-verdict: V", ";; expect-reason: TEXT",
# ";; expect-line: LINE"); then checks that a changed log line or trap is reported as a
# mismatch.
#
#   tests/fuzz/diff/selftest.sh DIFF_RUNNER
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RUNNER=${1:?usage: selftest.sh DIFF_RUNNER}
# [wasmgc] The oracle's node as run.sh picks it: WTRUN_DIFF_NODE, else node 24 from npm (run.sh
# installs it into build/fuzz/npm), else the PATH's node (node 20: gc.wat is skipped).
NODE_BIN=${WTRUN_DIFF_NODE:-}
npm_node="$HERE/../../../build/fuzz/npm/node_modules/node/bin/node"
[ -z "$NODE_BIN" ] && [ -x "$npm_node" ] && NODE_BIN=$npm_node
NODE_BIN=${NODE_BIN:-node}
NODE_MAJOR=$("$NODE_BIN" --version | sed -n 's/^v\([0-9]*\)\..*/\1/p')
if [ "${NODE_MAJOR:-0}" -ge 24 ]; then
  NODE="$NODE_BIN --experimental-wasm-type-reflection --stack-size=900"
else
  NODE="$NODE_BIN --experimental-wasm-type-reflection --experimental-wasm-extended-const --experimental-wasm-memory64 --stack-size=900"
  echo "selftest: node $("$NODE_BIN" --version) is older than 24: gc.wat skipped"
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

for mode in plain fuel epoch; do
for wat in "$HERE"/selftest/*.wat; do
  name=$(basename "$wat" .wat)
  [ "$name" = gc ] && [ "${NODE_MAJOR:-0}" -lt 24 ] && continue
  if ! "$RUNNER" --mode "$mode" --emit-wasm "$TMP/$name.wasm" "$wat" >"$TMP/$name.wtrun"; then
    fail "$name ($mode): diff_runner failed"
    continue
  fi
  verdict=$($NODE "$HERE/v8_shell.cjs" "$TMP/$name.wasm" --compare "$TMP/$name.wtrun")
  want=$(sed -n 's/^;; expect-verdict: //p' "$wat")
  case "$verdict" in
    *"\"verdict\":\"$want\""*) ;;
    *) fail "$name ($mode): expected verdict $want, got $verdict" ;;
  esac
  while IFS= read -r reason; do
    case "$verdict" in *"$reason"*) ;; *) fail "$name ($mode): verdict without \"$reason\": $verdict" ;; esac
  done < <(sed -n 's/^;; expect-reason: //p' "$wat")
  while IFS= read -r line; do
    grep -qxF "$line" "$TMP/$name.wtrun" || fail "$name ($mode): no line \"$line\" from wtrun"
  done < <(sed -n 's/^;; expect-line: //p' "$wat")
  echo "$name ($mode): $verdict"
done
done

# The comparison must catch a changed value and a changed trap kind.
for change in 's/^log i64:0$/log i64:1/' 's/^trap integer divide by zero$/trap integer overflow/'; do
  for name in imports traps; do
    sed "$change" "$TMP/$name.wtrun" >"$TMP/changed.wtrun"
    cmp -s "$TMP/changed.wtrun" "$TMP/$name.wtrun" && continue
    verdict=$($NODE "$HERE/v8_shell.cjs" "$TMP/$name.wasm" --compare "$TMP/changed.wtrun")
    case "$verdict" in
      *'"verdict":"mismatch"'*) echo "$name with $change: mismatch (as it must)" ;;
      *) fail "$name with $change: not reported: $verdict" ;;
    esac
  done
done

[ "$failures" -eq 0 ] && echo "selftest: all passed" || echo "selftest: $failures failure(s)"
[ "$failures" -eq 0 ]
