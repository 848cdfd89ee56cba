#!/usr/bin/env bash
# Differential execution of wtrun against V8 (docs/fuzzing-diff.md).
#
#   tests/fuzz/diff/run.sh [SECONDS | --count N] [--jobs J] [--keep-going] [--a64]
#
# Generates random valid modules with binaryen (`wasm-opt -ttf` over random bytes), runs every
# export under wtrun (diff_runner) and under node (V8, v8_shell.cjs), compares results, logged
# values, traps and trap kinds, and prints a summary. Exits 1 when any module mismatched; each
# mismatching module is kept in build/fuzz/diff-findings/ with its random input bytes (the
# "seed": `wasm-opt SEED.dat -ttf FLAGS` regenerates it), both outputs and the flags.
# Default: 60 seconds, one job.
#
# Environment:
#   WTRUN_DIFF_RUNNER   a built diff_runner (default: built into build/fuzz/diff-build)
#   WTRUN_DIFF_WASM_OPT a wasm-opt (default: the npm package binaryen@132 installed into
#                       build/fuzz/npm; Debian's /usr/bin/wasm-opt when npm is missing)
#   WTRUN_DIFF_FUEL     fuel per export call under wtrun (default 2000000000)
#   WTRUN_DIFF_OUT      work and findings root (default build/fuzz)
#   WTRUN_DIFF_LAZY     1 (default): each module also runs lazily compiled (WTRUN_COMPILE=lazy)
#                       and its output must equal the eager run's; 0: eager only
#   --a64, WTRUN_DIFF_A64_RUNNER
#                       [a64] cross-ISA: each module also runs under an aarch64 diff_runner
#                       (qemu-user), compiled eagerly, and its output must equal the x86_64
#                       eager run's (default runner: built into build/fuzz/diff-build-a64 with
#                       cmake/aarch64-linux-gnu.cmake; setting the variable implies --a64)
#   WTRUN_DIFF_QEMU     the emulator command (default: qemu-aarch64, no -L: the multiarch
#                       loader and libc:arm64; the cross sysroot's ld.so with that libc hangs
#                       thread creation)
#   WTRUN_DIFF_A64_TIMEOUT  seconds per aarch64 run (default 60): a run that times out under
#                       qemu is counted apart (not a mismatch; the module still goes to V8) and
#                       kept in diff-findings/a64-timeouts/STAMP-ID-MODE.wasm
#   WTRUN_DIFF_MIX      [wasm3] the weights of the feature sets (below), e.g. "2.0=0,eh=1" for
#                       exception-handling modules only; sets not named keep their weight
#   WTRUN_DIFF_V8_ALL   1: run V8 on every set, also when the oracle is an older node (below)
#   WTRUN_DIFF_NODE     [wasmgc] the node that runs V8 (default: the npm package node@24.21.0,
#                       V8 13.6, installed into build/fuzz/npm like binaryen; without it the
#                       PATH's node, whose V8 11.3 (node 20) cannot run the sets marked "v8-13":
#                       they then compare wtrun with itself, which run.sh says)
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
HERE="$ROOT/tests/fuzz/diff"
OUT=${WTRUN_DIFF_OUT:-$ROOT/build/fuzz}
FINDINGS="$OUT/diff-findings"
SECONDS_LIMIT=60
COUNT=0
JOBS=1
A64=0
[ -n "${WTRUN_DIFF_A64_RUNNER:-}" ] && A64=1
FUEL=${WTRUN_DIFF_FUEL:-2000000000}
BINARYEN_VERSION=132.0.0
NODE_VERSION=24.21.0  # [wasmgc] V8 13.6: final-encoding GC, exnref, memory64, multi-memory

while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT=$2; SECONDS_LIMIT=0; shift 2 ;;
    --jobs|-j) JOBS=$2; shift 2 ;;
    --a64) A64=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    [0-9]*) SECONDS_LIMIT=$1; shift ;;
    *) echo "run.sh: unknown argument: $1" >&2; exit 2 ;;
  esac
done

