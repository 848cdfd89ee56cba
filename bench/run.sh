#!/usr/bin/env bash
# One command for the first benchmarks (not a test, not run by CI):
#  (a) compile throughput: wtrun (bench/compile_bench: decode + validate + compile) against V8
#      Liftoff (`new WebAssembly.Module`, eager, Liftoff only) on the largest .wasm files of the
#      WASI testsuite, in MB of code section per second (median of RUNS);
#  (b) run times of the compute kernels in bench/kernels/*.c: wtrun, node Liftoff-only, node
#      TurboFan-only and native (clang -O2), wall time of the whole process, median of RUNS.
# Prints tables and writes bench/results/latest.csv.
# Environment: BUILD_DIR (default build-bench), RUNS (5), SKIP_BUILD=1, COMPILE_FILES (space-
# separated .wasm files for (a); default: the 3 largest under WASI_DIR).
set -euo pipefail

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
RUNS="${RUNS:-5}"
WASI_DIR="${WASI_DIR:-$ROOT/../shared/wasi-testsuite}"
CLANG="${CLANG:-clang-14}"
OUT="$BUILD_DIR/bench-kernels"
CSV="$BENCH/results/latest.csv"

LIFTOFF=(--liftoff --no-wasm-tier-up --no-wasm-dynamic-tiering)
TURBOFAN=(--no-liftoff)

# kernel:N (N chosen so that the native run takes ~0.1-0.8 s)
KERNELS=(fib:35 sieve:20 matmul:50 nbody:2000000 crc32:200)

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWTRUN_BUILD_BENCH=ON >/dev/null
  make -C "$BUILD_DIR" -j2 wtrun compile_bench >/dev/null
fi
WTRUN="$BUILD_DIR/wtrun"
mkdir -p "$OUT" "$BENCH/results"

for kn in "${KERNELS[@]}"; do
  k="${kn%%:*}"
  "$CLANG" --target=wasm32 -O2 -fno-builtin -nostdlib -Wl,--no-entry -Wl,--export=run \
    -o "$OUT/$k.wasm" "$BENCH/kernels/$k.c"
  "$CLANG" -O2 -fno-builtin -fno-math-errno -o "$OUT/$k.native" "$BENCH/kernels/$k.c" \
    "$BENCH/kernels/native_main.c" -lm
done

# Median wall time in seconds of RUNS runs of "$@"; the command's stdout goes to $OUT/last.out.
median_wall() {
  local times=()
  for ((i = 0; i < RUNS; i++)); do
    local t0 t1
    t0=$(date +%s%N)
    if ! "$@" >"$OUT/last.out"; then
      echo "error: failed: $*" >&2
      exit 1
    fi
    t1=$(date +%s%N)
    times+=("$(((t1 - t0) / 1000))")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$((RUNS / 2 + 1))p" |
    awk '{printf "%.3f", $1 / 1e6}'
}

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# date: $(date -u +%Y-%m-%dT%H:%MZ), node $(node --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kind,name,metric,wtrun,liftoff,turbofan,native" >"$CSV"

# ---- (a) compile throughput
if [[ -n "${COMPILE_FILES:-}" ]]; then
  read -r -a LARGE <<<"$COMPILE_FILES"
else
  mapfile -t LARGE < <(find "$WASI_DIR" -name '*.wasm' -printf '%s %p\n' 2>/dev/null | sort -rn |
    head -3 | cut -d' ' -f2-)
