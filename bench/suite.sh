#!/usr/bin/env bash
# The benchmark suite (not a test, not run by ctest; docs/benchmarks.md describes it):
#   1. builds every workload in bench/suite/*.c as a WASI command module (clang-14
#      --target=wasm32-wasi -O2) and natively (gcc -O2 and clang-14 -O2);
#   2. kernels: runs each under wtrun, node Liftoff-only, node TurboFan-only and both native
#      builds, RUNS interleaved rounds, medians and ratios -> results/suite.{csv,md}, suite.png;
#   3. compile: MB of code section per second, wtrun (bench/compile_bench, one thread) next to
#      V8 Liftoff (bench/compile_node.cjs) on the largest modules -> results/compile.txt; the
#      ratios side by side (bench/suite/compile_ratio.py) -> results/compile-ratio.{md,csv};
#   4. startup: `wtrun hello.wasm` end to end, median of 20 -> results/startup.txt;
#   5. bigstart (only when PARTS names it): start-up of big real WASI modules (llvm.core.wasm
#      of npm @yowasp/clang, yosys.core.wasm of @yowasp/yosys, installed into BENCH_CACHE when
#      missing, and every COMPILE_FILES module of >= 20 MB), jobs --version and --help of the
#      guest, under wtrun lazy, wtrun --compile eager, wtrun .cwasm (--allow-precompiled),
#      node default and node --no-wasm-lazy-compilation, interleaved, median of BIGSTART_RUNS
#      (bench/suite/bigstart.py) -> results/bigstart.{txt,csv,md}, bigstart.png;
#   6. simd (only when PARTS names it): the SIMD kernels of bench/simd/*.c, each built twice
#      for wasm with clang-14 -O3 -msimd128 (K_auto: plain C loops, auto-vectorized; K_intr:
#      wasm_simd128.h intrinsics) and natively (clang-14 -O3 -msse4.1 and -O3 -mavx2), run
#      under wtrun, node Liftoff-only, node TurboFan-only and both native builds like the
#      kernels -> results/simd.{csv,md}, simd-raw.csv, simd.png. A runner that fails (wtrun
#      without SIMD: "unsupported feature: simd") reads "fail" in the table; the other parts
#      still run, and the script exits 1 at the end.
# Environment:
#   RUNS=3            rounds for the kernels (median)
#   QUICK=1           small sizes (~0.1 s native each) to check the suite itself
#   PARTS="kernels compile startup"   (the default; add simd or bigstart, or name one alone)
#   BENCH_CACHE=/tmp/yowasp  where the bigstart part's npm packages are (installed if missing)
#   BIGSTART_RUNS=5   rounds of the bigstart part; BIGSTART_RUNNERS=wtrun-lazy,wtrun-eager,...
#   ONLY="fib,sieve"  a subset of the kernels (SIMD kernels by their base name: ONLY=dot,hex)
#   WTRUN=path        the wtrun binary (default: $BUILD_DIR/wtrun, built unless SKIP_BUILD=1)
#   BUILD_DIR=dir     CMake build dir for wtrun and compile_bench (default build-bench)
#   WTRUN2=path WTRUN2_LABEL=name   a second wtrun binary measured side by side (e.g. a branch)
#   RUNNERS=wtrun,liftoff,turbofan,gcc,clang   (default; e.g. RUNNERS=wtrun,wtrun2)
#   WTRUN_MODE=invoke  run the freestanding builds through `wtrun --invoke bench_entry` (for
#                      wtrun builds without WASI; the default is WASI when `wtrun hello.wasm` works)
#   COMPILE_FILES="a.wasm ..."      extra modules for the compile-throughput part
#   COMPILE_ROUNDS=5                 interleaved rounds of the wtrun/Liftoff compile ratios
#   OUT=dir           where results go (default bench/results)
#   SIMD_RUNNERS=wtrun,liftoff,turbofan,sse41,avx2   (default; avx2 only on a CPU with AVX2)
#   SIMD_VARIANTS="auto intr"   which builds of the SIMD kernels to run
#   SIMD_ISA2=sse4.1  SIMD part: also run wtrun with WTRUN_SIMD_ISA=sse4.1 (as wtrun2), the
#                     forced SSE4.1 lowering next to the default one (unless WTRUN2 is set)
set -euo pipefail

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
RUNS="${RUNS:-3}"
PARTS="${PARTS:-kernels compile startup}"
OUT="${OUT:-$BENCH/results}"
BIN="$BUILD_DIR/bench-suite"
CLANG="${CLANG:-clang-14}"
GCC="${GCC:-gcc}"
SYSROOT="${WASI_SYSROOT:-/usr}"
WASI_DIR="${WASI_DIR:-$ROOT/../shared/wasi-testsuite}"

