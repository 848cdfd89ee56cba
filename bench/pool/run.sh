#!/usr/bin/env bash
# [pool] Instantiate-and-drop (bench/pool/pool_bench.cpp) for modules a, b, c with the
# on-demand allocator, the pool and the pool with userfaultfd; then the wall time of the whole
# testsuite-2.0 run with and without the pool. Prints CSV (bench/pool/results.csv).
# Environment: BUILD_DIR (default build-bench), N (10000), RUNS (3, the median is kept).
set -euo pipefail
BENCH="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(dirname "$BENCH")"
BUILD_DIR="${BUILD_DIR:-$ROOT/build-bench}"
N="${N:-10000}"
RUNS="${RUNS:-3}"
SUITE="${SUITE:-$ROOT/../shared/testsuite-2.0}"
CSV="$BENCH/pool/results.csv"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWTRUN_BUILD_BENCH=ON >/dev/null
  make -C "$BUILD_DIR" -j2 wtrun pool_bench >/dev/null
fi
median() { sort -t, -k4 -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
echo "allocator,module,n,instances_per_s,p50_us,p99_us,peak_rss_kb" | tee "$CSV"
for m in a b c; do
  for a in on-demand pool uffd; do
    for _ in $(seq "$RUNS"); do "$BUILD_DIR/bench/pool_bench" "$a" "$m" "$N"; done | median | tee -a "$CSV"
  done
done
echo
echo "testsuite-2.0 wall time (s), median of $RUNS:"
for mode in "" --pooling --pool-uffd; do
  t=$(for _ in $(seq "$RUNS"); do
        { /usr/bin/time -f %e "$BUILD_DIR/wtrun" wast --wasm 2.0 $mode --dir "$SUITE" \
            --expect "$ROOT/tests/wast/expect-2.0.txt" >/dev/null || true; } 2>&1 | tail -1
      done | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  echo "wast${mode:+ $mode},$t" | tee -a "$CSV"
done
