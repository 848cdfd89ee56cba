#!/usr/bin/env python3
"""Compile throughput, wtrun against V8 Liftoff, side by side (issue 8).

For R rounds, for every module: one run of compile_bench (wtrun's load path: decode + validate +
compile every function, on one thread and on all cores) and one compile under node with
Liftoff only, single-threaded and with V8's background compile tasks. Rounds are interleaved so
that a busy machine slows every runner alike; the table gives medians and ratios.

Usage: compile_ratio.py COMPILE_BENCH BENCH_DIR ROUNDS OUT_PREFIX file.wasm...
Writes OUT_PREFIX.md and OUT_PREFIX.csv and prints the table.
"""
import os
import statistics
import subprocess
import sys

LIFTOFF = ["--liftoff", "--no-wasm-tier-up", "--no-wasm-dynamic-tiering",
           "--no-wasm-lazy-compilation"]


def wtrun_row(bench, path):
    out = subprocess.run([bench, "--runs", "1", path], check=True, capture_output=True,
                         text=True).stdout
    row = [line for line in out.splitlines() if line and not line.startswith("#")][-1].split()
    # file code_MB funcs decode syntax valid jit load1t load1t_w loadpar loadpar_w ...
    return {"mb": float(row[1]), "funcs": int(row[2]), "cpu1": float(row[7]),
            "wall1": float(row[8]), "cpupar": float(row[9]), "wallpar": float(row[10])}


def node_row(script, path, single):
    flags = LIFTOFF + (["--single-threaded"] if single else [])
    out = subprocess.run(["node", *flags, script, "1", path], check=True, capture_output=True,
                         text=True).stdout.strip().split("\t")
    wall = float(out[2].split()[1])
    cpu = float(out[4].split()[1])
    return wall, cpu


def main():
    bench, bench_dir, rounds, prefix, files = (sys.argv[1], sys.argv[2], int(sys.argv[3]),
                                               sys.argv[4], sys.argv[5:])
    script = os.path.join(bench_dir, "compile_node.cjs")
    runs = {f: {"w": [], "n1": [], "nbg": []} for f in files}
    loads = []
    for _ in range(rounds):
        loads.append(os.getloadavg()[0])
        for f in files:
            runs[f]["w"].append(wtrun_row(bench, f))
            runs[f]["n1"].append(node_row(script, f, True))
            runs[f]["nbg"].append(node_row(script, f, False))

    def med(xs):
        return statistics.median(xs)

    header = ("| module | code MB | wtrun 1 thread CPU ms | Liftoff 1 thread CPU ms | "
              "**1 thread: wtrun MB/s / Liftoff MB/s** | wtrun all cores wall ms | "
              "Liftoff background tasks wall ms | **all cores, wall: ratio** |")
    lines = [header, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    csv = ["module,code_mb,wtrun_cpu1_ms,liftoff_cpu1_ms,ratio_1t,wtrun_wallpar_ms,"
           "liftoff_wallbg_ms,ratio_par"]
    ratios1, ratiosp = [], []
    for f in files:
        w = runs[f]["w"]
        mb = w[0]["mb"]
        c1 = med([r["cpu1"] for r in w])
        wp = med([r["wallpar"] for r in w])
        n1 = med([c for _, c in runs[f]["n1"]])
        nbg = med([t for t, _ in runs[f]["nbg"]])
        r1, rp = n1 / c1, nbg / wp
        ratios1.append(r1)
        ratiosp.append(rp)
        name = os.path.basename(f)
        lines.append(f"| {name} | {mb:.3f} | {c1:.1f} | {n1:.1f} | **{r1:.2f}x** | {wp:.1f} | "
                     f"{nbg:.1f} | **{rp:.2f}x** |")
        csv.append(f"{name},{mb:.3f},{c1:.1f},{n1:.1f},{r1:.3f},{wp:.1f},{nbg:.1f},{rp:.3f}")
    g1 = statistics.geometric_mean(ratios1)
    gp = statistics.geometric_mean(ratiosp)
    lines.append(f"| **geomean** | | | | **{g1:.2f}x** | | | **{gp:.2f}x** |")
    lines.append("")
    lines.append(f"Medians of {rounds} interleaved rounds; ratio = wtrun's throughput / Liftoff's "
                 f"(> 1: wtrun compiles faster). Load average (1 min) at the rounds' starts: "
                 f"{', '.join(f'{x:.1f}' for x in loads)}; {os.cpu_count()} cores.")
    text = "\n".join(lines)
    with open(prefix + ".md", "w") as out:
        out.write(text + "\n")
    with open(prefix + ".csv", "w") as out:
        out.write("\n".join(csv) + "\n")
    print(text)


if __name__ == "__main__":
    main()
