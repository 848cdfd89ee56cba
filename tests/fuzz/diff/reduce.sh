#!/usr/bin/env bash
# Reduces a mismatching module kept by run.sh (docs/fuzzing-diff.md) with binaryen's
# wasm-reduce: the reduced module must still mismatch (same wtrun mode, the same kind of
# mismatch, any output difference other than a refused module).
#
#   tests/fuzz/diff/reduce.sh build/fuzz/diff-findings/STAMP-ID [SECONDS_PER_TRY]
#
# The kind of mismatch comes from the finding's verdict.json: wtrun against V8 (the default),
# [wasm3] lazy against eager compilation ("--compile lazy" in the reason: no node needed), or
# aarch64 (qemu) against x86_64 ("aarch64" in the reason; WTRUN_DIFF_A64_RUNNER, default
# build/fuzz/diff-build-a64/diff_runner, run with WTRUN_DIFF_QEMU, default qemu-aarch64).
# Writes reduced.wasm and reduced.wat (binaryen's wasm-dis, else wabt's wasm2wat) next to
# m.wasm and prints both sides' outputs for it. WTRUN_DIFF_RUNNER: the diff_runner (default:
# run.sh's build, build/fuzz/diff-build/diff_runner). wasm-reduce: Debian's (version 108;
# WTRUN_DIFF_WASM_REDUCE another), which cannot read modules with try_table / exnref, 64-bit
# tables or several memories (docs/fuzzing-diff.md: reduce those by hand).
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
HERE="$ROOT/tests/fuzz/diff"
DIR=$(cd "${1:?usage: reduce.sh FINDING_DIR [SECONDS_PER_TRY]}" && pwd)
TRY=${2:-20}
OUT=${WTRUN_DIFF_OUT:-$ROOT/build/fuzz}
abspath() {
  local d
  d=$(cd "$(dirname "$1")" 2>/dev/null && pwd) || d=$(dirname "$1")
  echo "$d/$(basename "$1")"
}
RUNNER=$(abspath "${WTRUN_DIFF_RUNNER:-$ROOT/build/fuzz/diff-build/diff_runner}")
NPM_BIN="$OUT/npm/node_modules/binaryen/bin"
# Debian's wasm-reduce: npm's (an emscripten build) aborts when it starts the test command.
REDUCE=${WTRUN_DIFF_WASM_REDUCE:-$(command -v wasm-reduce)} ||
  { echo "reduce.sh: wasm-reduce is needed (apt-get install binaryen)" >&2; exit 2; }
MODE=$(sed -n 's/.*diff_runner --mode \([a-z]*\).*/\1/p' "$DIR/generate.sh")
MODE=${MODE:-fuel}
# The features the module was generated with (the --enable/--disable flags of generate.sh).
FEATURES=$(head -n 1 "$DIR/generate.sh" | tr ' ' '\n' | grep -E '^--(enable|disable)-' | tr '\n' ' ')
[ -n "$FEATURES" ] || FEATURES="--enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int --enable-bulk-memory --enable-reference-types --enable-multivalue"
NODE="node --experimental-wasm-type-reflection --experimental-wasm-extended-const \
--experimental-wasm-memory64 --stack-size=900"
KIND=v8
grep -q -- '--compile lazy' "$DIR/verdict.json" 2>/dev/null && KIND=lazy
grep -q 'aarch64' "$DIR/verdict.json" 2>/dev/null && KIND=a64
A64_RUNNER=$(abspath "${WTRUN_DIFF_A64_RUNNER:-$ROOT/build/fuzz/diff-build-a64/diff_runner}")
QEMU=${WTRUN_DIFF_QEMU:-qemu-aarch64}