die() { echo "run.sh: $*" >&2; exit 2; }
command -v node >/dev/null || die "node is needed (Debian: apt-get install nodejs)"

# ---- binaryen: the npm package (current features), else Debian's (version 108).
WASM_OPT=${WTRUN_DIFF_WASM_OPT:-}
NPM_WASM_OPT="$OUT/npm/node_modules/binaryen/bin/wasm-opt"
if [ -z "$WASM_OPT" ]; then
  [ -x "$NPM_WASM_OPT" ] || bash "$ROOT/scripts/npm-package.sh" "$OUT/npm" binaryen "$BINARYEN_VERSION"
  if [ -x "$NPM_WASM_OPT" ]; then
    WASM_OPT=$NPM_WASM_OPT
  elif command -v wasm-opt >/dev/null; then
    WASM_OPT=$(command -v wasm-opt)
    echo "run.sh: npm's binaryen is unavailable: falling back to $WASM_OPT (no reference types)" >&2
  else
    die "binaryen is needed (apt-get install binaryen, or npm for the newer version)"
  fi
fi
# ---- [wasmgc] The oracle's node: the npm package node@24 (V8 13.6), else the PATH's node.
ORACLE_NODE=${WTRUN_DIFF_NODE:-}
NPM_NODE="$OUT/npm/node_modules/node/bin/node"
if [ -z "$ORACLE_NODE" ]; then
  [ -x "$NPM_NODE" ] || bash "$ROOT/scripts/npm-package.sh" "$OUT/npm" node "$NODE_VERSION"
  ORACLE_NODE=node
  [ -x "$NPM_NODE" ] && "$NPM_NODE" --version >/dev/null 2>&1 && ORACLE_NODE=$NPM_NODE
fi
ORACLE_MAJOR=$("$ORACLE_NODE" --version 2>/dev/null | sed -n 's/^v\([0-9]*\)\..*/\1/p')
[ -n "$ORACLE_MAJOR" ] || die "$ORACLE_NODE --version failed"
NEW_V8=0
[ "$ORACLE_MAJOR" -ge 24 ] && NEW_V8=1
if [ "$NEW_V8" = 0 ]; then
  echo "run.sh: MISSING node >= 24 (npm package node@$NODE_VERSION; set WTRUN_DIFF_NODE or" \
    "install npm): the oracle is node $("$ORACLE_NODE" --version), whose V8 cannot run the" \
    "sets marked v8-13 (gc, gcinit, eh, multimem, all): they compare wtrun with itself only" >&2
fi
BINARYEN_MAJOR=$("$WASM_OPT" --version 2>/dev/null | sed -n 's/.*version \([0-9]*\).*/\1/p')
[ -n "$BINARYEN_MAJOR" ] || die "$WASM_OPT --version failed"
# The npm package's wasm-opt is a node script: gen.cjs runs it in-process for a whole batch.
WASM_OPT_IS_JS=0
head -c 64 "$WASM_OPT" | grep -q node && WASM_OPT_IS_JS=1
BATCH=${WTRUN_DIFF_BATCH:-25}

# The features wtrun runs (Wasm 2.0), named explicitly; the rest explicitly off. Relaxed SIMD
# stays off: its results may legitimately differ from V8's (docs/simd.md).
if [ "$BINARYEN_MAJOR" -ge 120 ]; then
  FEATURES="--enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int \
--enable-bulk-memory --enable-bulk-memory-opt --enable-reference-types --enable-multivalue \
--enable-call-indirect-overlong --enable-simd --disable-threads --disable-exception-handling \
--disable-tail-call --disable-gc --disable-memory64 --disable-relaxed-simd \
--disable-extended-const --disable-strings --disable-multimemory --disable-stack-switching \
--disable-shared-everything --disable-fp16 --disable-custom-descriptors --disable-multibyte \
--disable-acquire-release-atomics --disable-custom-page-sizes"
else
  # binaryen 108 generates invalid modules with reference types: MVP + the numeric proposals,
  # bulk memory and multi-value only.
  FEATURES="--enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int \
--enable-bulk-memory --enable-multivalue --disable-reference-types --enable-simd \
--disable-threads --disable-exception-handling --disable-tail-call --disable-gc \
--disable-memory64 --disable-relaxed-simd --disable-extended-const \
--disable-typed-function-references --disable-gc-nn-locals"
fi
FEATURES=${WTRUN_DIFF_FEATURES:-$FEATURES}

