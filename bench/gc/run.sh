#!/usr/bin/env bash
# [wasmgc] #18: the GC benchmarks (not a test, not run by CI): binary trees, list churn with a
# growing live set, an array kernel, cast-heavy dispatch (and the existing cyclic churn), each
# a .wat file with run(N) returning a checksum, under wtrun and under node 24 (V8 13.6's
# WasmGC) Liftoff only and TurboFan only. Whole-process wall time (start-up and compile
# included: the `empty` row measures that alone for each engine) and peak RSS, medians of
# RUNS interleaved rounds, ratios wtrun/Liftoff and wtrun/TurboFan and their geometric means
# (bench/gc/run.py; docs/benchmarks.md "GC (#18)").
# Environment: BUILD_DIR (default build/rel; wtrun and bench/gc_wat2wasm are built there when
# missing, the latter needs -DWTRUN_BUILD_BENCH=ON), WTRUN (default $BUILD_DIR/wtrun),
# WTRUN_BEFORE (a second wtrun, e.g. built before a change: its times in the same rounds),
# NODE (default: npm's node@24.21.0, installed into $OUT/npm by scripts/npm-package.sh when
# missing, else `node`; the final GC encoding needs node >= 22), RUNS (default 3), QUICK=1 (small
# sizes: checks the checksums agree), ONLY (names, space-separated), OUT (default
# /tmp/gc-bench: the .wasm files, built here with gc_wat2wasm, never committed).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD_DIR="${BUILD_DIR:-$ROOT/build/rel}"
WTRUN="${WTRUN:-$BUILD_DIR/wtrun}"
OUT="${OUT:-/tmp/gc-bench}"
RUNS="${RUNS:-3}"
if [[ -z "${NODE:-}" ]]; then
  NODE="$OUT/npm/node_modules/node/bin/node"
  bash "$ROOT/scripts/npm-package.sh" "$OUT/npm" node 24.21.0 || NODE=node
fi
W2W="$BUILD_DIR/bench/gc_wat2wasm"
for t in wtrun bench/gc_wat2wasm; do
  if [[ ! -x "$BUILD_DIR/$t" ]]; then
    cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DWTRUN_BUILD_BENCH=ON >/dev/null
    cmake --build "$BUILD_DIR" -j2 --target wtrun gc_wat2wasm >/dev/null
    break
  fi
done
mkdir -p "$OUT"

# name:N (N chosen so that node's TurboFan run takes ~0.5-3 s here)
if [[ "${QUICK:-0}" == 1 ]]; then
  BENCH=(empty:1 binary_trees:12 list_churn:100000 array_kernel:200 cast_dispatch:20
    cyclic_churn:100000)
else
  BENCH=(empty:1 binary_trees:20 list_churn:3000000 array_kernel:3000 cast_dispatch:10000
    cyclic_churn:1000000)
fi
if [[ -n "${ONLY:-}" ]]; then
  sel=()
  for b in "${BENCH[@]}"; do
    for o in $ONLY; do [[ "${b%%:*}" == "$o" ]] && sel+=("$b"); done
  done
  BENCH=("${sel[@]}")
fi
for b in "${BENCH[@]}"; do
  "$W2W" "$HERE/${b%%:*}.wat" "$OUT/${b%%:*}.wasm"
done

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# date: $(date -u +%Y-%m-%dT%H:%MZ), wtrun $WTRUN ($(git -C "$ROOT" rev-parse --short HEAD)" \
  "$(git -C "$ROOT" diff --quiet HEAD -- src || echo '+ local changes')), node $("$NODE" --version)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), RUNS=$RUNS${QUICK:+ QUICK}"
args=(--wtrun "$WTRUN" --node "$NODE" --dir "$HERE" --out "$OUT" --runs "$RUNS" --bench "${BENCH[@]}")
[[ -n "${WTRUN_BEFORE:-}" ]] && args+=(--wtrun-before "$WTRUN_BEFORE")
python3 "$HERE/run.py" "${args[@]}"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