{
  echo '#!/usr/bin/env bash'
  echo "# Prints 1 when $DIR/t.wasm still mismatches ($KIND), else 0 (wasm-reduce's test)."
  echo "cd \"$DIR\""
  echo "WTRUN_COMPILE=eager timeout $TRY \"$RUNNER\" --mode $MODE t.wasm >t.wtrun 2>/dev/null"
  echo 'rc=$?'
  echo 'if [ $rc -ge 128 ] && [ $rc -ne 137 ]; then echo 1; exit 0; fi   # wtrun crashed'
  echo 'case "$(head -n 1 t.wtrun)" in load-error*|unsupported*|"instantiate error"*) echo 0; exit 0 ;; esac'
  case $KIND in
    lazy)
      echo "WTRUN_COMPILE=lazy timeout $TRY \"$RUNNER\" --mode $MODE t.wasm >t.other 2>/dev/null"
      echo 'rc=$?; if [ $rc -ge 128 ] && [ $rc -ne 137 ]; then echo 1; exit 0; fi'
      echo '[ $rc -eq 0 ] && ! cmp -s t.wtrun t.other && echo 1 || echo 0' ;;
    a64)
      echo "WTRUN_COMPILE=eager timeout $((TRY * 3)) $QEMU \"$A64_RUNNER\" --mode $MODE t.wasm >t.other 2>/dev/null"
      echo 'rc=$?; if [ $rc -ge 128 ] && [ $rc -ne 137 ]; then echo 1; exit 0; fi'
      echo '[ $rc -eq 0 ] && ! cmp -s t.wtrun t.other && echo 1 || echo 0' ;;
    *)
      echo "v=\$(timeout $TRY $NODE \"$HERE/v8_shell.cjs\" t.wasm --compare t.wtrun 2>/dev/null)"
      echo 'case "$v" in'
      echo '  *load-error*|*"instantiate error"*) echo 0 ;;'
      echo '  *\"mismatch\"*) echo 1 ;;'
      echo '  *) echo 0 ;;'
      echo 'esac' ;;
  esac
} >"$DIR/reduce-test.sh"
cp "$DIR/m.wasm" "$DIR/t.wasm"
[ "$(bash "$DIR/reduce-test.sh")" = 1 ] || { echo "reduce.sh: $DIR/m.wasm does not mismatch ($KIND, mode $MODE)" >&2; exit 1; }
"$REDUCE" "$DIR/m.wasm" --command="bash $DIR/reduce-test.sh" -t "$DIR/t.wasm" -w "$DIR/reduced.wasm" \
  --timeout "$TRY" $FEATURES >"$DIR/reduce.log" 2>&1
echo "reduce.sh: $(stat -c %s "$DIR/m.wasm") -> $(stat -c %s "$DIR/reduced.wasm") bytes ($DIR/reduced.wasm, $KIND)"
if [ -x "$NPM_BIN/wasm-dis" ]; then
  "$NPM_BIN/wasm-dis" "$DIR/reduced.wasm" $FEATURES -o "$DIR/reduced.wat" && echo "  $DIR/reduced.wat"
elif command -v wasm2wat >/dev/null; then
  wasm2wat --enable-all --no-check "$DIR/reduced.wasm" -o "$DIR/reduced.wat" && echo "  $DIR/reduced.wat"
fi
WTRUN_COMPILE=eager "$RUNNER" --mode "$MODE" "$DIR/reduced.wasm" >"$DIR/reduced.wtrun" 2>&1
case $KIND in
  lazy) WTRUN_COMPILE=lazy "$RUNNER" --mode "$MODE" "$DIR/reduced.wasm" >"$DIR/reduced.other" 2>&1 ;;
  a64) WTRUN_COMPILE=eager $QEMU "$A64_RUNNER" --mode "$MODE" "$DIR/reduced.wasm" >"$DIR/reduced.other" 2>&1 ;;
  *) $NODE "$HERE/v8_shell.cjs" "$DIR/reduced.wasm" >"$DIR/reduced.other" 2>&1 ;;
esac
diff "$DIR/reduced.other" "$DIR/reduced.wtrun" | head -20