# name:default_n:quick_n (default: >= 1 s native with gcc -O2 on the reference machine)
KERNELS=(
  coremark:5000:300 fib:42:32 sieve:20:2 nbody:9000000:500000 spectral:4800:1000
  mandelbrot:3500:800 fannkuch:5:1 sha256:130:10 base64:450:40 quicksort:16:2 heapsort:5:1
  matmul:1100:300 hashmap:14:2 interp:700000:100000 memops:60:5
)
# SIMD kernels, bench/simd/NAME.c (default: >= 1 s native with clang-14 -O3 -msse4.1 on the
# reference machine; quick: ~0.1 s)
SIMD_KERNELS=(
  dot:3000000:300000 saxpy:1500000:150000 bytesum:400000:40000 hist:20000:2000
  matmul:9000:900 blur:30000:3000 base64:40000:4000 hex:150000:15000
  strsearch:170000:17000 xxhash:90000:9000
)

if [[ "${SKIP_BUILD:-0}" != 1 && -z "${WTRUN:-}" ]]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWTRUN_BUILD_BENCH=ON >/dev/null
  make -C "$BUILD_DIR" -j2 wtrun compile_bench >/dev/null
fi
WTRUN="${WTRUN:-$BUILD_DIR/wtrun}"
COMPILE_BENCH="${COMPILE_BENCH:-$(dirname "$WTRUN")/bench/compile_bench}"
mkdir -p "$BIN" "$OUT"

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# $(date -u +%Y-%m-%dT%H:%MZ), node $(node --version), $($CLANG --version | head -1)," \
  "$($GCC --version | head -1), wtrun $(git -C "$(dirname "$WTRUN")" rev-parse --short HEAD 2>/dev/null || echo '?')," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"

# ---- 1. build the workloads
WASM_FLAGS=(--target=wasm32-wasi --sysroot="$SYSROOT" -O2 -Wl,--strip-debug)
build_one() {
  local k="$1" src="$BENCH/suite/$1.c"
  if [[ ! "$BIN/$k.wasm" -nt "$src" || ! "$BIN/$k.wasm" -nt "$BENCH/suite/bench.h" ]]; then
    "$CLANG" "${WASM_FLAGS[@]}" -o "$BIN/$k.wasm" "$src"
    # Freestanding variant for `wtrun --invoke bench_entry` (no WASI imports).
    "$CLANG" "${WASM_FLAGS[@]}" -DBENCH_NO_MAIN -nostartfiles -Wl,--no-entry -o "$BIN/$k.fs.wasm" "$src"
    "$GCC" -O2 -o "$BIN/$k.gcc" "$src" -lm
    "$CLANG" -O2 -o "$BIN/$k.clang" "$src" -lm
  fi
}
LIST=()
for spec in "${KERNELS[@]}"; do
  [[ " $PARTS " == *" kernels "* ]] || break
  IFS=: read -r k n q <<<"$spec"
  if [[ -n "${ONLY:-}" && ",$ONLY," != *",$k,"* ]]; then continue; fi
  build_one "$k"
  if [[ "${QUICK:-0}" == 1 ]]; then LIST+=("$k:$q"); else LIST+=("$k:$n"); fi