# [wasm3] Feature sets: each module draws one by weight (gen.cjs); its flags are added after
# FEATURES. The oracle column says what it is compared with:
# - "v8": any node's V8 runs it (node 20's V8 11.3 too: tail calls are shipped, extended-const
#   and memory64 behind the flags in NODE below). binaryen gives a memory64 module a 64-bit
#   table, which V8 11.3 lacks: the mem64 set starts from initial content (initial/mem64.wat: a
#   64-bit memory, a 32-bit table, functions with addresses and offsets past 4 GiB), which the
#   fuzzer keeps.
# - "v8-13": [wasmgc] V8 13.6 (node 24, the default oracle) runs it: final-encoding GC (the gc
#   set: structs, arrays, i31, casts, typed function references), try_table / exnref (binaryen's
#   exception-handling modules always contain them; V8 11.3 has only the legacy encoding) and
#   multi-memory (binaryen 132's generator only ever uses memory 0: multi-memory comes from
#   initial content, initial/multimem.wat: four memories, one of them 64-bit, with loads,
#   stores, grow, size, copy, fill and init on each, which the fuzzer mutates and calls). With
#   an older node these compare lazy against eager (and aarch64 against x86_64 with --a64) only.
#   gcinit starts from initial/gc.wat: what binaryen's GC generator does not emit (array.new_data
#   / _elem, array.init_*, any/extern conversions, packed fields, an 11-level subtype chain).
#   name     weight oracle flags
SETS_TABLE="
2.0      35 v8
tail     12 v8    --enable-tail-call --enable-extended-const
mem64    12 v8    --enable-memory64 --enable-tail-call --enable-extended-const --initial-fuzz=$HERE/initial/mem64.wat
gc       15 v8-13 --enable-gc --enable-tail-call --enable-extended-const
gcinit    5 v8-13 --enable-gc --enable-tail-call --enable-extended-const --initial-fuzz=$HERE/initial/gc.wat
eh        8 v8-13 --enable-exception-handling --enable-tail-call
multimem  6 v8-13 --enable-multimemory --enable-memory64 --enable-tail-call --initial-fuzz=$HERE/initial/multimem.wat
all       7 v8-13 --enable-gc --enable-exception-handling --enable-tail-call --enable-memory64 --enable-multimemory --enable-extended-const --initial-fuzz=$HERE/initial/multimem.wat"
# binaryen 108 (Debian): the 2.0 set only.
[ "$BINARYEN_MAJOR" -ge 120 ] || SETS_TABLE="2.0 1 v8"
set_field() {  # NAME FIELD (2 weight, 3 oracle, 4 flags)
  awk -v n="$1" -v f="$2" '$1 == n { if (f == 4) { $1 = $2 = $3 = ""; sub(/^ +/, ""); print } else print $f }' <<<"$SETS_TABLE"
}
SETS_JSON=$(awk -v mix="${WTRUN_DIFF_MIX:-}" '
  BEGIN { n = split(mix, parts, ","); for (i = 1; i <= n; ++i) { split(parts[i], kv, "="); w[kv[1]] = kv[2] } }
  NF >= 3 { weight = ($1 in w) ? w[$1] : $2; if (weight + 0 <= 0) next
    flags = ""; for (i = 4; i <= NF; ++i) flags = flags (i > 4 ? "," : "") "\"" $i "\""
    out = out (out ? "," : "") "{\"name\":\"" $1 "\",\"weight\":" weight ",\"flags\":[" flags "]}" }
  END { print "[" out "]" }' <<<"$SETS_TABLE")
[ "$SETS_JSON" != "[]" ] || die "WTRUN_DIFF_MIX leaves no feature set"
export WTRUN_DIFF_SETS=$SETS_JSON
# Passes run after generation (and after the optimisations of gen.cjs's EXTRA): --denan replaces
# every NaN at run time, since NaN bit patterns in v128 lanes cannot be compared without
# knowing the lane shape (scalar NaNs print as "nan" on both sides anyway).
POST_PASSES=${WTRUN_DIFF_POST:---denan}

# ---- diff_runner
RUNNER=${WTRUN_DIFF_RUNNER:-}
if [ -z "$RUNNER" ]; then
  BUILD="$OUT/diff-build"
  if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    launcher=()
    command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    CCACHE_BASEDIR=$ROOT cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release \
      -DWTRUN_BUILD_TESTS=OFF "${launcher[@]}" \
      -DCMAKE_PROJECT_wtrun_INCLUDE="$HERE/standalone.cmake" >/dev/null || die "cmake failed"
  fi
  echo "run.sh: building diff_runner in $BUILD" >&2
  CCACHE_BASEDIR=$ROOT cmake --build "$BUILD" --target diff_runner -j "$(nproc)" >/dev/null ||
    die "building diff_runner failed"
  RUNNER="$BUILD/diff_runner"
fi
[ -x "$RUNNER" ] || die "no diff_runner at $RUNNER"

# [lazy] Every module also runs compiled lazily (WTRUN_COMPILE=lazy, which runtime::LoadModule
# reads; the main run is WTRUN_COMPILE=eager): both outputs must be equal (a self-differential,
# no node needed). A diff_runner without lazy compilation says so and the lazy runs are left
# out with a message (never counted as agreeing). WTRUN_DIFF_LAZY=0 leaves them out.
LAZY=${WTRUN_DIFF_LAZY:-1}
if [ "$LAZY" = 1 ]; then
  lazy_probe="$OUT/lazy-probe.wat"
  mkdir -p "$OUT"
  printf '%s\n' '(module (func (export "f") (result i32) (i32.const 7)))' >"$lazy_probe"
  lazy_err=$(WTRUN_COMPILE=lazy WTRUN_LAZY_STATS=1 "$RUNNER" "$lazy_probe" 2>&1 >/dev/null)
  if ! grep -q '^lazy: ' <<<"$lazy_err"; then
    echo "run.sh: lazy compilation is not in this diff_runner" \
      "($(tail -n 1 <<<"${lazy_err:-WTRUN_COMPILE=lazy WTRUN_LAZY_STATS=1 printed no lazy: line}")):" \
      "SKIPPED the lazy-vs-eager comparison" >&2
    LAZY=0
  fi
fi
# [a64] The aarch64 diff_runner (cross-built), run under qemu-user.
A64_RUNNER=${WTRUN_DIFF_A64_RUNNER:-}
read -r -a QEMU <<<"${WTRUN_DIFF_QEMU:-qemu-aarch64}"
A64_TIMEOUT=${WTRUN_DIFF_A64_TIMEOUT:-60}
if [ "$A64" = 1 ]; then
  command -v "${QEMU[0]}" >/dev/null || die "--a64: ${QEMU[0]} not found (apt-get install qemu-user)"
  if [ -z "$A64_RUNNER" ]; then
    BUILD_A64="$OUT/diff-build-a64"
    if [ ! -f "$BUILD_A64/CMakeCache.txt" ]; then
      launcher=()
      command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
      CCACHE_BASEDIR=$ROOT cmake -S "$ROOT" -B "$BUILD_A64" -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_TOOLCHAIN_FILE="$ROOT/cmake/aarch64-linux-gnu.cmake" -DWTRUN_BUILD_TESTS=OFF \
        "${launcher[@]}" -DCMAKE_PROJECT_wtrun_INCLUDE="$HERE/standalone.cmake" >/dev/null ||
        die "cmake (aarch64) failed"
    fi
    echo "run.sh: building the aarch64 diff_runner in $BUILD_A64" >&2
    CCACHE_BASEDIR=$ROOT cmake --build "$BUILD_A64" --target diff_runner -j "$(nproc)" >/dev/null ||
      die "building the aarch64 diff_runner failed"
    A64_RUNNER="$BUILD_A64/diff_runner"
  fi
  [ -x "$A64_RUNNER" ] || die "no aarch64 diff_runner at $A64_RUNNER"
  # ELF e_machine (offset 18, little-endian) 0xb7: EM_AARCH64.
  [ "$(od -An -tx1 -j18 -N2 "$A64_RUNNER" | tr -d ' \n')" = b700 ] ||
    die "$A64_RUNNER is not an aarch64 executable"
fi
# [wasm3] node 20 (V8 11.3): tail calls and legacy exceptions are on by default; extended-const
# and memory64 (without 64-bit tables) are behind flags. Its typed function references flag
# decodes the pre-standard opcodes (0xd4 is br_on_null there): not used. [wasmgc] node 24 (V8
# 13.6) ships all of them, GC and exnref too (and rejects the old flags): type reflection only.
if [ "$NEW_V8" = 1 ]; then
  NODE="$ORACLE_NODE --experimental-wasm-type-reflection --stack-size=900"
else
  NODE="$ORACLE_NODE --experimental-wasm-type-reflection --experimental-wasm-extended-const \
--experimental-wasm-memory64 --stack-size=900"
fi
WORK="$OUT/diff-work"
rm -rf "$WORK"
mkdir -p "$WORK" "$FINDINGS"
RESULTS="$WORK/results.jsonl"
: >"$RESULTS"
START=$(date +%s)
STAMP=$(date -u +%Y%m%d-%H%M%S)
if [ "$COUNT" -gt 0 ]; then LIMIT="$COUNT modules"; else LIMIT="$SECONDS_LIMIT s"; fi
echo "run.sh: $WASM_OPT (binaryen $BINARYEN_MAJOR), $RUNNER, oracle node $($ORACLE_NODE --version), $LIMIT," \
  "$JOBS job(s), lazy vs eager: $([ "$LAZY" = 1 ] && echo yes || echo no)," \
  "aarch64 vs x86_64: $([ "$A64" = 1 ] && echo "yes ($A64_RUNNER under ${QEMU[*]})" || echo no)" >&2
A64_LOG="$WORK/a64.log"  # one line per module run on aarch64: same, timeout or differs
: >"$A64_LOG"

# Generates modules FIRST..FIRST+N-1 into DIR (ID.dat = the random input, ID.wasm).
generate_batch() {
  local dir=$1 first=$2 n=$3
  if [ "$WASM_OPT_IS_JS" = 1 ]; then
    node "$HERE/gen.cjs" "$WASM_OPT" "$dir" "$first" "$n" -- $FEATURES -- $POST_PASSES \
      >/dev/null 2>"$dir/gen.err"
  else
    local i id
    for ((i = first; i < first + n; i++)); do
      id=$(printf '%06d' "$i")
      head -c $((1024 + RANDOM * 2)) /dev/urandom >"$dir/$id.dat"
      echo 2.0 >"$dir/$id.set"
      "$WASM_OPT" "$dir/$id.dat" -ttf $FEATURES $POST_PASSES -o "$dir/$id.wasm" >/dev/null \
        2>>"$dir/gen.err"
    done
  fi
}

# Runs the wtrun side of module ID; prints a verdict when that alone decides (timeout, crash).
# The JIT's code differs with limit checks: the modules rotate through diff_runner's modes
# (plain: no checks, as `wtrun` runs by default; fuel; epoch).
mode_of() {
  local modes=(plain fuel epoch)
  echo "${modes[$((10#$1 % 3))]}"
}

run_wtrun() {
  local dir=$1 id=$2
  WTRUN_COMPILE=eager timeout -k 2 60 "$RUNNER" --mode "$(mode_of "$id")" --fuel "$FUEL" \
    "$dir/$id.wasm" >"$dir/$id.wtrun" 2>"$dir/$id.wtrun-err"
  local rc=$?
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    echo '{"verdict":"mismatch","exports":0,"reason":"wtrun timed out (60 s)"}'
    return
  elif [ $rc -ge 128 ]; then
    echo "{\"verdict\":\"mismatch\",\"exports\":0,\"reason\":\"wtrun killed by signal $((rc - 128))\"}"
    return
  fi
  if [ "$A64" = 1 ]; then
    # [a64] The same module on aarch64 (qemu-user), eagerly: its output must equal x86_64's
    # (NaNs are gone after --denan, and every trap, fuel count and value is ISA-neutral).
    WTRUN_COMPILE=eager timeout -k 2 "$A64_TIMEOUT" "${QEMU[@]}" "$A64_RUNNER" \
      --mode "$(mode_of "$id")" --fuel "$FUEL" "$dir/$id.wasm" >"$dir/$id.wtrun-a64" \
      2>"$dir/$id.wtrun-a64-err"
    rc=$?
    if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
      # Slow under qemu, or a hang of the aarch64 code: not a verdict (V8 still compares), but
      # the module is kept (up to 20 per run) to be looked at.
      echo "$id timeout" >>"$A64_LOG"
      mkdir -p "$FINDINGS/a64-timeouts"
      [ "$(ls "$FINDINGS/a64-timeouts" | wc -l)" -lt 20 ] &&
        cp "$dir/$id.wasm" "$FINDINGS/a64-timeouts/$STAMP-$id-$(mode_of "$id").wasm"
    elif [ $rc -ge 128 ]; then
      echo "$id differs" >>"$A64_LOG"
      echo "{\"verdict\":\"mismatch\",\"exports\":0,\"reason\":\"wtrun on aarch64 (qemu) killed by signal $((rc - 128))\"}"
      return
    elif ! cmp -s "$dir/$id.wtrun" "$dir/$id.wtrun-a64"; then
      echo "$id differs" >>"$A64_LOG"
      echo "{\"verdict\":\"mismatch\",\"exports\":0,\"reason\":\"wtrun on aarch64 (qemu) and on x86_64 print different output\"}"
      return
    else
      echo "$id same" >>"$A64_LOG"
    fi
  fi
  [ "$LAZY" = 1 ] || return 0
  # [lazy] The same module compiled lazily: wtrun against itself, its output must be equal.
  WTRUN_COMPILE=lazy timeout -k 2 60 "$RUNNER" --mode "$(mode_of "$id")" --fuel "$FUEL" \
    "$dir/$id.wasm" >"$dir/$id.wtrun-lazy" 2>"$dir/$id.wtrun-lazy-err"
  rc=$?
  if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
    echo '{"verdict":"mismatch","exports":0,"reason":"wtrun --compile lazy timed out (60 s)"}'
  elif [ $rc -ge 128 ]; then
    echo "{\"verdict\":\"mismatch\",\"exports\":0,\"reason\":\"wtrun --compile lazy killed by signal $((rc - 128))\"}"
  elif ! cmp -s "$dir/$id.wtrun" "$dir/$id.wtrun-lazy"; then
    echo "{\"verdict\":\"mismatch\",\"exports\":0,\"reason\":\"wtrun --compile lazy and --compile eager print different output\"}"
  fi
}

# The V8 side of one module, alone in its node process: its verdict.
run_v8_one() {
  local dir=$1 id=$2 verdict nrc
  verdict=$(timeout -k 2 60 $NODE "$HERE/v8_shell.cjs" "$dir/$id.wasm" --compare "$dir/$id.wtrun" 2>"$dir/$id.v8-err")
  nrc=$?
  if [ $nrc -eq 124 ] || [ $nrc -eq 137 ]; then
    verdict='{"verdict":"skip","exports":0,"reason":"v8 timed out (60 s)"}'
  elif [ -z "$verdict" ]; then
    verdict="{\"verdict\":\"skip\",\"exports\":0,\"reason\":\"v8 shell failed (status $nrc)\"}"
  fi
  echo "$verdict"
}

# [wasm3] The verdict of a module V8 does not run (its set needs V8 13.6), once its lazy
# (and aarch64) runs printed what the eager run printed: agree, or skip when wtrun refused it.
wtrun_only_verdict() {
  local dir=$1 id=$2 first calls
  first=$(head -n 1 "$dir/$id.wtrun")
  calls=$(grep -c '^call ' "$dir/$id.wtrun")
  case "$first" in
    load-error*|unsupported*|'instantiate error'*)
      printf '{"verdict":"skip","exports":0,"oracle":"wtrun","reason":"wtrun refuses: %s"}\n' \
        "$(cut -c1-90 <<<"$first" | sed 's/^load-error //; s/[0-9]\{2,\}/N/g; s/["\\]//g')" ;;
    *) printf '{"verdict":"agree","exports":%d,"oracle":"wtrun"}\n' "$calls" ;;
  esac
}

