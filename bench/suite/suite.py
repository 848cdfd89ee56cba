#!/usr/bin/env python3
"""Runs the benchmark suite's workloads under every runner and writes the ratio tables.

Driven by bench/suite.sh (which builds the .wasm and native binaries first); see
docs/benchmarks.md. Rounds are interleaved: in each round every workload runs once under every
runner, back to back, so that all runners see the same machine load; the figures are medians
over the rounds. Every run's stdout must equal the native build's ("<name> <n> <checksum>").

Writes into --out: suite-raw.csv (every run), suite.csv (medians and ratios, one row per
workload plus the geometric mean), suite.md (the same as a Markdown table) and suite.dat (the
chart's data for gnuplot); --prefix changes "suite" (the SIMD part writes simd*.{csv,md,dat}).
A runner that fails on a workload (exit status, timeout, or a line other than the reference)
is recorded and reported, and the other runs go on: its cells read "fail" in the tables, and a
geometric mean that misses workloads says over how many it is taken ("0.85 (12/20)").
"""
import argparse
import csv
import math
import os
import selectors
import statistics
import subprocess
import sys
import time

LIFTOFF = ["--liftoff", "--no-wasm-tier-up", "--no-wasm-dynamic-tiering"]
TURBOFAN = ["--no-liftoff"]