done
# SIMD kernels: K_auto and K_intr, each as a WASI module, a freestanding module (for
# WTRUN_MODE=invoke) and two native builds (the native K_intr compiles the plain C version:
# bench/simd/simd.h). -ffp-contract=off: no fused multiply-add in native float code (wasm has
# none), so every build computes the same bits.
SBIN="$BUILD_DIR/bench-simd"
SIMD_WASM_FLAGS=(--target=wasm32-wasi --sysroot="$SYSROOT" -O3 -msimd128 -Wl,--strip-debug)
SIMD_LIST=()
build_simd() {
  local k="$1" src="$BENCH/simd/$1.c" v name
  for v in ${SIMD_VARIANTS:-auto intr}; do
    name="${k}_$v"
    local def=()
    if [[ "$v" == intr ]]; then def=(-DSIMD_INTRIN); fi
    if [[ ! "$SBIN/$name.wasm" -nt "$src" || ! "$SBIN/$name.wasm" -nt "$BENCH/simd/simd.h" ||
          ! "$SBIN/$name.wasm" -nt "$BENCH/suite/bench.h" ]]; then
      "$CLANG" "${SIMD_WASM_FLAGS[@]}" "${def[@]}" -o "$SBIN/$name.wasm" "$src"
      "$CLANG" "${SIMD_WASM_FLAGS[@]}" "${def[@]}" -DBENCH_NO_MAIN -nostartfiles -Wl,--no-entry \
        -o "$SBIN/$name.fs.wasm" "$src"
      "$CLANG" -O3 -msse4.1 -ffp-contract=off "${def[@]}" -o "$SBIN/$name.sse41" "$src"
      "$CLANG" -O3 -mavx2 -ffp-contract=off "${def[@]}" -o "$SBIN/$name.avx2" "$src"
    fi
    SIMD_LIST+=("$name:$2")
  done
}
if [[ " $PARTS " == *" simd "* ]]; then
  mkdir -p "$SBIN"
  for spec in "${SIMD_KERNELS[@]}"; do
    IFS=: read -r k n q <<<"$spec"
    if [[ -n "${ONLY:-}" && ",$ONLY," != *",$k,"* ]]; then continue; fi
    if [[ "${QUICK:-0}" == 1 ]]; then build_simd "$k" "$q"; else build_simd "$k" "$n"; fi
  done
  # Do the modules really use SIMD? Instructions with a v128 or lane-shape prefix, per module.
  if command -v wasm-objdump >/dev/null; then
    counts=()
    for spec in "${SIMD_LIST[@]}"; do
      name="${spec%%:*}"
      c=$(wasm-objdump -d "$SBIN/$name.wasm" | grep -cE '\b(v128|[if](8x16|16x8|32x4|64x2))\.' || true)
      counts+=("$name $c")
      if [[ "$c" == 0 ]]; then echo "# warning: $name.wasm has no SIMD instruction" >&2; fi
    done
    echo "# SIMD instructions per module: $(IFS=,; echo "${counts[*]}" | sed 's/,/, /g')"
  fi
fi
# hello world for the start-up part
printf '#include <unistd.h>\nint main(void) { return write(1, "hello, world\\n", 13) == 13 ? 0 : 1; }\n' \
  >"$BIN/hello.c"
"$CLANG" "${WASM_FLAGS[@]}" -o "$BIN/hello.wasm" "$BIN/hello.c"
"$GCC" -O2 -o "$BIN/hello.gcc" "$BIN/hello.c"

# Does `wtrun FILE` run WASI programs yet? Otherwise use the freestanding builds via --invoke.
MODE="${WTRUN_MODE:-wasi}"
if [[ "$MODE" == wasi && "$("$WTRUN" "$BIN/hello.wasm" 2>/dev/null)" != "hello, world" ]]; then
  MODE=invoke
  echo "# note: '$WTRUN hello.wasm' does not run WASI programs: using --invoke bench_entry"
fi

