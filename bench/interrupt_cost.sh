#!/usr/bin/env bash
# The cost of --fuel and --timeout (docs/traps-limits.md): the compute kernels of
# bench/kernels/*.c (built as bench/run.sh builds them) run by wtrun without options, with
# --fuel (a budget never reached), with --timeout (a deadline never reached) and with both.
# Prints the median CPU time (user + sys) of RUNS runs of each and the ratios to the plain run.
# Not a test; not run by CI.
# Environment: WTRUN (default build-c/wtrun), RUNS (5), CLANG (clang-14), OUT (a scratch dir).
set -euo pipefail

BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH")"
WTRUN="${WTRUN:-$ROOT/build-c/wtrun}"
RUNS="${RUNS:-5}"
CLANG="${CLANG:-clang-14}"
OUT="${OUT:-$ROOT/build-c/bench-interrupt}"
KERNELS=(fib:35 sieve:20 matmul:50 nbody:2000000 crc32:200)
FUEL=(--fuel 1000000000000000000)
TIMEOUT=(--timeout 1h)

mkdir -p "$OUT"
for kn in "${KERNELS[@]}"; do
  k="${kn%%:*}"
  "$CLANG" --target=wasm32 -O2 -fno-builtin -nostdlib -Wl,--no-entry -Wl,--export=run \
    -o "$OUT/$k.wasm" "$BENCH/kernels/$k.c"
done

# Median CPU seconds (user + sys) of RUNS runs of "$@"; stdout to $OUT/last.out.
median_cpu() {
  local times=() t
  for ((i = 0; i < RUNS; i++)); do
    t=$( { TIMEFORMAT='%3U %3S'; time "$@" >"$OUT/last.out"; } 2>&1 | tail -n 1)
    times+=("$(awk '{printf "%.3f", $1 + $2}' <<<"$t")")
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$((RUNS / 2 + 1))p"
}

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ), median of $RUNS"
printf '%-8s %8s | %7s %7s %7s %7s | %6s %6s %6s\n' kernel N plain fuel timeout both \
  fuel timeout both
printf '%-8s %8s | %31s | %20s\n' "" "" "CPU seconds" "ratio to plain"
for kn in "${KERNELS[@]}"; do
  k="${kn%%:*}"
  n="${kn#*:}"
  plain=$(median_cpu "$WTRUN" --invoke run "$OUT/$k.wasm" "$n")
  expect=$(cat "$OUT/last.out")
  fuel=$(median_cpu "$WTRUN" "${FUEL[@]}" --invoke run "$OUT/$k.wasm" "$n")
  [[ "$(cat "$OUT/last.out")" == "$expect" ]] || echo "warning: $k: --fuel printed $(cat "$OUT/last.out")"
  timeout=$(median_cpu "$WTRUN" "${TIMEOUT[@]}" --invoke run "$OUT/$k.wasm" "$n")
  [[ "$(cat "$OUT/last.out")" == "$expect" ]] || echo "warning: $k: --timeout printed $(cat "$OUT/last.out")"
  both=$(median_cpu "$WTRUN" "${FUEL[@]}" "${TIMEOUT[@]}" --invoke run "$OUT/$k.wasm" "$n")
  printf '%-8s %8s | %7s %7s %7s %7s | %6s %6s %6s\n' "$k" "$n" "$plain" "$fuel" "$timeout" \
    "$both" "$(awk -v a="$fuel" -v b="$plain" 'BEGIN{printf "%.2f", a / b}')" \
    "$(awk -v a="$timeout" -v b="$plain" 'BEGIN{printf "%.2f", a / b}')" \
    "$(awk -v a="$both" -v b="$plain" 'BEGIN{printf "%.2f", a / b}')"
done
