#!/usr/bin/env python3
"""Per-function (and per-instruction) profile of wtrun's JIT code from `perf record`, until wtrun
has --profile=perfmap: finds the module's code mapping among the anonymous executable mappings
of the perf.data, maps sample addresses to function ranges from `compile_bench --map` (the JIT
is deterministic: compile_bench compiles the same bytes to the same layout) and prints the
hottest functions and their hottest instruction offsets (see `compile_bench --disasm funcN`).
Usage:
  perf record -o p.data -- wtrun K.wasm N
  perf_jit.py p.data K.wasm path/to/compile_bench [top]"""
import collections
import re
import subprocess
import sys

data, wasm, compile_bench = sys.argv[1:4]
top = int(sys.argv[4]) if len(sys.argv) > 4 else 8
funcs = []
for line in subprocess.run([compile_bench, "--map", wasm], capture_output=True, text=True,
                           check=True).stdout.splitlines():
    off, size, idx, *name = line.split()
    funcs.append((int(off, 16), int(size), idx, name[0] if name else ""))
funcs.sort()
code_end = max(o + s for o, s, _, _ in funcs)

script = subprocess.run(["perf", "script", "-i", data, "--show-mmap-events", "-F", "comm,ip"],
                        capture_output=True, text=True).stdout
base = None
ips = []
mmap = re.compile(r"PERF_RECORD_MMAP2? \S+: \[0x([0-9a-f]+)\(0x([0-9a-f]+)\).*r-xp //anon")
for line in script.splitlines():
    m = mmap.search(line)
    if m:
        if base is None and int(m.group(2), 16) >= code_end:
            base = int(m.group(1), 16)
        continue
    parts = line.split()
    if len(parts) >= 2 and "PERF_RECORD" not in line:
        try:
            ips.append(int(parts[-1], 16))
        except ValueError:
            pass
if base is None:
    sys.exit("no anonymous executable mapping large enough for the module's code")
total = len(ips)
per_func = collections.Counter()
per_insn = collections.defaultdict(collections.Counter)
outside = 0
for ip in ips:
    off = ip - base
    if 0 <= off < code_end:
        lo, hi = 0, len(funcs) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if funcs[mid][0] <= off:
                lo = mid
            else:
                hi = mid - 1
        f = funcs[lo]
        if off < f[0] + f[1]:
            per_func[f] += 1
            per_insn[f][off - f[0]] += 1
            continue
    outside += 1
print(f"{total} samples; code base 0x{base:x}; outside the module's functions: "
      f"{100.0 * outside / max(total, 1):.1f}% (runtime, kernel, libc, stubs)")
for f, n in per_func.most_common(top):
    hot = ", ".join(f"0x{o:x} {100.0 * c / n:.0f}%" for o, c in per_insn[f].most_common(6))
    print(f"{100.0 * n / total:5.1f}%  {f[2]} {f[3]:20s} ({f[1]} bytes)  hottest offsets: {hot}")