# ---- 2. kernels
if [[ " $PARTS " == *" kernels "* ]]; then
  extra=()
  if [[ -n "${WTRUN2:-}" ]]; then extra=(--wtrun2 "$WTRUN2" --wtrun2-label "${WTRUN2_LABEL:-wtrun2}"); fi
  if [[ -n "${RUNNERS:-}" ]]; then extra+=(--runners "$RUNNERS"); fi
  python3 "$BENCH/suite/suite.py" --bin "$BIN" --out "$OUT" --runs "$RUNS" --wtrun "$WTRUN" \
    --wtrun-mode "$MODE" --kernels "$(IFS=,; echo "${LIST[*]}")" "${extra[@]}"
  if command -v gnuplot >/dev/null; then
    gnuplot -e "datafile='$OUT/suite.dat'; outfile='$OUT/suite.png'" "$BENCH/suite/chart.gp" &&
      echo "chart: $OUT/suite.png"
  else
    echo "(gnuplot not installed: no chart; apt-get install gnuplot-nox)"
  fi
fi

# ---- 2b. SIMD kernels
simd_status=0
if [[ " $PARTS " == *" simd "* ]]; then
  runners="${SIMD_RUNNERS:-wtrun,liftoff,turbofan,sse41,avx2}"
  if ! grep -qw avx2 /proc/cpuinfo; then
    runners="$(echo ",$runners," | sed 's/,avx2,/,/; s/^,//; s/,$//')"
    echo "# note: no AVX2 on this CPU: the -mavx2 native builds are not run"
  fi
  extra=()
  if [[ -n "${WTRUN2:-}" ]]; then
    extra=(--wtrun2 "$WTRUN2" --wtrun2-label "${WTRUN2_LABEL:-wtrun2}")
  elif [[ -n "${SIMD_ISA2:-}" ]]; then
    # The same wtrun a second time with its SIMD lowering capped (WTRUN_SIMD_ISA, e.g. sse4.1).
    printf '#!/bin/sh\nWTRUN_SIMD_ISA=%s exec %q "$@"\n' "$SIMD_ISA2" "$WTRUN" >"$SBIN/wtrun-isa2.sh"
    chmod +x "$SBIN/wtrun-isa2.sh"
    extra=(--wtrun2 "$SBIN/wtrun-isa2.sh" --wtrun2-label "wtrun-$SIMD_ISA2")
  fi
  python3 "$BENCH/suite/suite.py" --prefix simd --bin "$SBIN" --out "$OUT" --runs "$RUNS" \
    --wtrun "$WTRUN" --wtrun-mode "$MODE" --kernels "$(IFS=,; echo "${SIMD_LIST[*]}")" \
    --runners "$runners" --ratios native=sse41,liftoff=liftoff,turbofan=turbofan,avx2=avx2 \
    --extra-ratios liftoff/native,turbofan/native "${extra[@]}" || simd_status=$?
  if [[ "$simd_status" != 0 ]]; then
    echo "# simd: some runs failed or printed another line (above); going on"
  fi
  if [[ "$(head -1 "$OUT/simd.dat" | wc -w)" -lt 2 ]]; then
    echo "(no wtrun ratios: no chart)"
  elif command -v gnuplot >/dev/null; then
    gnuplot -e "datafile='$OUT/simd.dat'; outfile='$OUT/simd.png'; charttitle='SIMD kernels: wtrun time relative to other runners (native = clang-14 -O3 -msse4.1)'" \
      "$BENCH/suite/chart.gp" &&
      echo "chart: $OUT/simd.png"
  else
    echo "(gnuplot not installed: no chart; apt-get install gnuplot-nox)"
  fi
fi