# Records module ID's verdict (after the NaN triage), keeps a mismatch, cleans up.
finish_module() {
  local dir=$1 id=$2 verdict=$3 set
  set=$(cat "$dir/$id.set" 2>/dev/null || echo 2.0)
  # NaN payloads may differ between engines (the spec leaves them nondeterministic) and reach
  # memory or integers through stores and reinterpretations. A module that mismatches in its
  # output but agrees once binaryen's --denan pass has replaced every NaN is counted apart.
  case "$verdict" in
    *'"different output"'*)
      if "$WASM_OPT" "$dir/$id.wasm" $FEATURES $(set_field "$set" 4) --denan -o "$dir/$id.denan.wasm" >/dev/null 2>&1 &&
        timeout -k 2 60 "$RUNNER" --mode "$(mode_of "$id")" --fuel "$FUEL" "$dir/$id.denan.wasm" \
          >"$dir/$id.denan.wtrun" 2>/dev/null; then
        local denan
        denan=$(timeout -k 2 60 $NODE "$HERE/v8_shell.cjs" "$dir/$id.denan.wasm" --compare "$dir/$id.denan.wtrun" 2>/dev/null)
        case "$denan" in
          *'"verdict":"agree"'*)
            verdict="{\"verdict\":\"skip\",\"exports\":0,\"reason\":\"NaN bits differ (agrees after --denan)\",\"detail\":$(node -e 'process.stdout.write(JSON.stringify(JSON.parse(process.argv[1]).detail || ""))' "$verdict")}"
            mkdir -p "$FINDINGS/nan-bits"
            [ "$(ls "$FINDINGS/nan-bits" | wc -l)" -lt 20 ] && cp "$dir/$id.wasm" "$FINDINGS/nan-bits/$STAMP-$id.wasm"
            ;;
        esac
      fi
      ;;
  esac
  echo "{\"module\":\"$id\",\"mode\":\"$(mode_of "$id")\",\"set\":\"$set\",${verdict#\{}" >>"$RESULTS"
  case "$verdict" in
    *'"mismatch"'*)
      local keep="$FINDINGS/$STAMP-$id"
      mkdir -p "$keep"
      cp "$dir/$id.dat" "$keep/seed.dat"
      cp "$dir/$id.wasm" "$keep/m.wasm"
      cp "$dir/$id.wtrun" "$keep/wtrun.out"
      cp "$dir/$id.wtrun-err" "$keep/wtrun.err"
      [ -f "$dir/$id.wtrun-lazy" ] && cp "$dir/$id.wtrun-lazy" "$keep/wtrun-lazy.out"
      if [ -f "$dir/$id.wtrun-a64" ]; then
        cp "$dir/$id.wtrun-a64" "$keep/wtrun-a64.out"
        cp "$dir/$id.wtrun-a64-err" "$keep/wtrun-a64.err"
      fi
      cp "$dir/$id.set" "$keep/set" 2>/dev/null
      $NODE "$HERE/v8_shell.cjs" "$dir/$id.wasm" >"$keep/v8.out" 2>&1
      local extra=""
      [ -f "$dir/$id.extra" ] && extra=$(cat "$dir/$id.extra")
      printf '%s\n' "wasm-opt seed.dat -ttf $FEATURES $extra $POST_PASSES -o m.wasm   # binaryen $BINARYEN_MAJOR" \
        "diff_runner --mode $(mode_of "$id") --fuel $FUEL m.wasm" >"$keep/generate.sh"
      printf '%s\n' "$verdict" >"$keep/verdict.json"
      echo "run.sh: MISMATCH kept in $keep: $verdict" >&2
      ;;
  esac
  rm -f "$dir/$id".*
}

