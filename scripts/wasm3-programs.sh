#!/usr/bin/env bash
# Real programs for issue 17 [wasm3]: C++ exceptions and C setjmp/longjmp in both exception
# encodings, and a [[clang::musttail]] interpreter built with -mtail-call, compiled by
# @yowasp/clang (clang 22 for WASI, run by node or by wtrun) and run under wtrun (x86_64, and aarch64 under
# qemu when an aarch64 wtrun exists); each output (stdout and exit status) must equal the native
# build's. Not part of ctest or .ci/run: it needs the npm package and node.
#
#   scripts/wasm3-programs.sh            # prints a table; exit status 1 if any row differs
# Environment: WTRUN (default build-x/wtrun), WTRUN_A64 (default build-x-a64/wtrun; "" to skip),
# TOOLS (where @yowasp/clang is installed, default /work/tools), OUT (default /tmp/wasm3-programs),
# OPTS (optimization levels, default "-O0 -O2"), PROGRAMS (default: all five), COMPILER (node,
# wtrun or wtrun-a64: see below).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SRC=$ROOT/tests/programs/wasm3
WTRUN=${WTRUN:-$ROOT/build-x/wtrun}
WTRUN_A64=${WTRUN_A64-$ROOT/build-x-a64/wtrun}
TOOLS=${TOOLS:-/work/tools}
OUT=${OUT:-/tmp/wasm3-programs}
OPTS=${OPTS:--O0 -O2}

if [ ! -f "$TOOLS/node_modules/@yowasp/clang/gen/bundle.js" ]; then
  echo "installing @yowasp/clang into $TOOLS" >&2
  mkdir -p "$TOOLS" && npm install --prefix "$TOOLS" --no-audit --no-fund @yowasp/clang >&2 || exit 2
fi
[ -x "$WTRUN" ] || { echo "no wtrun at $WTRUN" >&2; exit 2; }
A64=""
if [ -n "$WTRUN_A64" ] && [ -x "$WTRUN_A64" ] && command -v qemu-aarch64 > /dev/null; then A64=1; fi