# ---- 3. compile throughput
if [[ " $PARTS " == *" compile "* ]]; then
  LARGE=()
  if [[ -d "$WASI_DIR" ]]; then
    mapfile -t LARGE < <(find "$WASI_DIR" -name '*.wasm' -printf '%s %p\n' | sort -rn | head -2 |
      cut -d' ' -f2-)
  fi
  # A large C program: many generated functions (loops, switches, arithmetic, calls).
  if [[ ! -f "$BIN/bigprog.wasm" ]]; then
    python3 "$BENCH/suite/gen_bigprog.py" "${BIGPROG_FUNCS:-4000}" >"$BIN/bigprog.c"
    "$CLANG" "${WASM_FLAGS[@]}" -o "$BIN/bigprog.wasm" "$BIN/bigprog.c"
  fi
  LARGE+=("$BIN/bigprog.wasm")
  if [[ -n "${COMPILE_FILES:-}" ]]; then read -r -a more <<<"$COMPILE_FILES"; LARGE+=("${more[@]}"); fi
  {
    echo "## compile throughput, MB of code section per second (median of 5), load $(cut -d' ' -f1 /proc/loadavg)"
    echo "### wtrun, one thread (decode, validate, jit; total = all three)"
    "$COMPILE_BENCH" --runs 5 "${LARGE[@]}"
    echo "### V8 Liftoff, eager, --single-threaded"
    node --liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering --no-wasm-lazy-compilation \
      --single-threaded "$BENCH/compile_node.cjs" 5 "${LARGE[@]}"
    echo "### V8 Liftoff, eager, background compile tasks"
    node --liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering --no-wasm-lazy-compilation \
      "$BENCH/compile_node.cjs" 5 "${LARGE[@]}"
  } | tee "$OUT/compile.txt"
  # The ratios, wtrun against Liftoff side by side (interleaved rounds): one thread each (CPU
  # time), and all cores (wall time: wtrun's parallel compile, V8's background tasks).
  python3 "$BENCH/suite/compile_ratio.py" "$COMPILE_BENCH" "$BENCH" "${COMPILE_ROUNDS:-5}" \
    "$OUT/compile-ratio" "${LARGE[@]}"
fi

# ---- 4. start-up
if [[ " $PARTS " == *" startup "* ]]; then
  if [[ "$MODE" == wasi ]]; then
    extra=()
    if [[ -n "${WTRUN2:-}" ]]; then extra=("${WTRUN2_LABEL:-wtrun2}=$WTRUN2"); fi
    python3 "$BENCH/suite/startup.py" "$BIN" "$WTRUN" "${extra[@]}" | tee "$OUT/startup.txt"
  else
    echo "start-up: skipped ('wtrun hello.wasm' does not run WASI programs yet)" | tee "$OUT/startup.txt"
  fi
fi

# ---- 5. start-up of big modules
bigstart_status=0
if [[ " $PARTS " == *" bigstart "* ]]; then
  BENCH_CACHE="${BENCH_CACHE:-/tmp/yowasp}"
  big=()
  for pkg in clang:llvm.core.wasm yosys:yosys.core.wasm; do
    name="${pkg%%:*}"
    file="$BENCH_CACHE/node_modules/@yowasp/$name/gen/${pkg#*:}"
    if [[ ! -f "$file" ]]; then
      echo "# bigstart: installing @yowasp/$name into $BENCH_CACHE"
      npm install --prefix "$BENCH_CACHE" "@yowasp/$name" >/dev/null
    fi
    big+=("$name=$file:$name")
  done
  if [[ -n "${COMPILE_FILES:-}" ]]; then
    read -r -a more <<<"$COMPILE_FILES"
    for f in "${more[@]}"; do
      if [[ $(stat -c %s "$f") -ge 20000000 ]]; then b="$(basename "$f")"; big+=("${b%%.*}=$f:${b%%.*}"); fi
    done
  fi
  python3 "$BENCH/suite/bigstart.py" --wtrun "$WTRUN" --out "$OUT" --runs "${BIGSTART_RUNS:-5}" \
    --cache "$BENCH_CACHE" ${BIGSTART_RUNNERS:+--runners "$BIGSTART_RUNNERS"} "${big[@]}" ||
    bigstart_status=$?
  if command -v gnuplot >/dev/null; then
    gnuplot -e "datafile='$OUT/bigstart.dat'; outfile='$OUT/bigstart.png'" \
      "$BENCH/suite/bigstart.gp" && echo "chart: $OUT/bigstart.png"
  else
    echo "(gnuplot not installed: no chart; apt-get install gnuplot-nox)"
  fi
fi

if [[ "$simd_status" != 0 ]]; then exit "$simd_status"; fi
exit "$bigstart_status"
