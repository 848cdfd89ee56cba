#!/usr/bin/env python3
"""Start-up: end-to-end wall time (and the process's user+system CPU time, steadier on a loaded
machine) of a hello-world program, median of 20 runs per runner.
Usage: startup.py BIN_DIR WTRUN [LABEL=CMD...]; BIN_DIR holds hello.wasm and hello.gcc."""
import os
import statistics
import subprocess
import sys
import time

bin_dir, wtrun = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
hello = os.path.join(bin_dir, "hello.wasm")
runners = [
    ("wtrun hello.wasm", [wtrun, hello]),
    ("native (gcc -O2)", [os.path.join(bin_dir, "hello.gcc")]),
    ("node Liftoff-only + node:wasi", ["node", "--liftoff", "--no-wasm-tier-up",
                                       "--no-wasm-dynamic-tiering", "--no-warnings",
                                       os.path.join(here, "run_wasi.cjs"), hello]),
]
for extra in sys.argv[3:]:
    label, cmd = extra.split("=", 1)
    runners.append((label, [cmd, hello]))
for label, cmd in runners:
    times, cpus = [], []
    for _ in range(20):
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        out = proc.stdout.read()
        _, status, ru = os.wait4(proc.pid, 0)
        times.append((time.perf_counter() - t0) * 1e3)
        cpus.append((ru.ru_utime + ru.ru_stime) * 1e3)
        if out != b"hello, world\n" or status != 0:
            sys.exit(f"{label}: unexpected output {out!r} (status {status})")
    print(f"{label:32s} median of 20: wall {statistics.median(times):7.2f} ms (min {min(times):.2f},"
          f" max {max(times):.2f}), cpu {statistics.median(cpus):7.2f} ms, load {os.getloadavg()[0]:.2f}")
