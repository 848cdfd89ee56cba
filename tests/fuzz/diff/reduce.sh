#!/usr/bin/env bash
# Reduces a mismatching module kept by run.sh (docs/fuzzing-diff.md) with binaryen's
# wasm-reduce: the reduced module must still mismatch (same wtrun mode, any output difference
# other than a refused module).
#
#   tests/fuzz/diff/reduce.sh build/fuzz/diff-findings/STAMP-ID [SECONDS_PER_TRY]
#
# Writes reduced.wasm and reduced.wat (wasm2wat, when wabt is installed) next to m.wasm and
# prints both sides' outputs for it. WTRUN_DIFF_RUNNER: the diff_runner (default: run.sh's
# build, build/fuzz/diff-build/diff_runner).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
HERE="$ROOT/tests/fuzz/diff"
DIR=$(cd "${1:?usage: reduce.sh FINDING_DIR [SECONDS_PER_TRY]}" && pwd)
TRY=${2:-20}
RUNNER=${WTRUN_DIFF_RUNNER:-$ROOT/build/fuzz/diff-build/diff_runner}
RUNNER=$(cd "$(dirname "$RUNNER")" && pwd)/$(basename "$RUNNER")
REDUCE=$(command -v wasm-reduce) || { echo "reduce.sh: wasm-reduce is needed (apt-get install binaryen)" >&2; exit 2; }
MODE=$(sed -n 's/.*diff_runner --mode \([a-z]*\).*/\1/p' "$DIR/generate.sh")
MODE=${MODE:-fuel}
NODE="node --experimental-wasm-type-reflection --stack-size=900"

cat >"$DIR/reduce-test.sh" <<TEST
#!/usr/bin/env bash
# Prints 1 when $DIR/t.wasm still mismatches, else 0 (wasm-reduce's test).
cd "$DIR"
timeout $TRY "$RUNNER" --mode $MODE t.wasm >t.wtrun 2>/dev/null
rc=\$?
if [ \$rc -ge 128 ] && [ \$rc -ne 137 ]; then echo 1; exit 0; fi   # wtrun crashed
v=\$(timeout $TRY $NODE "$HERE/v8_shell.cjs" t.wasm --compare t.wtrun 2>/dev/null)
case "\$v" in
  *load-error*|*'instantiate error'*) echo 0 ;;
  *'"mismatch"'*) echo 1 ;;
  *) echo 0 ;;
esac
TEST
cp "$DIR/m.wasm" "$DIR/t.wasm"
[ "$(bash "$DIR/reduce-test.sh")" = 1 ] || { echo "reduce.sh: $DIR/m.wasm does not mismatch (mode $MODE)" >&2; exit 1; }
"$REDUCE" "$DIR/m.wasm" --command="bash $DIR/reduce-test.sh" -t "$DIR/t.wasm" -w "$DIR/reduced.wasm" \
  --timeout "$TRY" --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int \
  --enable-bulk-memory --enable-reference-types --enable-multivalue >"$DIR/reduce.log" 2>&1
echo "reduce.sh: $(stat -c %s "$DIR/m.wasm") -> $(stat -c %s "$DIR/reduced.wasm") bytes ($DIR/reduced.wasm)"
command -v wasm2wat >/dev/null &&
  wasm2wat --enable-all --no-check "$DIR/reduced.wasm" -o "$DIR/reduced.wat" && echo "  $DIR/reduced.wat"
"$RUNNER" --mode "$MODE" "$DIR/reduced.wasm" >"$DIR/reduced.wtrun" 2>&1
$NODE "$HERE/v8_shell.cjs" "$DIR/reduced.wasm" >"$DIR/reduced.v8" 2>&1
diff "$DIR/reduced.v8" "$DIR/reduced.wtrun" | head -20
