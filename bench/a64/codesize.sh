#!/usr/bin/env bash
# [a64] Code size and instruction counts of the aarch64 JIT against the x86_64 one and against
# clang -O2, on the benchmark kernels (bench/kernels/*.c, built to wasm32 as bench/run.sh does).
# Not a test. Runs on an x86_64 machine with the aarch64 build (scripts/a64.sh):
#  (a) code size per compiled function: x86_64 wtrun and aarch64 wtrun (under qemu-user), both
#      --compile eager --profile=perfmap (the perf map has each function's address and size);
#      beside them the size of the same C functions compiled natively by clang -O2 for each ISA
#      (nm -S of the object files: optimized code, for scale);
#  (b) dynamic instruction counts of run(N) on aarch64: the JIT's code (wtrun under
#      qemu-aarch64 -singlestep -d nochain,exec: one trace line per executed instruction, counted
#      within the perf map's wasm functions) against the clang -O2 aarch64 build of the kernel
#      (linked with aarch64-linux-gnu-gcc, -no-pie, counted within the kernel's own functions).
#      qemu-user 7.2 in Debian ships no TCG plugins (no libinsn.so), hence the exec trace.
# Prints two tables and writes them to OUT/codesize.txt.
#   bench/a64/codesize.sh [X64_WTRUN [A64_WTRUN]]
# Environment: OUT (default build/a64-codesize), KERNELS (default "fib:20 sieve:1 matmul:1
# nbody:20 crc32:1", kernel:N for (b); small N: every instruction is a trace line), NO_COUNT=1
# skips (b), QEMU (default "qemu-aarch64": the multiarch loader and libc:arm64).
set -euo pipefail
BENCH="$(cd "$(dirname "$0")/.." && pwd)"
ROOT="$(dirname "$BENCH")"
X64_WTRUN="${1:-$ROOT/build/test/wtrun}"
A64_WTRUN="${2:-$ROOT/build/a64/wtrun}"
OUT="${OUT:-$ROOT/build/a64-codesize}"
CLANG="${CLANG:-clang-14}"
read -r -a QEMU_CMD <<<"${QEMU:-qemu-aarch64}"
read -r -a KERNELS <<<"${KERNELS:-fib:20 sieve:1 matmul:1 nbody:20 crc32:1}"
for tool in "$X64_WTRUN" "$A64_WTRUN"; do
  [ -x "$tool" ] || { echo "codesize.sh: no wtrun at $tool (scripts/test.sh builds both)" >&2; exit 2; }
done
mkdir -p "$OUT"
report="$OUT/codesize.txt"
: >"$report"
say() { printf '%s\n' "$*" | tee -a "$report"; }

# Runs CMD... and prints its pid's perf map path (the process writes /tmp/perf-PID.map).
perfmap_of() {
  local pid
  pid=$(sh -c 'echo $$ >&2; exec "$@" >/dev/null 2>&1' sh "$@" 2>&1 | head -n 1)
  echo "/tmp/perf-$pid.map"
}

nm_sizes() {  # NM OBJ -> "name size" (hex sizes converted in python: mawk has no strtonum)
  "$1" -S --defined-only "$2" | python3 -c '
import sys
for l in sys.stdin:
    f = l.split()
    if len(f) == 4 and f[2] in "tT":
        print(f[3], int(f[1], 16))'
}

say "== (a) code size per function (bytes): wtrun x86_64, wtrun aarch64, clang -O2 x86_64 / aarch64 =="
say "$(printf '%-8s %-28s %9s %9s %7s   %s' kernel function x64 a64 a64/x64 'clang -O2 (x64 / a64, whole kernel)')"
tot_x=0
tot_a=0
for kn in "${KERNELS[@]}"; do
  k="${kn%%:*}"
  src="$BENCH/kernels/$k.c"
  "$CLANG" --target=wasm32 -O2 -fno-builtin -nostdlib -Wl,--no-entry -Wl,--export=run \
    -o "$OUT/$k.wasm" "$src"
  "$CLANG" -O2 -fno-builtin -fno-math-errno -c -o "$OUT/$k.x64.o" "$src"
  "$CLANG" --target=aarch64-linux-gnu -O2 -fno-builtin -fno-math-errno -c -o "$OUT/$k.a64.o" "$src"
  native_x=$(nm_sizes nm "$OUT/$k.x64.o" | awk '{ s += $2 } END { print s + 0 }')
  native_a=$(nm_sizes aarch64-linux-gnu-nm "$OUT/$k.a64.o" | awk '{ s += $2 } END { print s + 0 }')
  mx=$(perfmap_of "$X64_WTRUN" --compile eager --profile=perfmap --invoke run "$OUT/$k.wasm" 1)
  ma=$(perfmap_of "${QEMU_CMD[@]}" "$A64_WTRUN" --compile eager --profile=perfmap --invoke run \
    "$OUT/$k.wasm" 1)
  python3 - "$k" "$mx" "$ma" "$native_x" "$native_a" <<'EOF' | tee -a "$report"
import sys, os
k, mx, ma, nx, na = sys.argv[1:6]
def load(path):
    out = {}
    if not os.path.exists(path):
        return out
    for line in open(path):
        addr, size, name = line.rstrip("\n").split(" ", 2)
        if name.startswith("wasm-"):
            continue  # trampolines and host stubs
        out[name.split("!", 1)[-1]] = int(size, 16)
    return out
