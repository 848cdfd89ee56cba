#!/usr/bin/env bash
# Wasm 3.0 feature benchmarks of issue 17 (not a test, not run by CI), side by side in one run:
#  (1) throw-and-catch across 1 and 20 frames: wtrun (legacy and try_table encodings) against
#      node (V8; node 20 reads the legacy encoding only), eh_legacy.wat / eh_exnref.wat;
#  (2) a loop whose body is in a try that never throws against the same loop without it
#      (plus a plain block and a block left by a never-taken br_if), try_loop*.wat;
#  (3) a tail-call loop (self, mutual, through an adapter frame) against the same loop with br,
#      tail_call.wat, wtrun and node;
#  (4) the kernels of bench/kernels (clang --target=wasm32, as bench/run.sh builds them) with
#      their memory moved to memory 1 of a two-memory module, made 64-bit (addresses extended),
#      the control of the latter, and built with clang --target=wasm64 (mem_variants.py).
# Prints the tables (markdown) and writes $OUT/wasm3.md and $OUT/wasm3-raw.csv.
# Environment: WTRUN (default: build-bench/wtrun, built when missing), RUNS (rounds, default
# 5), QUICK=1 (1/100 of the sizes: checks that every variant agrees), ONLY (any of
# eh,try,tail,mem; default all), OUT (default /tmp/wasm3-bench), CLANG (clang-14),
# WTRUN_BEFORE (a second wtrun, e.g. built before a change: its try rows in the same rounds).
# Needs node >= 20, wabt (wat2wasm, wasm2wat), clang-14 with the wasm32 and wasm64 targets.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="${OUT:-/tmp/wasm3-bench}"
CLANG="${CLANG:-clang-14}"
RUNS="${RUNS:-5}"
WTRUN="${WTRUN:-$ROOT/build-bench/wtrun}"
if [[ ! -x "$WTRUN" ]]; then
  cmake -S "$ROOT" -B "$ROOT/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null
  make -C "$ROOT/build-bench" -j2 wtrun >/dev/null
fi
mkdir -p "$OUT"

# wabt 1.0.32 reads the legacy exception opcodes but not try_table: the try_table files are
# given to wtrun as text (it parses .wat itself).
wat2wasm --enable-exceptions "$HERE/eh_legacy.wat" -o "$OUT/eh_legacy.wasm"
wat2wasm --enable-exceptions "$HERE/try_loop.wat" -o "$OUT/try_loop.wasm"
wat2wasm --enable-tail-call "$HERE/tail_call.wat" -o "$OUT/tail_call.wasm"

for k in sieve matmul nbody crc32; do
  flags=(-O2 -fno-builtin -nostdlib -Wl,--no-entry -Wl,--export=run)
  "$CLANG" --target=wasm32 "${flags[@]}" -o "$OUT/$k.mem0.wasm" "$ROOT/bench/kernels/$k.c"
  "$CLANG" --target=wasm64 "${flags[@]}" -o "$OUT/$k.wasm64.wasm" "$ROOT/bench/kernels/$k.c"
  wasm2wat "$OUT/$k.mem0.wasm" -o "$OUT/$k.mem0.wat"
  for v in mem1 m64 m32tmp; do
    python3 "$HERE/mem_variants.py" "$v" "$OUT/$k.mem0.wat" "$OUT/$k.$v.wat"
    wat2wasm --enable-multi-memory --enable-memory64 "$OUT/$k.$v.wat" -o "$OUT/$k.$v.wasm"
  done
done

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# date: $(date -u +%Y-%m-%dT%H:%MZ), wtrun $WTRUN ($(git -C "$ROOT" rev-parse --short HEAD)" \
  "$(git -C "$ROOT" diff --quiet HEAD -- src || echo '+ local changes')), node $(node --version)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), RUNS=$RUNS${QUICK:+ QUICK}"
args=(--wtrun "$WTRUN" --out "$OUT" --runs "$RUNS" --only "${ONLY:-eh,try,tail,mem}")
[[ "${QUICK:-0}" == 1 ]] && args+=(--quick)
[[ -n "${WTRUN_BEFORE:-}" ]] && args+=(--wtrun-before "$WTRUN_BEFORE")
python3 "$HERE/run.py" "${args[@]}"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