mkdir -p "$OUT"
cp "$SRC"/*.c "$SRC"/*.cpp "$OUT"/
cd "$OUT" || exit 2
# COMPILER=node (default): @yowasp/clang's own driver under node (tests/programs/wasm3/yclang.mjs).
# COMPILER=wtrun: the package's llvm.core.wasm (a wasm32-wasip1 command: clang, wasm-ld, ...)
# run by wtrun itself: `clang -###` prints the cc1 and wasm-ld command lines, each of which then
# runs under wtrun (a WASI clang cannot spawn processes), with the package's sysroot at /usr,
# $OUT at /w and $OUT/tmp at /tmp.
# COMPILER=wtrun-a64: the same under qemu-aarch64 with the aarch64 wtrun.
COMPILER=${COMPILER:-node}
PKG=$TOOLS/node_modules/@yowasp/clang/gen
LLVM_RUNNER=("$WTRUN")
[ "$COMPILER" = wtrun-a64 ] && LLVM_RUNNER=(qemu-aarch64 "$WTRUN_A64")
if [ "$COMPILER" != node ]; then
  mkdir -p "$OUT/usr" "$OUT/tmp"
  [ -d "$OUT/usr/lib" ] || tar xf "$PKG/llvm-resources.tar" -C "$OUT/usr" || exit 2
fi
llvm_wasm() {
  "${LLVM_RUNNER[@]}" --dir "$OUT/usr::/usr" --dir "$OUT::/w" --dir "$OUT/tmp::/tmp" --argv0 yowasp-llvm \
    "$PKG/llvm.core.wasm" "$@"
}
ycc() {
  if [ "$COMPILER" = node ]; then
    YOWASP_CLANG_DIR="$TOOLS" node "$SRC/yclang.mjs" "$@"
    return
  fi
  local args=() a prev="" line
  for a in "$@"; do  # files of $OUT are /w/... inside
    if [ -f "$a" ] || [ "$prev" = -o ]; then args+=("/w/$a"); else args+=("$a"); fi
    prev=$a
  done
  local plan
  plan=$(llvm_wasm "${args[@]}" -### 2>&1) || { echo "$plan"; return 1; }
  while IFS= read -r line; do
    [[ $line == ' "'* ]] || continue
    local cmd
    eval "cmd=($line)"  # clang quotes each argument ("...", with \" \\ \$ escapes)
    [ -z "${cmd[0]}" ] && cmd=("${cmd[@]:1}")
    llvm_wasm "${cmd[@]}" || return 1
  done <<< "$plan"
}

NEW_EH="-mllvm -wasm-use-legacy-eh=false"
# Per program: its native build, its wasm build (plus -O and the variant's flags), its variants.
declare -A NATIVE=(
  [sjlj]="gcc -O2 sjlj.c -o sjlj.native"
  [exceptions]="g++ -O2 exceptions.cpp -o exceptions.native"
  [exc_stress]="g++ -O2 exc_stress.cpp -o exc_stress.native"
  [uncaught]="g++ -O2 uncaught.cpp -o uncaught.native"
  [tailinterp]="clang-14 -O2 tailinterp.c -o tailinterp.native"
)
declare -A WASM_CMD=(
  [sjlj]="clang -mllvm -wasm-enable-sjlj -lsetjmp sjlj.c"
  [exceptions]="clang++ -fwasm-exceptions exceptions.cpp cxxeh_rt.cpp"
  [exc_stress]="clang++ -fwasm-exceptions -mllvm -wasm-enable-sjlj -lsetjmp exc_stress.cpp cxxeh_rt.cpp"
  [uncaught]="clang++ -fwasm-exceptions uncaught.cpp cxxeh_rt.cpp"
  [tailinterp]="clang -mtail-call tailinterp.c"
)
declare -A VARIANTS=([sjlj]="legacy exnref" [exceptions]="legacy exnref" [exc_stress]="legacy exnref"
                     [uncaught]="legacy exnref" [tailinterp]="tail")
# exc_stress also with -mtail-call: return_call in the same module as both kinds of handlers.
VARIANTS[exc_stress]+=" legacy+tc exnref+tc"

fail=0
row() { printf '| %-10s | %-9s | %-3s | %-9s | %-8s | %-6s | %-6s | %-7s |\n' "$@"; }
# The encoding check: a legacy build must use the legacy opcodes (refused under
# --features -legacy-exceptions), an exnref build must not (runs without them); a tail build
# must use tail calls (refused under --features -tail-call) and run in a 64 KiB wasm stack.
check_encoding() {  # variant wasm
  case $1 in
    *+tc) check_encoding "${1%+tc}" "$2" ;;
    legacy) "$WTRUN" --features -legacy-exceptions "$2" 2>&1 | grep -q "illegal opcode 06" ;;
    exnref) ! "$WTRUN" --features -legacy-exceptions "$2" 2>&1 | grep -q "illegal opcode" ;;
    tail) "$WTRUN" --features -tail-call "$2" 2>&1 | grep -q "illegal opcode 13" &&
          "$WTRUN" --max-wasm-stack 65536 "$2" > /dev/null 2>&1 ;;
  esac
}
run_cmp() {  # expected-file status-expected out-prefix cmd...
  local exp=$1 st=$2 out=$3; shift 3
  "$@" > "$out.txt" 2> "$out.err"
  local rc=$?
  if [ "$rc" = "$st" ] && cmp -s "$exp" "$out.txt"; then echo same; else echo "DIFF($rc)"; fi
}

echo "wtrun: $WTRUN${A64:+; aarch64: qemu-aarch64 $WTRUN_A64}; compiler under $COMPILER; outputs in $OUT"
# x86_64: lazy compilation (the default) and eager; aarch64 (qemu): lazy.
row program variant opt "wasm size" encoding x86_64 "eager" aarch64
row ---------- --------- --- --------- -------- ------ ------ -------
for prog in ${PROGRAMS:-sjlj exceptions exc_stress uncaught tailinterp}; do
  if ! ${NATIVE[$prog]} 2> "$prog.native.err"; then
    row "$prog" - - - - "native build failed" - -; fail=1; continue
  fi
  # The status must match too (uncaught: 134, abort natively, an uncaught exception in wtrun).
  st=$(exec 2> /dev/null; ./$prog.native > "$prog.native.txt" 2> "$prog.native.stderr"; echo $?)
  for variant in ${VARIANTS[$prog]}; do
    for opt in $OPTS; do
      w=$prog.$variant$opt.wasm
      extra=""
      case $variant in exnref*) extra=$NEW_EH ;; esac
      case $variant in *+tc) extra="$extra -mtail-call" ;; esac
      # shellcheck disable=SC2086
      if ! ycc ${WASM_CMD[$prog]} $opt $extra -o "$w" > "$w.build.txt" 2>&1 || [ ! -s "$w" ]; then
        row "$prog" "$variant" "$opt" - - "build failed: $w.build.txt" - -; fail=1; continue
      fi
      enc=ok
      check_encoding "$variant" "$w" || { enc=WRONG; fail=1; }
      # -mtail-call: -O2 builds have return_call(_indirect); clang emits none at -O0 here.
      if [[ $variant == *+tc ]] && [ $enc = ok ] &&
         ! "$WTRUN" --features -tail-call "$w" 2>&1 | grep -q "illegal opcode 1[23]"; then
        enc=ok,no-tc
      fi
      x=$(run_cmp "$prog.native.txt" "$st" "$w.x64" "$WTRUN" "$w")
      xe=$(run_cmp "$prog.native.txt" "$st" "$w.x64e" "$WTRUN" --compile eager --compile-threads 1 "$w")
      a=skipped
      [ -n "$A64" ] && a=$(run_cmp "$prog.native.txt" "$st" "$w.a64" qemu-aarch64 "$WTRUN_A64" "$w")
      [ "$x" = same ] && [ "$xe" = same ] || fail=1
      [ "$a" = same ] || [ "$a" = skipped ] || fail=1
      row "$prog" "$variant" "$opt" "$(stat -c %s "$w")" "$enc" "$x" "$xe" "$a"
    done
  done
done
[ $fail = 0 ] && echo "all outputs equal the native builds'" || echo "some rows differ (outputs in $OUT)"
exit $fail