def run_with_rusage(cmd, timeout):
    """Runs cmd; returns (wall s, the child's user+system CPU s (wait4), stdout, status)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Read the pipes to the end, then reap with wait4 to get the child's rusage.
    deadline = t0 + timeout
    out_chunks, err_chunks = [], []
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, out_chunks)
    sel.register(proc.stderr, selectors.EVENT_READ, err_chunks)
    open_pipes = 2
    while open_pipes:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            proc.kill()
            break
        for key, _ in sel.select(timeout=remaining):
            data = os.read(key.fileobj.fileno(), 65536)
            if data:
                key.data.append(data)
            else:
                sel.unregister(key.fileobj)
                open_pipes -= 1
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = ru.ru_utime + ru.ru_stime
    out = b"".join(out_chunks)
    err = b"".join(err_chunks).decode(errors="replace").strip()
    if open_pipes:
        return wall, cpu, out, "timeout"
    return wall, cpu, out, "ok" if proc.returncode == 0 else f"exit {proc.returncode}: {err[-300:]}"


def run_all(args, kernels, runners, command, expected_from_invoke, raw_path, samples, failures,
            references):
    with open(raw_path, "w", newline="") as raw_file:
        raw = csv.writer(raw_file)
        raw.writerow(["round", "kernel", "n", "runner", "wall_s", "cpu_s", "load1", "status"])
        for rnd in range(args.runs):
            for k, n in kernels:
                order = runners if rnd % 2 == 0 else list(reversed(runners))
                outputs, rows = {}, []
                for runner in order:
                    cmd = command(runner, k, n)
                    wall, cpu, out, status = run_with_rusage(cmd, args.timeout)
                    if runner in ("wtrun", "wtrun2") and args.wtrun_mode == "invoke":
                        out = expected_from_invoke(k, n, out)
                    load = os.getloadavg()[0]
                    rows.append([rnd, k, n, runner, f"{wall:.4f}", f"{cpu:.4f}", f"{load:.2f}", status])
                    if status != "ok":
                        failures.append(f"{k} {runner}: {status}")
                        print(f"  {k:11s} {runner:9s} FAILED: {status}", file=sys.stderr)
                        continue
                    outputs[runner] = out
                    print(f"  round {rnd + 1}/{args.runs} {k:11s} {runner:9s} wall {wall:7.3f} s"
                          f"  cpu {cpu:7.3f} s  load {load:5.2f}", file=sys.stderr)
                ref = next((outputs[r] for r in references if r in outputs),
                           next(iter(outputs.values()), None))
                for runner, out in outputs.items():
                    if out != ref:
                        msg = f"{k}: {runner} printed {out!r}, reference {ref!r}"
                        failures.append(msg)
                        print("  MISMATCH " + msg, file=sys.stderr)
                # A run that printed another line than the reference is a failure too: its time
                # is not a sample ("fail" in the tables), its raw status says "mismatch".
                for row in rows:
                    runner, status = row[3], row[7]
                    if status == "ok" and outputs[runner] != ref:
                        row[7] = "mismatch: " + outputs[runner].decode(errors="replace").strip()[:100]
                    elif status == "ok":
                        samples.setdefault((k, runner), []).append((float(row[4]), float(row[5])))
                    raw.writerow(row)
                raw_file.flush()


def geomean(values):
    values = [v for v in values if v and v > 0]
    if not values:
        return float("nan")
    return math.exp(sum(math.log(v) for v in values) / len(values))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="", help="directory with K.wasm, K.gcc, K.clang")
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--kernels", default="", help="comma-separated name:n")
    ap.add_argument("--wtrun", default="")
    ap.add_argument("--wtrun-mode", choices=["wasi", "invoke"], default="wasi")
    ap.add_argument("--wtrun2", default="", help="a second wtrun binary (e.g. a branch)")
    ap.add_argument("--wtrun2-label", default="wtrun2")
    ap.add_argument("--runners", default="wtrun,liftoff,turbofan,gcc,clang")
    ap.add_argument("--ratios", default="native=gcc,liftoff=liftoff,turbofan=turbofan,clang=clang",
                    help="the ratio columns wtrun/NAME, as NAME=runner; the first one is the "
                         "reference output every runner must print")
    ap.add_argument("--extra-ratios", default="",
                    help="more ratio columns, e.g. liftoff/native,turbofan/native")
    ap.add_argument("--prefix", default="suite", help="output file names: PREFIX-raw.csv, "
                                                      "PREFIX.csv, PREFIX.md, PREFIX.dat")
    ap.add_argument("--node", default="node")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--chart-metric", choices=["cpu", "wall"], default="cpu")
    ap.add_argument("--from-raw", action="store_true",
                    help="do not run anything: recompute the tables from OUT/suite-raw.csv "
                         "(e.g. of an interrupted run)")
    args = ap.parse_args()

    here = os.path.dirname(os.path.abspath(__file__))
    run_wasi = os.path.join(here, "run_wasi.cjs")
    runners = args.runners.split(",")
    if args.wtrun2 and "wtrun2" not in runners:
        runners.insert(1, "wtrun2")
    kernels = [(k.split(":")[0], k.split(":")[1]) for k in args.kernels.split(",") if k]

    def command(runner, k, n):
        wasm = os.path.join(args.bin, k + ".wasm")
        if runner in ("wtrun", "wtrun2"):
            exe = args.wtrun if runner == "wtrun" else args.wtrun2
            if args.wtrun_mode == "invoke":
                return [exe, "--invoke", "bench_entry", os.path.join(args.bin, k + ".fs.wasm"), n]
            return [exe, wasm, n]
        if runner == "liftoff":
            return [args.node, *LIFTOFF, "--no-warnings", run_wasi, wasm, n]
        if runner == "turbofan":
            return [args.node, *TURBOFAN, "--no-warnings", run_wasi, wasm, n]
        return [os.path.join(args.bin, f"{k}.{runner}"), n]

    def expected_from_invoke(k, n, out):
        # `wtrun --invoke` prints the i32 result in decimal (signed or not).
        try:
            v = int(out.split()[-1]) & 0xFFFFFFFF
        except (ValueError, IndexError):
            return out
        return f"{k} {n} {v:08x}\n".encode()

    os.makedirs(args.out, exist_ok=True)
    raw_path = os.path.join(args.out, f"{args.prefix}-raw.csv")
    ratio_defs = [tuple(d.split("=", 1)) for d in args.ratios.split(",") if d]
    samples = {}  # (kernel, runner) -> list of (wall, cpu)
    failures = []
    if args.from_raw:
        kernels, runners = [], []
        with open(raw_path) as f:
            for rec in csv.DictReader(f):
                if (rec["kernel"], rec["n"]) not in kernels:
                    kernels.append((rec["kernel"], rec["n"]))
                if rec["runner"] not in runners:
                    runners.append(rec["runner"])
                if rec["status"] == "ok":
                    samples.setdefault((rec["kernel"], rec["runner"]), []).append(
                        (float(rec["wall_s"]), float(rec["cpu_s"])))
        args.runs = max(len(v) for v in samples.values())
    else:
        run_all(args, kernels, runners, command, expected_from_invoke, raw_path, samples, failures,
                [r for _, r in ratio_defs])
    # ---- summary: medians per (kernel, runner); ratios on CPU time and on wall time
    def med(k, runner, idx):
        s = samples.get((k, runner))
        return statistics.median(x[idx] for x in s) if s else float("nan")

    ratio_defs = [(name, r) for name, r in ratio_defs if r in runners]
    wt_runners = [r for r in ("wtrun", "wtrun2") if r in runners]
    ratio_cols = [f"{w}/{name}" for w in wt_runners for name, _ in ratio_defs]
    if "wtrun2" in runners:
        ratio_cols.append("wtrun2/wtrun")
    ratio_cols += [c for c in args.extra_ratios.split(",") if c]

    def ratio(k, col, idx):
        a, b = col.split("/")
        a = dict(ratio_defs).get(a, a)
        b = dict(ratio_defs).get(b, b)
        return med(k, a, idx) / med(k, b, idx)

    def fmt(x, spec):
        return "fail" if math.isnan(x) else format(x, spec)

    def geo_cell(col, idx, spec, bold=False):
        """The geometric mean of a ratio column, "fail" when no workload has it, and with
        "(have/all)" when some miss it."""
        vals = [ratio(k, col, idx) for k, _ in kernels]
        have = [v for v in vals if not math.isnan(v)]
        if not have:
            return "fail"
        g = format(geomean(have), spec)
        if bold:
            g = f"**{g}**"
        return g if len(have) == len(vals) else f"{g} ({len(have)}/{len(vals)})"

    metrics = (("cpu", 1), ("wall", 0))
    header = ["kernel", "n"]
    for r in runners:
        header += [f"{r}_cpu_s", f"{r}_wall_s"]
    for m, _ in metrics:
        header += [f"{c} {m}" for c in ratio_cols]
    rows = []
    for k, n in kernels:
        row = [k, n]
        for r in runners:
            row += [fmt(med(k, r, 1), ".3f"), fmt(med(k, r, 0), ".3f")]
        for _, idx in metrics:
            row += [fmt(ratio(k, c, idx), ".3f") for c in ratio_cols]
        rows.append(row)
    geo = ["geomean", ""] + [""] * (2 * len(runners))
    for _, idx in metrics:
        geo += [geo_cell(c, idx, ".3f") for c in ratio_cols]
    rows.append(geo)
    loads = []
    with open(raw_path) as f:
        for rec in csv.DictReader(f):
            loads.append(float(rec["load1"]))
    with open(os.path.join(args.out, f"{args.prefix}.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)

    # Markdown: one table per metric (medians in seconds, then the ratios).
    md = []
    for m, idx in metrics:
        md.append(f"**{m} time** ({'user + system CPU seconds of the process' if m == 'cpu' else 'wall seconds'}, median of {args.runs}):")
        md.append("")
        md.append("| kernel | n | " + " | ".join(runners) + " | " + " | ".join(ratio_cols) + " |")
        md.append("| --- | ---: | " + " | ".join("---:" for _ in runners) + " | " +
                  " | ".join("---:" for _ in ratio_cols) + " |")
        for k, n in kernels:
            md.append(f"| {k} | {n} | " + " | ".join(fmt(med(k, r, idx), ".3f") for r in runners) + " | " +
                      " | ".join(fmt(ratio(k, c, idx), ".2f") for c in ratio_cols) + " |")
        md.append("| **geomean** | | " + " | ".join("" for _ in runners) + " | " +
                  " | ".join(geo_cell(c, idx, ".2f", bold=True) for c in ratio_cols) + " |")
        md.append("")
    if loads:
        md.append(f"Rounds: {args.runs}, interleaved. Load average (1 min) during the runs: min "
                  f"{min(loads):.1f}, median {statistics.median(loads):.1f}, max {max(loads):.1f} "
                  f"({os.cpu_count()} cores).")
    with open(os.path.join(args.out, f"{args.prefix}.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))

    # Chart data (CPU-time ratios of wtrun (and wtrun2) against native, Liftoff, TurboFan;
    # columns where every workload failed are left out, missing cells are NaN).
    cidx = dict(metrics)[args.chart_metric]
    cols = [c for c in ratio_cols if c.split("/")[0] in wt_runners and
            c.split("/")[1] in ("native", "liftoff", "turbofan") and
            any(not math.isnan(ratio(k, c, cidx)) for k, _ in kernels)]
    with open(os.path.join(args.out, f"{args.prefix}.dat"), "w") as f:
        f.write("kernel " + " ".join(c.replace("wtrun2", args.wtrun2_label) for c in cols) + "\n")
        for k, _ in kernels:
            f.write(k + " " + " ".join(fmt(ratio(k, c, cidx), ".4f").replace("fail", "NaN")
                                       for c in cols) + "\n")
        f.write("geomean " + " ".join(f"{geomean([ratio(k, c, cidx) for k, _ in kernels]):.4f}" for c in cols) + "\n")
    if failures:
        print("\nFAILURES:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