# Modules FIRST..FIRST+N-1 of DIR: wtrun one by one, V8 for the whole batch in one node process
# (modules a crash or a timeout of that process left without a verdict run alone).
run_batch() {
  local dir=$1 first=$2 n=$3 i id v
  : >"$dir/batch.list"
  : >"$dir/batch.out"
  for ((i = first; i < first + n; i++)); do
    id=$(printf '%06d' "$i")
    if [ ! -f "$dir/$id.wasm" ]; then
      finish_module "$dir" "$id" '{"verdict":"skip","exports":0,"reason":"binaryen failed"}'
      continue
    fi
    v=$(run_wtrun "$dir" "$id")
    if [ -z "$v" ] && [ "${WTRUN_DIFF_V8_ALL:-0}" != 1 ] &&
      [ "$NEW_V8" = 0 ] &&
      [ "$(set_field "$(cat "$dir/$id.set" 2>/dev/null || echo 2.0)" 3)" = v8-13 ]; then
      v=$(wtrun_only_verdict "$dir" "$id")  # [wasm3] V8 cannot run this set
    fi
    if [ -n "$v" ]; then
      finish_module "$dir" "$id" "$v"
    else
      echo "$dir/$id.wasm $dir/$id.wtrun" >>"$dir/batch.list"
    fi
  done
  [ -s "$dir/batch.list" ] || return 0
  timeout -k 2 $((60 + 10 * n)) $NODE "$HERE/v8_shell.cjs" --batch "$dir/batch.list" \
    >"$dir/batch.out" 2>"$dir/batch.err"
  while read -r wasm _; do
    id=$(basename "$wasm" .wasm)
    v=$(grep -F "$wasm " "$dir/batch.out" | head -1 | cut -d' ' -f2-)
    [ -n "$v" ] || v=$(run_v8_one "$dir" "$id")
    finish_module "$dir" "$id" "$v"
  done <"$dir/batch.list"
}