fi
if ((${#LARGE[@]} > 0)); then
  echo
  echo "## compile throughput (MB of code section per second, median of $RUNS)"
  echo "### wtrun (single thread)"
  "$BUILD_DIR/bench/compile_bench" --runs "$RUNS" "${LARGE[@]}" | tee "$OUT/compile_wtrun.txt"
  echo "### V8 Liftoff, eager (--no-wasm-lazy-compilation), default background tasks"
  node "${LIFTOFF[@]}" --no-wasm-lazy-compilation "$BENCH/compile_node.cjs" "$RUNS" "${LARGE[@]}" |
    tee "$OUT/compile_liftoff.txt"
  echo "### V8 Liftoff, eager, --single-threaded"
  node "${LIFTOFF[@]}" --no-wasm-lazy-compilation --single-threaded "$BENCH/compile_node.cjs" \
    "$RUNS" "${LARGE[@]}" | tee "$OUT/compile_liftoff_st.txt"
  for f in "${LARGE[@]}"; do
    b="$(basename "$f")"
    w=$(awk -v b="$b" '$1 == b {print $7}' "$OUT/compile_wtrun.txt")
    wj=$(awk -v b="$b" '$1 == b {print $8}' "$OUT/compile_wtrun.txt")
    l=$(awk -v f="$f" -F'\t' '$1 == f {split($4, a, " "); print a[1]}' "$OUT/compile_liftoff.txt")
    ls=$(awk -v f="$f" -F'\t' '$1 == f {split($4, a, " "); print a[1]}' "$OUT/compile_liftoff_st.txt")
    echo "compile,$b,MB/s (wtrun: decode+validate+jit; jit alone $wj),$w,$l,,single-threaded liftoff $ls" >>"$CSV"
  done
else
  echo "(no .wasm files under $WASI_DIR: compile throughput skipped)"
fi

# ---- (b) kernels
echo
echo "## kernels: wall time of the whole process in seconds, median of $RUNS"
echo "(ratios: wtrun time / other time, wall; 'net' ratios subtract each runner's fib(0) time,"
echo " i.e. process start-up + module compile + instantiation, from both sides)"
printf '%-8s %8s %7s %7s %7s %7s | %6s %6s %6s | %6s %6s %6s\n' kernel N wtrun liftoff turbofan \
  native w/lift w/turb w/nat net/lift net/turb net/nat
run_row() {
  local k="$1" n="$2" expect="" w l t x
  w=$(median_wall "$WTRUN" --invoke run "$OUT/$k.wasm" "$n")
  expect=$(cat "$OUT/last.out")
  l=$(median_wall node "${LIFTOFF[@]}" "$BENCH/run_kernel.cjs" "$OUT/$k.wasm" "$n")
  [[ "$(cat "$OUT/last.out")" == "$expect" ]] || echo "warning: $k: liftoff printed $(cat "$OUT/last.out"), wtrun $expect"
  t=$(median_wall node "${TURBOFAN[@]}" "$BENCH/run_kernel.cjs" "$OUT/$k.wasm" "$n")
  [[ "$(cat "$OUT/last.out")" == "$expect" ]] || echo "warning: $k: turbofan printed $(cat "$OUT/last.out"), wtrun $expect"
  x=$(median_wall "$OUT/$k.native" "$n")
  [[ "$(cat "$OUT/last.out")" == "$expect" ]] || echo "warning: $k: native printed $(cat "$OUT/last.out"), wtrun $expect"
  if [[ -z "${S_W:-}" ]]; then S_W=$w S_L=$l S_T=$t S_X=$x; fi
  awk -v k="$k" -v n="$n" -v w="$w" -v l="$l" -v t="$t" -v x="$x" -v sw="$S_W" -v sl="$S_L" \
    -v st="$S_T" -v sx="$S_X" 'function r(a, b) { return b > 0.0005 ? sprintf("%6.2f", a / b) : "     -" }
    BEGIN { printf "%-8s %8s %7.3f %7.3f %7.3f %7.3f | %s %s %s | %s %s %s\n", k, n, w, l, t, x,
      r(w, l), r(w, t), r(w, x), r(w - sw, l - sl), r(w - sw, t - st), r(w - sw, x - sx) }'
  echo "kernel,$k($n),wall_s,$w,$l,$t,$x" >>"$CSV"
}
# Process start-up and instantiation alone (fib(0)): subtract it when reading short runs.
run_row fib 0
for kn in "${KERNELS[@]}"; do
  run_row "${kn%%:*}" "${kn#*:}"
done
echo
echo "CSV: $CSV"