x, a = load(mx), load(ma)
first = True
for name in sorted(set(x) | set(a), key=lambda n: (len(n), n)):
    sx, sa = x.get(name), a.get(name)
    ratio = f"{sa / sx:.2f}" if sx and sa else "-"
    extra = f"{nx} / {na}" if first else ""
    first = False
    print(f"{k:<8} {name[:28]:<28} {sx if sx is not None else '-':>9} {sa if sa is not None else '-':>9} {ratio:>7}   {extra}")
tx, ta = sum(x.values()), sum(a.values())
print(f"{k:<8} {'(all functions)':<28} {tx:>9} {ta:>9} {(f'{ta / tx:.2f}' if tx and ta else '-'):>7}")
if not a:
    print(f"{k:<8} (no aarch64 perf map: the aarch64 wtrun failed; run it by hand)")
EOF
  rm -f "$mx" "$ma"
done

[ "${NO_COUNT:-0}" = 1 ] && exit 0
say ""
say "== (b) dynamic aarch64 instructions of run(N): wtrun's JIT code vs clang -O2 (qemu -singlestep) =="
say "$(printf '%-8s %6s %14s %14s %8s' kernel N wtrun 'clang -O2' ratio)"
# Counts the trace lines (guest pc = 2nd field of [..]) whose pc lies in one of the ranges
# "start size" given in RANGES (a file); prints the total.
count_py='
import sys, re
ranges = [tuple(int(v, 16) for v in l.split()[:2]) for l in open(sys.argv[1]) if l.strip()]
ranges.sort()
from bisect import bisect_right
starts = [r[0] for r in ranges]
n = 0
pat = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
for line in sys.stdin:
    m = pat.match(line)
    if not m:
        continue
    pc = int(m.group(1), 16)
    i = bisect_right(starts, pc) - 1
    if i >= 0 and pc < ranges[i][0] + ranges[i][1]:
        n += 1
print(n)
'
for kn in "${KERNELS[@]}"; do
  k="${kn%%:*}"
  n="${kn##*:}"
  # wtrun: the perf map of the same process gives the ranges of the wasm functions.
  fifo="$OUT/$k.trace"
  rm -f "$fifo"
  mkfifo "$fifo"
  pidfile="$OUT/$k.pid"
  (sh -c 'echo $$ >"$0"; exec "$@" >/dev/null 2>&1' "$pidfile" "${QEMU_CMD[@]}" -singlestep \
    -d nochain,exec -D "$fifo" "$A64_WTRUN" --compile eager --profile=perfmap --invoke run \
    "$OUT/$k.wasm" "$n" &)
  # The map is written before run() starts; the trace is read while it runs (counted at the
  # end against the map).
  python3 -c '
import sys, re, collections
pat = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
c = collections.Counter()
for line in sys.stdin:
    m = pat.match(line)
    if m:
        c[m.group(1)] += 1
for pc, v in c.items():
    print(pc, v)' <"$fifo" >"$OUT/$k.pcs"
  pid=$(cat "$pidfile")
  grep -v ' wasm-' "/tmp/perf-$pid.map" 2>/dev/null | awk '{ print $1, $2 }' >"$OUT/$k.jit.ranges" || true
  rm -f "/tmp/perf-$pid.map" "$fifo"
  jit=$(python3 -c '
import sys
from bisect import bisect_right
r = sorted(tuple(int(v, 16) for v in l.split()) for l in open(sys.argv[1]) if l.strip())
s = [a for a, _ in r]
n = 0
for l in open(sys.argv[2]):
    pc, c = l.split()
    pc = int(pc, 16)
    i = bisect_right(s, pc) - 1
    if i >= 0 and pc < r[i][0] + r[i][1]:
        n += int(c)
print(n)' "$OUT/$k.jit.ranges" "$OUT/$k.pcs")
  # clang -O2 for aarch64, linked -no-pie (fixed addresses): the kernel's own functions.
  native="-"
  if aarch64-linux-gnu-gcc -no-pie -o "$OUT/$k.a64" "$OUT/$k.a64.o" "$BENCH/kernels/native_main.c" \
    -lm 2>/dev/null; then
    nm_sizes aarch64-linux-gnu-nm "$OUT/$k.a64.o" | awk '{ print $1 }' >"$OUT/$k.syms"
    aarch64-linux-gnu-nm -S --defined-only "$OUT/$k.a64" |
      awk 'NR == FNR { want[$1] = 1; next } ($4 in want) && ($3 == "t" || $3 == "T") { print $1, $2 }' \
        "$OUT/$k.syms" - >"$OUT/$k.native.ranges"
    native=$("${QEMU_CMD[@]}" -singlestep -d nochain,exec -D /dev/stderr "$OUT/$k.a64" "$n" 2>&1 \
      >/dev/null | python3 -c "$count_py" "$OUT/$k.native.ranges")
  fi
  ratio="-"
  if [ "$native" != "-" ] && [ "$native" -gt 0 ] && [ "$jit" -gt 0 ]; then
    ratio=$(python3 -c "print(f'{$jit / $native:.2f}')")
  fi
  say "$(printf '%-8s %6s %14s %14s %8s' "$k" "$n" "$jit" "$native" "$ratio")"
done
say "(report: $report)"
