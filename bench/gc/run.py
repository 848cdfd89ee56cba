#!/usr/bin/env python3
"""[wasmgc] #18: the GC benchmarks, wtrun against node (V8 Liftoff only, TurboFan only).

Each engine runs each benchmark as a whole process (start-up, compile, run), RUNS times,
interleaved (wtrun, Liftoff, TurboFan, [wtrun-before], then the next round), so a change of
load on the shared machine hits all of them alike. Reports the median wall time and the
median peak RSS (ru_maxrss from wait4), the ratios, and the geometric means over the
benchmarks (the empty start-up control is shown, not in the means). Checksums must agree.
CPU time (user + system, all threads: node's compiler and GC helper threads count) is shown
too: on a loaded machine it moves less than wall time.
"""
import argparse
import math
import os
import statistics
import subprocess
import sys
import time

LIFTOFF = ["--liftoff", "--no-wasm-tier-up", "--no-wasm-dynamic-tiering"]
TURBOFAN = ["--no-liftoff"]


def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = p.stdout.read()
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"error: exit {p.returncode}: {' '.join(cmd)}\n{err.decode()[-2000:]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024.0, out.decode().strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wtrun", required=True)
    ap.add_argument("--wtrun-before")
    ap.add_argument("--node", required=True)
    ap.add_argument("--dir", required=True, help="folder of the .wat files")
    ap.add_argument("--out", required=True, help="folder of the .wasm files")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--bench", nargs="+", required=True, help="name:arg ...")
    a = ap.parse_args()
    harness = os.path.join(a.dir, "run_gc.cjs")
    engines = [("wtrun", lambda w, b, n: [a.wtrun, "--invoke", "run", w, n])]
    if a.wtrun_before:
        engines.append(("before", lambda w, b, n: [a.wtrun_before, "--invoke", "run", w, n]))
    engines += [
        ("liftoff", lambda w, b, n: [a.node] + LIFTOFF + [harness, b, "run", n]),
        ("turbofan", lambda w, b, n: [a.node] + TURBOFAN + [harness, b, "run", n]),
    ]
    rows = []
    for spec in a.bench:
        name, n = spec.split(":")
        wat = os.path.join(a.dir, name + ".wat")
        wasm = os.path.join(a.out, name + ".wasm")
        res = {e: ([], [], []) for e, _ in engines}
        sums = {}
        for _ in range(a.runs):
            for e, cmd in engines:
                wall, cpu, rss, out = run(cmd(wat, wasm, n))
                res[e][0].append(wall)
                res[e][1].append(rss)
                res[e][2].append(cpu)
                sums.setdefault(out, []).append(e)
        if len(sums) != 1:
            sys.exit(f"error: {name}: the checksums differ: {sums}")
        med = {e: (statistics.median(t), statistics.median(r), statistics.median(c))
               for e, (t, r, c) in res.items()}
        rows.append((name, n, next(iter(sums)), med))
        print(f"# {name}({n}) = {next(iter(sums))}: " +
              ", ".join(f"{e} {t:.3f}s (cpu {c:.3f}s) {r:.0f}MB" for e, (t, r, c) in med.items()),
              flush=True)

    cols = [e for e, _ in engines]
    head = ["benchmark", "arg"] + [f"{e} s" for e in cols] + [f"{e} MB" for e in cols] + [
        "time wtrun/L", "time wtrun/TF", "RSS wtrun/L", "RSS wtrun/TF", "cpu wtrun/L",
        "cpu wtrun/TF"]
    if a.wtrun_before:
        head += ["time wtrun/before", "cpu wtrun/before"]
    print()
    print("| " + " | ".join(head) + " |")
    print("|" + " --- |" * len(head))
    logs = {k: [] for k in head[-(8 if a.wtrun_before else 6):]}
    for name, n, _, med in rows:
        w = med["wtrun"]
        ratios = [w[0] / med["liftoff"][0], w[0] / med["turbofan"][0],
                  w[1] / med["liftoff"][1], w[1] / med["turbofan"][1],
                  w[2] / med["liftoff"][2], w[2] / med["turbofan"][2]]
        if a.wtrun_before:
            ratios += [w[0] / med["before"][0], w[2] / med["before"][2]]
        cells = [name, n] + [f"{med[e][0]:.3f}" for e in cols] + [f"{med[e][1]:.0f}" for e in cols]
        cells += [f"{r:.2f}" for r in ratios]
        print("| " + " | ".join(cells) + " |")
        if name != "empty":
            for k, r in zip(logs, ratios):
                logs[k].append(math.log(r))
    geo = [f"**{math.exp(sum(v) / len(v)):.2f}**" if v else "" for v in logs.values()]
    print("| **geomean** (without empty) | |" + " |" * (2 * len(cols)) + " " +
          " | ".join(geo) + " |")


if __name__ == "__main__":
    main()
