#!/usr/bin/env python3
"""Runs the Wasm 3.0 feature benchmarks of bench/wasm3/run.sh side by side and prints ratios.

Usage: run.py --wtrun BIN --out DIR [--runs N] [--quick] [--wtrun-before BIN2]
(DIR holds what run.sh built; BIN2: a second wtrun, e.g. a build before a change, whose "try"
rows are measured in the same rounds and printed as "wtrun-before")

Every job is one process (`wtrun --invoke FN FILE N` or `node driver.cjs FILE FN N`). RUNS
rounds; each round runs every job once, in alternating order, so that all variants see the
same machine load. Each job also has a start-up twin with N = 0 (process start, compile,
instantiate), measured in the same rounds; the figures are medians of wall time, net of the
twin's median ("net"), per iteration where the benchmark is a loop of N iterations. Every
variant of one row must print the same result as the first (else the run fails).
Writes DIR/wasm3-raw.csv (every run: wall and user+sys CPU seconds) and DIR/wasm3.md (tables).
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# Iteration counts: ~0.2-1.5 s per process (kernels: 5x bench/run.sh's N) on the 2.5 GHz reference machine (QUICK: ~1/100).
SIZES = {
    "throw1": 1_000_000, "throw20": 200_000,
    "try_call": 300_000_000, "try_arith": 500_000_000,
    "tail": 500_000_000,
    "sieve": 100, "matmul": 250, "nbody": 10_000_000, "crc32": 1000,
}
TF = ("--no-liftoff",)  # node-tf: TurboFan only (V8 has no OSR: a loop in one call stays in Liftoff)
KERNELS = ["sieve", "matmul", "nbody", "crc32"]
MEM_VARIANTS = [("mem0", "memory 0 (as built)"), ("mem1", "memory 1 (unused memory 0)"),
                ("m64", "memory64 (i32 addresses extended)"),
                ("m32tmp", "control of m64 (same store temporaries, 32-bit)"),
                ("wasm64", "clang --target=wasm64")]


def run_once(argv):
    """Wall seconds, user+sys CPU seconds of the process, and its stdout."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(argv)}\n{p.stderr.decode(errors='replace')}")
    return wall, cpu, p.stdout.decode().strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wtrun", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", default="eh,try,tail,mem")
    ap.add_argument("--wtrun-before", default="")
    a = ap.parse_args()
    out = a.out
    parts = a.only.split(",")
    sizes = {k: max(1, v // 100) if a.quick else v for k, v in SIZES.items()}
    W = a.wtrun
    node = ["node"]
    drv = os.path.join(HERE, "driver.cjs")

    def wt(file, fn, w=None):
        return lambda n: [w or W, "--invoke", fn, file, str(n)]

    def nd(file, fn, flags=()):
        return lambda n: node + list(flags) + [drv, file, fn, str(n)]

    # jobs: (part, row, variant, n, argv_of(n))
    jobs = []
    if "eh" in parts:
        for fn in ("throw1", "throw20"):
            jobs += [("eh", fn, "wtrun legacy", sizes[fn], wt(f"{out}/eh_legacy.wasm", fn)),
                     ("eh", fn, "wtrun try_table", sizes[fn],
                      wt(f"{HERE}/eh_exnref.wat", fn)),
                     ("eh", fn, "node legacy", sizes[fn], nd(f"{out}/eh_legacy.wasm", fn)),
                     ("eh", fn, "node-tf legacy", sizes[fn], nd(f"{out}/eh_legacy.wasm", fn, TF))]
    if "try" in parts:
        for body in ("call", "arith"):
            n = sizes["try_" + body]
            for v in ("plain", "legacy", "block", "block_br"):
                jobs.append(("try", body, f"wtrun {v}", n, wt(f"{out}/try_loop.wasm", f"{v}_{body}")))
            jobs.append(("try", body, "wtrun try_table", n,
                         wt(f"{HERE}/try_loop_exnref.wat", f"try_table_{body}")))
            if a.wtrun_before:
                B = a.wtrun_before
                for v in ("plain", "legacy", "block", "block_br"):
                    jobs.append(("try", body, f"wtrun-before {v}", n,
                                 wt(f"{out}/try_loop.wasm", f"{v}_{body}", B)))
                jobs.append(("try", body, "wtrun-before try_table", n,
                             wt(f"{HERE}/try_loop_exnref.wat", f"try_table_{body}", B)))
            for v in ("plain", "legacy"):
                jobs.append(("try", body, f"node {v}", n, nd(f"{out}/try_loop.wasm", f"{v}_{body}")))
                jobs.append(("try", body, f"node-tf {v}", n,
                             nd(f"{out}/try_loop.wasm", f"{v}_{body}", TF)))
    if "tail" in parts:
        n = sizes["tail"]
        for r in ("wtrun", "node", "node-tf"):
            for v in ("br_loop", "tail_self", "tail_mutual", "tail_grow"):
                f = f"{out}/tail_call.wasm"
                jobs.append(("tail", r, v, n, wt(f, v) if r == "wtrun" else
                             nd(f, v, TF if r == "node-tf" else ())))
    if "mem" in parts:
        for k in KERNELS:
            for v, _ in MEM_VARIANTS:
                jobs.append(("mem", k, v, sizes[k], wt(f"{out}/{k}.{v}.wasm", "run")))

    startup = {}  # argv of n=0 -> list of wall times
    times = {i: [] for i in range(len(jobs))}
    outputs = {}
    raw = open(f"{out}/wasm3-raw.csv", "w")
    raw.write("round,part,row,variant,n,wall_s,cpu_s,load1\n")
    print(f"# {len(jobs)} jobs x {a.runs} rounds (+ start-up runs)", file=sys.stderr)
    for r in range(a.runs):
        order = list(range(len(jobs)))
        if r % 2:
            order.reverse()
        load = os.getloadavg()[0]
        for i in order:
            part, row, var, n, argv = jobs[i]
            s_argv = tuple(argv(0))
            w0, c0, _ = run_once(list(s_argv))
            startup.setdefault(s_argv, []).append(w0)
            w, c, o = run_once(argv(n))
            key = (part, row, n)
            if key not in outputs:
                outputs[key] = (var, o)
            elif outputs[key][1] != o:
                sys.exit(f"{part}/{row}: {var} printed {o}, {outputs[key][0]} printed {outputs[key][1]}")
            times[i].append(w)
            raw.write(f"{r},{part},{row},{var},{n},{w:.4f},{c:.4f},{load:.2f}\n")
            raw.write(f"{r},{part},{row},{var} (n=0),0,{w0:.4f},{c0:.4f},{load:.2f}\n")
        print(f"# round {r + 1}/{a.runs} done, load average {os.getloadavg()[0]:.2f}", file=sys.stderr)
    raw.close()

    med = {}
    for i, (part, row, var, n, argv) in enumerate(jobs):
        m = statistics.median(times[i])
        m0 = statistics.median(startup[tuple(argv(0))])
        med[(part, row, var)] = (m, m0, max(m - m0, 1e-9), n)

    lines = []
    p = lines.append

    def ns(part, row, var):
        m, m0, net, n = med[(part, row, var)]
        return net / n * 1e9

    if "eh" in parts:
        p("### Throw and catch (ns per throw-and-catch, net of start-up; ratio = wtrun / node)")
        p("")
        p("| frames unwound | N | wtrun legacy | wtrun try_table | node legacy | node-tf legacy "
          "| wtrun legacy / node | wtrun try_table / node | wtrun legacy / node-tf |")
        p("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for fn, fr in (("throw1", 1), ("throw20", 20)):
            a1, a2, b, t = (ns("eh", fn, v) for v in
                            ("wtrun legacy", "wtrun try_table", "node legacy", "node-tf legacy"))
            p(f"| {fr} | {sizes[fn]} | {a1:.0f} | {a2:.0f} | {b:.0f} | {t:.0f} | {a1 / b:.2f} | "
              f"{a2 / b:.2f} | {a1 / t:.2f} |")
        p("")
    if "try" in parts:
        p("### Loop in a try that never throws (ns per iteration, net; ratio = variant / plain)")
        p("")
        p("| body | N | runner | plain | try_table | legacy try | block | block + br_if "
          "| try_table / plain | legacy / plain | block / plain | block_br / plain |")
        p("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for body in ("call", "arith"):
            n = sizes["try_" + body]
            for wr in ("wtrun-before", "wtrun") if a.wtrun_before else ("wtrun",):
                w = {v: ns("try", body, f"{wr} {v}")
                     for v in ("plain", "try_table", "legacy", "block", "block_br")}
                p(f"| {body} | {n} | {wr} | {w['plain']:.2f} | {w['try_table']:.2f} | "
                  f"{w['legacy']:.2f} | {w['block']:.2f} | {w['block_br']:.2f} | "
                  f"{w['try_table'] / w['plain']:.2f} | {w['legacy'] / w['plain']:.2f} | "
                  f"{w['block'] / w['plain']:.2f} | {w['block_br'] / w['plain']:.2f} |")
            for r in ("node", "node-tf"):
                q = {v: ns("try", body, f"{r} {v}") for v in ("plain", "legacy")}
                p(f"| {body} | {n} | {r} | {q['plain']:.2f} | - | {q['legacy']:.2f} | - | - | - | "
                  f"{q['legacy'] / q['plain']:.2f} | - | - |")
        p("")
    if "tail" in parts:
        n = sizes["tail"]
        p(f"### Tail-call loop against a br loop (ns per iteration, N = {n}, net; ratio = variant / br_loop)")
        p("")
        p("| runner | br_loop | tail_self | tail_mutual | tail_grow (adapter) | self / br | mutual / br "
          "| grow / br |")
        p("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in ("wtrun", "node", "node-tf"):
            v = {x: ns("tail", r, x) for x in ("br_loop", "tail_self", "tail_mutual", "tail_grow")}
            b = v["br_loop"]
            p(f"| {r} | {b:.2f} | {v['tail_self']:.2f} | {v['tail_mutual']:.2f} | {v['tail_grow']:.2f} | "
              f"{v['tail_self'] / b:.2f} | {v['tail_mutual'] / b:.2f} | {v['tail_grow'] / b:.2f} |")
        p("")
    if "mem" in parts:
        p("### Kernels on memory 1 and memory64 against memory 0 (wtrun; seconds, net of start-up; "
          "ratio = variant / mem0)")
        p("")
        hdr = " | ".join(v for v, _ in MEM_VARIANTS)
        rat = " | ".join(f"{v} / mem0" for v, _ in MEM_VARIANTS[1:])
        p(f"| kernel | N | {hdr} | {rat} | m64 / m32tmp |")
        p("| --- | ---: |" + " ---: |" * (2 * len(MEM_VARIANTS)))
        geo = {v: [] for v, _ in MEM_VARIANTS}
        for k in KERNELS:
            t = {v: med[("mem", k, v)][2] for v, _ in MEM_VARIANTS}
            for v in t:
                geo[v].append(t[v] / t["mem0"])
            geo.setdefault("m64/m32tmp", []).append(t["m64"] / t["m32tmp"])
            p(f"| {k} | {sizes[k]} | " + " | ".join(f"{t[v]:.3f}" for v, _ in MEM_VARIANTS) + " | "
              + " | ".join(f"{t[v] / t['mem0']:.2f}" for v, _ in MEM_VARIANTS[1:])
              + f" | {t['m64'] / t['m32tmp']:.2f} |")
        g = {v: statistics.geometric_mean(x) for v, x in geo.items()}
        p("| geomean | | " + " | " * (len(MEM_VARIANTS) - 1) + " | "
          + " | ".join(f"{g[v]:.2f}" for v, _ in MEM_VARIANTS[1:]) + f" | {g['m64/m32tmp']:.2f} |")
        p("")
    text = "\n".join(lines)
    print(text)
    with open(f"{out}/wasm3.md", "w") as f:
        f.write(text + "\n")


main()