# Worker k of $JOBS: batches k, k+JOBS, ... of $BATCH modules, until the count or the time is up.
worker() {
  local k=$1 b=$1 dir="$WORK/w$1" i
  mkdir -p "$dir"
  while :; do
    local first=$((b * BATCH)) n=$BATCH
    if [ "$COUNT" -gt 0 ]; then
      [ "$first" -lt "$COUNT" ] || break
      [ $((first + n)) -le "$COUNT" ] || n=$((COUNT - first))
    fi
    [ "$(time_left)" = yes ] || break
    generate_batch "$dir" "$first" "$n"
    run_batch "$dir" "$first" "$n"
    b=$((b + JOBS))
  done
}

time_left() {
  if [ "$SECONDS_LIMIT" -gt 0 ] && [ $(($(date +%s) - START)) -ge "$SECONDS_LIMIT" ]; then
    echo no
  else
    echo yes
  fi
}

pids=()
for ((k = 0; k < JOBS; k++)); do
  worker "$k" &
  pids+=($!)
done
wait "${pids[@]}"

ELAPSED=$(($(date +%s) - START))
N=$(wc -l <"$RESULTS")
echo "differential run: $N modules in ${ELAPSED}s ($(awk -v n="$N" -v s="$ELAPSED" \
  'BEGIN { printf "%.1f", (s > 0 ? n * 60 / s : 0) }') modules/minute, $JOBS job(s));" \
  "binaryen $BINARYEN_MAJOR; results in $RESULTS"
if [ "$A64" = 1 ]; then
  a64_count() { grep -c " $1\$" "$A64_LOG" 2>/dev/null || true; }
  echo "aarch64 vs x86_64: $(a64_count same) modules print the same output, $(a64_count differs)" \
    "differ (mismatches), $(a64_count timeout) timed out under qemu (${A64_TIMEOUT} s; compared" \
    "with V8 only)"
fi
node "$HERE/compare.cjs" --summary "$RESULTS"
